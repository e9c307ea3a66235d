import type { Logger } from 'pino';
import { type HttpResponse, json, type Route, type RouteRequest } from './http.js';
import { sameSecret } from './sameSecret.js';

/** What the admin endpoints can ask of the daemon. */
export interface AdminControl {
  /** Runs a forced resync at the next safe point, or with dryRun plans it now; answers the report. */
  resync(options: { dryRun: boolean }): Promise<unknown>;
  suspend(options: { by: string; reason: string | null }): Promise<void>;
  resume(options: { by: string }): Promise<void>;
}

function authorized(request: RouteRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(Array.isArray(header) ? (header[0] ?? '') : header);
  return sameSecret(match?.[1]?.trim() ?? '', token);
}

/** Who is acting, for the record: the X-Actor header when given, else "admin-api". */
function actor(request: RouteRequest): string {
  const header = request.headers['x-actor'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value ? value.slice(0, 200) : 'admin-api';
}

/**
 * `POST /admin/resync[?dry_run=1]`, `POST /admin/suspend[?reason=…]`, `POST /admin/resume`:
 * refused with 401 unless `Authorization: Bearer <token>` matches (constant-time). Without a
 * configured token the routes do not exist (404).
 */
export function adminRoutes(options: {
  token: string | null;
  control: AdminControl;
  logger: Logger;
}): Route[] {
  const { token, control, logger } = options;
  if (!token) return [];
  const guarded =
    (name: string, handler: (request: RouteRequest) => Promise<HttpResponse>) =>
    async (request: RouteRequest): Promise<HttpResponse> => {
      if (!authorized(request, token)) {
        logger.warn({ action: name }, 'admin request refused: missing or wrong token');
        return json(
          401,
          { error: 'missing or wrong bearer token' },
          { 'www-authenticate': 'Bearer' },
        );
      }
      logger.info({ action: name, by: actor(request) }, 'admin request');
      try {
        return await handler(request);
      } catch (error) {
        const message = String((error as Error).message ?? error);
        return json((error as Error).name === 'SuspendedError' ? 409 : 500, { error: message });
      }
    };
  return [
    {
      method: 'POST',
      pattern: '/admin/resync',
      handler: guarded('resync', async (request) => {
        const dryRun = ['1', 'true'].includes(request.url.searchParams.get('dry_run') ?? '');
        return json(200, await control.resync({ dryRun }));
      }),
    },
    {
      method: 'POST',
      pattern: '/admin/suspend',
      handler: guarded('suspend', async (request) => {
        await control.suspend({
          by: actor(request),
          reason: request.url.searchParams.get('reason'),
        });
        return json(200, { suspended: true });
      }),
    },
    {
      method: 'POST',
      pattern: '/admin/resume',
      handler: guarded('resume', async (request) => {
        await control.resume({ by: actor(request) });
        return json(200, { suspended: false });
      }),
    },
  ];
}
