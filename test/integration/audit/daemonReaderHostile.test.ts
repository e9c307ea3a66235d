import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../../src/errors.js';
import { daemonReader } from '../../../src/query/daemonReader.js';

// `--daemon URL` reads from whatever answers at that URL: what answers badly is refused by name.
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('daemonReader against a bad daemon', () => {
  it('a listener that never answers is given up on after the timeout, naming the URL', async () => {
    const url = await listen(() => {}); // accepts, never answers
    const reading = daemonReader(url, { timeoutMs: 200 }).readStatus();
    await expect(reading).rejects.toBeInstanceOf(DatabaseError);
    await expect(reading).rejects.toThrow(`cannot reach the daemon at ${url}`);
  });

  it('a body that stops halfway is given up on too', async () => {
    const url = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"cursor":'); // and never the rest
    });
    await expect(daemonReader(url, { timeoutMs: 200 }).readStatus()).rejects.toThrow(
      `cannot reach the daemon at ${url}`,
    );
  });

  it('a 200 that is not JSON is refused by name, not read as an empty answer', async () => {
    const url = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>a login page</html>');
    });
    const reading = daemonReader(url).readConnector('gmail');
    await expect(reading).rejects.toBeInstanceOf(DatabaseError);
    await expect(reading).rejects.toThrow(
      `the daemon at ${url} answered /api/connectors/gmail with no JSON`,
    );
  });
});
