import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDaemonConfig } from '../../../src/config.js';
import { type HttpServer, json, startHttpServer } from '../../../src/daemon/http.js';

const logger = pino({ level: 'silent' });
let server: HttpServer | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = null;
});

async function start(options: { maxConnections?: number; requestTimeoutMs?: number } = {}) {
  server = await startHttpServer({
    port: 0,
    routes: [{ method: 'GET', pattern: '/x', handler: () => json(200, { s: '<b>' }) }],
    logger,
    ...options,
  });
  return server;
}

/** Opens a raw connection; resolves once connected, with a promise of how it ended. */
async function open(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return { socket, closed };
}

describe('the HTTP server against hostile clients', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    expect(loadDaemonConfig({}, {}).host).toBe('127.0.0.1');
    expect(loadDaemonConfig({ host: '0.0.0.0' }, {}).host).toBe('0.0.0.0');
    expect((await start()).url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('answers JSON with X-Content-Type-Options: nosniff', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/x`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${url}/nope`)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('drops a client that sends half a request, with 408', { timeout: 30_000 }, async () => {
    const { port } = await start({ requestTimeoutMs: 2_000 });
    const { socket, closed } = await open(port);
    socket.write('GET /x HTTP/1.1\r\nHost: a\r\nX-Slow: '); // headers never finished
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes connections beyond maxConnections and serves the others', {
    timeout: 30_000,
  }, async () => {
    const { port, url } = await start({ maxConnections: 2 });
    const first = await open(port);
    await open(port);
    const third = await open(port);
    expect(await third.closed).toBe(''); // closed by the server at once, nothing answered
    first.socket.destroy();
    await first.closed;
    const response = await fetch(`${url}/x`);
    expect(response.status).toBe(200);
  });

  it('refuses bad limits by name', () => {
    expect(() => loadDaemonConfig({ maxConnections: '0' }, {})).toThrow(/--max-connections/);
    expect(() => loadDaemonConfig({ requestTimeout: 'soon' }, {})).toThrow(/--request-timeout/);
  });
});
