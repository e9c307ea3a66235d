import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fittingPrefix } from '../../../src/db/operations/connectors/readConnectorStates.js';
import type { Schema } from '../../../src/db/schema.js';
import { advanceState } from '../../../src/plan/advanceState.js';
import type { ConnectorState, SyncPlan } from '../../../src/plan/types.js';
import { CommitPlanner } from '../../../src/sync/commitPlanner.js';
import { buildCommit, buildFile, counterIds, replayRevisions } from '../../helpers/planBuilder.js';

/** The length of a state's stored manifest as text, as the database measures it. */
const storedBytes = (state: ConnectorState | undefined) =>
  state?.latest ? JSON.stringify(state.latest.manifest).length : 0;

/**
 * A planner over a database modelled as a state map (what `advanceState` says a write leaves),
 * carrying at most `keep` connectors and `keepBytes` of their texts before it drops written
 * ones. Records the slugs read, in order (a read within a budget reads a prefix, as the database's
 * own `fittingPrefix` cuts it).
 */
function setUp(
  keep: number,
  keepBytes = Number.POSITIVE_INFINITY,
  stored: ReadonlyMap<string, ConnectorState> = new Map(),
) {
  let database = new Map(stored);
  const reads: string[] = [];
  const planner = new CommitPlanner(
    async (_db, { slugs, budget = Number.POSITIVE_INFINITY, spent = 0 }) => {
      const sizes = new Map(
        slugs.map((slug) => [slug, { manifest_bytes: storedBytes(database.get(slug)) }]),
      );
      const read = fittingPrefix(slugs, sizes, budget, spent);
      reads.push(...slugs.slice(0, read));
      const found = slugs.slice(0, read).flatMap((slug) => {
        const state = database.get(slug);
        return state ? [[slug, state] as const] : [];
      });
      return {
        states: new Map(found),
        read,
        bytes: new Map(found.map(([slug, state]) => [slug, storedBytes(state)])),
      };
    },
    { policy: 'auto', newId: counterIds(), clock: () => new Date(0), keep, keepBytes },
  );
  const db = null as unknown as Kysely<Schema>; // the reader above never touches it
  let commits = 0;
  return {
    reads,
    read: (...slugs: string[]) => planner.read(db, slugs),
    readUpTo: (budget: number, ...slugs: string[]) => planner.read(db, slugs, budget),
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

describe('CommitPlanner: stored manifests read within a budget', () => {
  const long = 'A long description. '.repeat(100); // ~2,000 characters
  /** A database holding alpha, beta and gamma, each with a long stored manifest. */
  const storedLong = () =>
    replayRevisions([
      ['alpha', 'beta', 'gamma'].map((slug) =>
        buildFile(slug, { version: undefined, description: long }),
      ),
    ]).state;

  it('reads as many stored manifests as the budget allows (one always), and says how many slugs', async () => {
    const p = setUp(100, Number.POSITIVE_INFINITY, storedLong());
    expect(await p.readUpTo(100, 'alpha', 'beta', 'gamma')).toBe(1);
    expect(p.reads).toEqual(['alpha']);
    expect(await p.readUpTo(20_000, 'alpha', 'beta', 'gamma')).toBe(3);
    expect(p.reads).toEqual(['alpha', 'beta', 'gamma']);
    expect(await p.readUpTo(1, 'nobody', 'nobody-else')).toBe(2); // no connector: nothing stored
  });

  it('reads one connector even within a budget of nothing, so a slice is never empty', async () => {
    const p = setUp(100, Number.POSITIVE_INFINITY, storedLong());
    expect(await p.readUpTo(0, 'alpha', 'beta')).toBe(1);
    expect(p.reads).toEqual(['alpha']);
  });

  it('counts what it carries before the first slug it reads against the budget', async () => {
    const p = setUp(100, Number.POSITIVE_INFINITY, storedLong());
    await p.read('alpha');
    // alpha, carried, holds ~2,500 characters already, over the budget: nothing is read.
    expect(await p.readUpTo(100, 'alpha', 'nobody', 'beta', 'gamma')).toBe(1);
    expect(p.reads).toEqual(['alpha']);
    // Carried after a slug read, it is not counted: beta alone is read, the first always.
    expect(await p.readUpTo(100, 'beta', 'alpha', 'gamma')).toBe(2);
    expect(p.reads).toEqual(['alpha', 'beta']);
    // Under the budget, slugs with no connector cost nothing, and are read with the rest.
    expect(await p.readUpTo(20_000, 'alpha', 'nobody', 'gamma')).toBe(3);
    expect(p.reads).toEqual(['alpha', 'beta', 'nobody', 'gamma']);
    // gamma, not read within the budget, is read when planned: from its stored manifest.
    const { plan } = await p.plan(buildFile('gamma', { version: undefined, description: 'New.' }));
    expect(plan.decisions).toMatchObject([{ slug: 'gamma', action: 'version', to: '1.0.1' }]);
  });

  it("weighs a connector by its stored text: a deleted file's state is dropped once written", async () => {
    const p = setUp(100, 3_000, storedLong());
    const deleted = await p.plan(buildFile('alpha', null), buildFile('beta', null));
    expect(deleted.plan.decisions).toMatchObject([
      { slug: 'alpha', action: 'deprecate' },
      { slug: 'beta', action: 'deprecate' },
    ]);
    p.write(deleted);
    // alpha and beta carry ~4,000 characters of stored text, over 3,000: both are dropped.
    await p.read('gamma');
    await p.read('alpha');
    expect(p.reads).toEqual(['alpha', 'beta', 'gamma', 'alpha']);
  });
});
