import type { Kysely } from 'kysely';
import type { Actor } from '../../../audit/actionTypes.js';
import type { OperatorAudit } from '../../../plan/operatorTypes.js';
import { storableText } from '../../../plan/storableText.js';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** At most this many characters of a reason, an actor's name or a detail are kept. */
const MAX_TEXT = 2000;

/** Text as the database can store it: NULs and lone surrogates replaced, at most 2,000 characters. */
export const storable = (text: string | null): string | null =>
  text === null ? null : storableText(text, MAX_TEXT);

/**
 * Appends one operator action to `sync_operator_action`, inside the caller's transaction: the
 * action and its record commit together or not at all. The table refuses updates and deletes.
 */
export async function writeOperatorAction(
  trx: Kysely<Schema>,
  options: CursorKey & { audit: OperatorAudit; actor: Actor; now: Date },
): Promise<void> {
  const { audit, actor } = options;
  await trx
    .insertInto('sync_operator_action')
    .values({
      at: options.now.toISOString(),
      actor: storable(actor.name) ?? '',
      via: actor.via,
      action: audit.action,
      repository: options.repository,
      branch: options.branch,
      slug: audit.slug,
      version: audit.version,
      from_version: audit.fromVersion,
      to_version: audit.toVersion,
      until: audit.until ? audit.until.toISOString() : null,
      reason: storable(audit.reason),
      detail: storable(audit.detail),
    })
    .execute();
}
