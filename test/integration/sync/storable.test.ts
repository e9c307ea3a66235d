import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { applyPlan } from '../../../src/db/operations/plan/applyPlan.js';
import { planRevision } from '../../../src/plan/planRevision.js';
import type { PlanCommit } from '../../../src/plan/types.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await testDb.open();
}, 60_000);
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

/** Strings as a hostile author writes them: any code unit, NUL, lone surrogates, controls, long. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u001f', '\u007f', 'a', '😀') }),
  fc.string({ unit: 'binary', minLength: 5_000, maxLength: 20_000 }),
);

/** `forbidden-key`: a key such as `__proto__`, which fast-check draws now and then. */
const REFUSED_FOR = new Set([
  'unstorable-text',
  'invalid-value',
  'unknown-key',
  'invalid-key',
  'forbidden-key',
]);
let run = 0;

describe.each([
  ['copied', true],
  ['inserted', false],
])('validate → plan → write (%s), for any string and key', (_how, copy) => {
  it('stores the manifest exactly or refuses it by name; never throws out of the pass', {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, hostileString, async (name, key, value) => {
        const slug = `p-${++run}`;
        const manifest = { ...buildManifest({ slug, name }), [`x-${key}`]: { [key]: value } };
        const commit: PlanCommit = {
          sha: run.toString(16).padStart(40, '0'),
          authorName: 'Author',
          authorEmail: 'a@example.com',
          authoredAt: new Date(0),
          committedAt: new Date(0),
          message: 'hostile strings',
        };
        let ids = 0;
        const plan = planRevision({
          commit,
          files: [
            { path: `manifests/${slug}.json`, slug, oid: null, text: manifestText(manifest) },
          ],
          state: new Map(),
          policy: 'auto',
          newId: () =>
            `00000000-0000-4000-8000-${(run * 10 + ++ids).toString(16).padStart(12, '0')}`,
        });
        // The refusal is written too: its pointer and message must be storable whatever they quote.
        await database.db.transaction().execute((trx) =>
          applyPlan(trx, plan, {
            repository: 'r',
            branch: 'main',
            now: new Date(0),
            newId: () => crypto.randomUUID(),
            copy,
          }),
        );
        if (plan.refusals.length > 0) {
          for (const refusal of plan.refusals) expect(REFUSED_FOR).toContain(refusal.code);
          expect(plan.newVersions).toEqual([]);
          return;
        }
        const [version] = plan.newVersions;
        if (version === undefined) throw new Error('neither stored nor refused');
        const stored = await sql<{ manifest: unknown }>`
          SELECT manifest FROM connectorversion WHERE id = ${version.id}::uuid`.execute(
          database.db,
        );
        expect(stored.rows[0]?.manifest).toEqual(version.manifest);
        expect((version.manifest as unknown as Record<string, unknown>)[`x-${key}`]).toEqual({
          [key]: value,
        });
      }),
      {
        numRuns: 40,
        // Drawn once in a few hundred runs: it went unlisted, and shrinking it outlasted the timeout.
        examples: [['😀', '__proto__', '\u0000']],
      },
    );
  });
});
