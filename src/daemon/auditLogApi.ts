import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { SLUG_PATTERN } from '../manifest/index.js';
import { readOperatorActions } from '../query/readOperatorActions.js';
import { json, type Route } from './http.js';

const COUNT = /^\d{1,9}$/;

/** Reads `limit` (1–500, default 100) or `offset` (default 0): the number, or the 400's message. */
function count(url: URL, name: 'limit' | 'offset'): number | string {
  const raw = url.searchParams.get(name);
  if (raw === null) return name === 'limit' ? 100 : 0;
  const value = COUNT.test(raw) ? Number(raw) : Number.NaN;
  const [min, max] = name === 'limit' ? [1, 500] : [0, 1e9];
  return value >= min && value <= max ? value : `invalid ${name}: an integer from ${min} to ${max}`;
}

/**
 * `GET /api/audit-log[?slug=…&limit=…&offset=…]`: operator actions newest first (who, when, what,
 * why), with how many there are. Parameters are checked before any SQL (400).
 */
export function auditLogRoute(db: Kysely<Schema>): Route {
  return {
    method: 'GET',
    pattern: '/api/audit-log',
    async handler({ url }) {
      const slug = url.searchParams.get('slug');
      if (slug !== null && (slug.length > 64 || !SLUG_PATTERN.test(slug)))
        return json(400, {
          error: 'invalid slug: lowercase letters and digits in words joined by single hyphens',
        });
      const limit = count(url, 'limit');
      const offset = count(url, 'offset');
      if (typeof limit === 'string') return json(400, { error: limit });
      if (typeof offset === 'string') return json(400, { error: offset });
      const log = await readOperatorActions(db, { ...(slug ? { slug } : {}), limit, offset });
      return json(200, { ...log, limit, offset });
    },
  };
}
