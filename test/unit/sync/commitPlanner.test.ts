import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../../src/db/schema.js';
import { advanceState } from '../../../src/plan/advanceState.js';
import type { ConnectorState, SyncPlan } from '../../../src/plan/types.js';
import { CommitPlanner } from '../../../src/sync/commitPlanner.js';
import { buildCommit, buildFile, counterIds } from '../../helpers/planBuilder.js';

/**
 * A planner over a database modelled as a state map (what `advanceState` says a write leaves),
 * carrying at most `keep` connectors and `keepBytes` of their texts before it drops written
 * ones. Counts the reads per slug.
 */
function setUp(keep: number, keepBytes = Number.POSITIVE_INFINITY) {
  let database = new Map<string, ConnectorState>();
  const reads: string[] = [];
  const planner = new CommitPlanner(
    async (_db, slugs) => {
      reads.push(...slugs);
      return new Map(
        slugs.flatMap((slug) => {
          const state = database.get(slug);
          return state ? [[slug, state] as const] : [];
        }),
      );
    },
    { policy: 'auto', newId: counterIds(), clock: () => new Date(0), keep, keepBytes },
  );
  const db = null as unknown as Kysely<Schema>; // the reader above never touches it
  let commits = 0;
  return {
    reads,
    read: (...slugs: string[]) => planner.read(db, slugs),
    plan: (...files: ReturnType<typeof buildFile>[]) =>
      planner.plan(db, buildCommit(String(++commits).padStart(40, '0')), files),
    /** What writing the plans leaves in the database, then the planner told so. */
    write(...made: { plan: SyncPlan; serial: number }[]) {
      for (const { plan } of made) database = advanceState(database, plan);
      planner.written(Math.max(...made.map((m) => m.serial)));
    },
  };
}

describe('CommitPlanner: state carried between plans written in the background', () => {
  it('keeps a connector touched by a plan not yet written, however much it carries', async () => {
    const p = setUp(0);
    await p.plan(
      buildFile('alpha', { version: undefined }),
      buildFile('beta', { version: undefined }),
    );
    await p.plan(buildFile('gamma', { version: undefined }));
    // Nothing is written: alpha exists only in the carried state, and must be taken from there.
    const { plan } = await p.plan(buildFile('alpha', { version: undefined, description: 'New.' }));
    expect(plan.decisions).toMatchObject([{ slug: 'alpha', action: 'version', to: '1.0.1' }]);
    expect(p.reads.filter((slug) => slug === 'alpha')).toHaveLength(1);
  });

  it('drops what is written once over its limit, and reads it again from the database', async () => {
    const p = setUp(0);
    const first = await p.plan(buildFile('alpha', { version: undefined }));
    p.write(first);
    await p.plan(buildFile('beta', { version: undefined }));
    const { plan } = await p.plan(buildFile('alpha', { version: undefined, description: 'New.' }));
    expect(plan.decisions).toMatchObject([{ slug: 'alpha', action: 'version', to: '1.0.1' }]);
    expect(p.reads.filter((slug) => slug === 'alpha')).toHaveLength(2);
  });

  it('under its limit drops nothing: a written connector is not read again', async () => {
    const p = setUp(100);
    p.write(await p.plan(buildFile('alpha', { version: undefined })));
    await p.plan(buildFile('beta', { version: undefined }));
    const { plan } = await p.plan(buildFile('alpha', { version: undefined, description: 'New.' }));
    expect(plan.decisions).toMatchObject([{ slug: 'alpha', action: 'version', to: '1.0.1' }]);
    expect(p.reads.filter((slug) => slug === 'alpha')).toHaveLength(1);
  });

  it('drops what is written once the texts it carries pass their limit, however few', async () => {
    const long = 'A long description. '.repeat(100); // ~2,000 characters
    const p = setUp(100, 3_000);
    p.write(await p.plan(buildFile('alpha', { version: undefined, description: long })));
    await p.plan(buildFile('beta', { version: undefined })); // under 3,000: nothing dropped yet
    await p.plan(buildFile('gamma', { version: undefined, description: long }));
    const { plan } = await p.plan(buildFile('alpha', { version: undefined, description: 'New.' }));
    expect(plan.decisions).toMatchObject([{ slug: 'alpha', action: 'version', to: '1.0.1' }]);
    expect(p.reads.filter((slug) => slug === 'alpha')).toHaveLength(2);
    // gamma's plan is not written: it is carried still, whatever its weight.
    const again = await p.plan(buildFile('gamma', { version: undefined, description: 'New.' }));
    expect(again.plan.decisions).toMatchObject([{ slug: 'gamma', action: 'version', to: '1.0.1' }]);
    expect(p.reads.filter((slug) => slug === 'gamma')).toHaveLength(1);
  });

  it('keeps a plan written late: only plans up to the serial reported are dropped', async () => {
    const p = setUp(0);
    const first = await p.plan(buildFile('alpha', { version: undefined }));
    const second = await p.plan(buildFile('alpha', { version: undefined, description: 'Two.' }));
    p.write(first); // the second is still being written
    await p.plan(buildFile('beta', { version: undefined }));
    const { plan } = await p.plan(
      buildFile('alpha', { version: undefined, description: 'Three.' }),
    );
    expect(second.plan.decisions).toMatchObject([{ to: '1.0.1' }]);
    expect(plan.decisions).toMatchObject([{ slug: 'alpha', action: 'version', to: '1.0.2' }]);
    expect(p.reads.filter((slug) => slug === 'alpha')).toHaveLength(1);
  });

  it('keeps the slugs read ahead and found in no connector when it drops: each is read once', async () => {
    const p = setUp(0);
    p.write(await p.plan(buildFile('alpha', { version: undefined })));
    await p.read('beta', 'gamma'); // the next slice, read ahead: neither exists yet
    await p.plan(buildFile('beta', { version: undefined })); // over the limit: drops alpha
    const { plan } = await p.plan(buildFile('gamma', { version: undefined }));
    expect(plan.decisions).toMatchObject([{ slug: 'gamma', action: 'create' }]);
    expect(p.reads.filter((slug) => slug === 'beta' || slug === 'gamma')).toEqual([
      'beta',
      'gamma',
    ]);
  });
});
