import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { json, type Route } from './http.js';
import { verifyWebhook } from './webhook.js';

/** Whether the daemon should receive traffic, and if not, why. */
export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** Options for {@link opsRoutes}. */
export interface OpsRoutesOptions {
  /** Asked on every `GET /readyz`; a throw counts as not ready. */
  readiness: () => Readiness | Promise<Readiness>;
  registry: Registry;
  logger: Logger;
  /** Without it, `POST /webhook` is not routed (404). */
  webhook?: {
    secret: string;
    /** The tracked branch, `main` or `refs/heads/main`; pushes to others are ignored. */
    branch: string;
    /** Called for a verified push to the branch; its only job is to nudge the sync loop. */
    nudge: () => void;
  };
}

/**
 * The operational routes: `GET /healthz`, `GET /readyz`, `GET /metrics` and, when configured,
 * `POST /webhook`. Pass them to `startHttpServer` alongside any `/api/...` routes.
 */
export function opsRoutes(options: OpsRoutesOptions): Route[] {
  const { logger, registry } = options;
  const routes: Route[] = [
    { method: 'GET', pattern: '/healthz', handler: () => json(200, { status: 'ok' }) },
    {
      method: 'GET',
      pattern: '/readyz',
      async handler() {
        let readiness: Readiness;
        try {
          readiness = await options.readiness();
        } catch (err) {
          logger.warn({ err }, 'readiness check threw');
          readiness = { ready: false, reasons: ['readiness check failed'] };
        }
        return json(readiness.ready ? 200 : 503, readiness);
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      async handler() {
        return {
          status: 200,
          headers: { 'content-type': registry.contentType },
          body: await registry.metrics(),
        };
      },
    },
  ];
  const webhook = options.webhook;
  if (!webhook) return routes;
  const wantedRef = webhook.branch.startsWith('refs/')
    ? webhook.branch
    : `refs/heads/${webhook.branch}`;
  routes.push({
    method: 'POST',
    pattern: '/webhook',
    handler({ headers, body }) {
      const verdict = verifyWebhook({ headers, body, secret: webhook.secret });
      const delivery = headers['x-github-delivery'] ?? headers['x-gitlab-event-uuid'];
      if (!verdict.ok) {
        logger.warn(
          { delivery, status: verdict.status, reason: verdict.reason },
          'webhook refused',
        );
        return json(verdict.status, { error: verdict.reason });
      }
      const { provider, kind, ref } = verdict;
      if (kind === 'ping') return json(200, { status: 'pong' });
      if (kind !== 'push') return json(202, { status: 'ignored', reason: 'not a push event' });
      if (ref !== wantedRef) {
        logger.debug({ delivery, provider, ref }, 'webhook push to another ref ignored');
        return json(202, { status: 'ignored', reason: `push to ${ref}, not ${wantedRef}` });
      }
      logger.info({ delivery, provider, ref }, 'webhook push; nudging');
      webhook.nudge();
      return json(202, { status: 'accepted' });
    },
  });
  return routes;
}
