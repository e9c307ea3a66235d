import type { Logger } from 'pino';
import type { OperatorRequest, OperatorVerdict } from '../plan/operatorTypes.js';
import { parseOperatorRequest } from '../plan/parseOperatorRequest.js';
import { type HttpResponse, json, type Route, type RouteRequest } from './http.js';
import { HTTP_STATUS, httpStatusFor } from './httpStatus.js';
import { sameSecret } from './sameSecret.js';

/** What the admin endpoints can ask of the daemon. */
export interface AdminControl {
  /** Runs a forced resync at the next safe point, or with dryRun plans it now; answers the report. */
  resync(options: { dryRun: boolean; by: string; reason: string | null }): Promise<unknown>;
  suspend(options: { by: string; reason: string | null }): Promise<void>;
  resume(options: { by: string }): Promise<void>;
  /** rollback, pin, unpin, yank, unyank: the action and its audit row, or a refusal. */
  act(request: OperatorRequest, options: { by: string }): Promise<OperatorVerdict>;
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
 * `POST /admin/resync[?dry_run=1]`, `POST /admin/suspend[?reason=…]`, `POST /admin/resume`, and
 * `POST /admin/{rollback,pin,unpin,yank,unyank}?slug=…&version=…&reason=…[&until=…]`:
 * refused with 401 unless `Authorization: Bearer <token>` matches (constant-time). Without a
 * configured token the routes do not exist (404).
 */
export function adminRoutes(options: {
  token: string | null;
  control: AdminControl;
  logger: Logger;
  /** What `until=` is checked against. */
  clock: () => Date;
}): Route[] {
  const { token, control, logger, clock } = options;
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
        const status = httpStatusFor(error);
        // A database outage is answered as on every route (503, retry-after), by the server.
        if (status === 503) throw error;
        return json(status, { error: String((error as Error).message ?? error) });
      }
    };
  return [
    {
      method: 'POST',
      pattern: '/admin/resync',
      handler: guarded('resync', async (request) => {
        const dryRun = ['1', 'true'].includes(request.url.searchParams.get('dry_run') ?? '');
        const reason = request.url.searchParams.get('reason');
        return json(200, await control.resync({ dryRun, by: actor(request), reason }));
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
    {
      method: 'POST',
      pattern: '/admin/:action',
      handler: guarded('operator action', async (request) => {
        const query = request.url.searchParams;
        const parsed = parseOperatorRequest(
          {
            action: request.params.action ?? '',
            slug: query.get('slug'),
            version: query.get('version'),
            reason: query.get('reason'),
            until: query.get('until'),
          },
          clock(),
        );
        if (!parsed.ok) return json(400, { error: parsed.error });
        const verdict = await control.act(parsed.request, { by: actor(request) });
        if (verdict.ok) return json(200, { ok: true, audit: verdict.plan.audit });
        const { code, message } = verdict.refusal;
        return json(HTTP_STATUS[code], { error: message, code });
      }),
    },
  ];
}
