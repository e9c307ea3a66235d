import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP relay on 127.0.0.1 that a test can cut and restore, to make a server "go away". */
export interface TcpProxy {
  /** The port it listens on; the same after `restore()`. */
  readonly port: number;
  /** Connections relayed so far (accepted, not necessarily still open). */
  readonly accepted: number;
  /** Stops accepting and destroys every open connection, both sides. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Cuts and forgets; safe twice. */
  close(): Promise<void>;
}

/** Starts a relay from 127.0.0.1:<ephemeral port> to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  const { port } = address;

  const cut = async () => {
    const closed = server.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of open) socket.destroy();
    open.clear();
    await closed;
  };
  return {
    port,
    get accepted() {
      return accepted;
    },
    cut,
    restore: () => (server.listening ? Promise.resolve() : listen(port)),
    close: cut,
  };
}
