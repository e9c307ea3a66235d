import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { httpStatusFor } from './httpStatus.js';

/** The methods a route can answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler returns: the server turns it into the response, so handlers stay testable. */
export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A request as a handler sees it: the body is already read (and size-checked). */
export interface RouteRequest {
  method: HttpMethod;
  url: URL;
  /** Values of the pattern's `:name` segments, URI-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The raw body; empty for GET. */
  body: Buffer;
}

/** One entry in the route table, e.g. `{ method: 'GET', pattern: '/api/connectors/:slug', handler }`. */
export interface Route {
  method: HttpMethod;
  /** A path whose `:name` segments match any one non-empty segment. */
  pattern: string;
  handler: (request: RouteRequest) => HttpResponse | Promise<HttpResponse>;
  /** Larger bodies are answered 413 without calling the handler. @default 1 MiB */
  bodyLimitBytes?: number;
}

/** Options for {@link startHttpServer}. */
export interface HttpServerOptions {
  /** 0 picks a free port (for tests). */
  port: number;
  /** @default '127.0.0.1' (containers pass 0.0.0.0) */
  host?: string;
  /** Open connections beyond this are closed at once. @default 256 */
  maxConnections?: number;
  /**
   * A request whose headers and body are not all received within this is answered 408 and its
   * connection closed; its headers must arrive within half of it. @default 20_000
   */
  requestTimeoutMs?: number;
  routes: readonly Route[];
  logger: Logger;
  /** After `close()`, requests still running after this long have their sockets cut. @default 5_000 */
  closeTimeoutMs?: number;
}

/** A listening server. */
export interface HttpServer {
  /** Base URL to reach it, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits for running requests (up to `closeTimeoutMs`); safe to call twice. */
  close(): Promise<void>;
}

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  } satisfies HttpResponse;
}

const ONE_MIB = 1024 * 1024;

/** Starts a node:http server that dispatches through a route table; 404/405/413/500 as JSON. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { logger, routes } = options;
  const host = options.host ?? '127.0.0.1';
  const compiled = routes.map((route) => ({ route, match: compilePattern(route.pattern) }));
  const requestTimeout = options.requestTimeoutMs ?? 20_000;

  const server = createServer(
    {
      // A client sending half a request (or trickling a body) must not hold a connection for
      // long: node checks these every `connectionsCheckingInterval`, so that is kept short.
      headersTimeout: Math.ceil(requestTimeout / 2),
      requestTimeout,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      const started = performance.now();
      dispatch(req)
        .catch((err: unknown) => {
          const status = httpStatusFor(err);
          if (status === 503) {
            // Not a bug: the database is down or restarting. Say so, and that it is worth retrying.
            logger.warn({ err, path: pathOf(req) }, 'http: the database is unavailable');
            return json(
              503,
              {
                error: 'the database is unavailable',
                reason: String((err as Error).message ?? err),
              },
              { 'retry-after': '5' },
            );
          }
          if (status !== 500) return json(status, { error: String((err as Error).message ?? err) });
          logger.error({ err, method: req.method, path: pathOf(req) }, 'http handler failed');
          return json(500, { error: 'internal error' });
        })
        .then((response) => {
          send(res, response);
          const durationMs = Math.round(performance.now() - started);
          logger.debug(
            { method: req.method, path: pathOf(req), status: response.status, durationMs },
            'http request',
          );
          // An unread remainder (a refused oversized body) is drained, not left to stall the socket.
          if (!req.complete) req.resume();
        });
    },
  );
  server.maxConnections = options.maxConnections ?? 256;
  server.on('connection', (socket) => {
    // A reset or a write to a closed peer: the socket is done, never the process.
    socket.on('error', () => socket.destroy());
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    logger.debug({ code: err.code }, 'http client error');
    if (socket.writable && !socket.destroyed) {
      const status =
        err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  async function dispatch(req: IncomingMessage): Promise<HttpResponse> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return json(400, { error: 'bad request target' });
    }
    const candidates = compiled.flatMap(({ route, match }) => {
      const params = match(url.pathname);
      return params ? [{ route, params }] : [];
    });
    if (candidates.length === 0) return json(404, { error: 'not found', path: url.pathname });
    const found = candidates.find(({ route }) => route.method === req.method);
    if (!found) {
      const allow = [...new Set(candidates.map(({ route }) => route.method))].join(', ');
      return json(405, { error: 'method not allowed', allow }, { allow });
    }
    const limit = found.route.bodyLimitBytes ?? ONE_MIB;
    const body = req.method === 'GET' ? Buffer.alloc(0) : await readBody(req, limit);
    if (body === 'too-large') {
      return json(413, { error: 'body too large', limitBytes: limit }, { connection: 'close' });
    }
    return found.route.handler({
      method: found.route.method,
      url,
      params: found.params,
      headers: req.headers,
      body,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'http server error'));
  const { port } = server.address() as AddressInfo;
  const url = `http://${displayHost(host)}:${port}`;
  logger.info({ url }, 'http server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), options.closeTimeoutMs ?? 5_000);
        cut.unref();
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** Turns `/a/:b/c` into a matcher returning `{ b }` or null. */
function compilePattern(pattern: string): (path: string) => Record<string, string> | null {
  const parts = pattern.split('/');
  return (path) => {
    const segments = path.split('/');
    if (segments.length !== parts.length) return null;
    const params: Record<string, string> = {};
    for (const [i, part] of parts.entries()) {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        if (segment === '') return null;
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          return null;
        }
      } else if (part !== segment) {
        return null;
      }
    }
    return params;
  };
}

/** Reads the body, giving up as soon as it is known to exceed `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve('too-large');
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function send(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, {
    ...response.headers,
    // Nothing served here is meant to be sniffed into another type (a manifest string as HTML).
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function pathOf(req: IncomingMessage): string {
  // Only the path is logged: query strings may carry tokens.
  return (req.url ?? '/').split('?')[0] ?? '/';
}

function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
