import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, onPostgres, type SyncHarness } from './harness.js';

const SLUGS = ['alpha', 'beta', 'gamma'];
const COMMITS = 60;
/** Seeded, so a failing run can be repeated: CRASH_SEED=<n> npx vitest run .../crash. */
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);

function random(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

let h: SyncHarness;
/** The manifest commits in order, with the slugs each one rewrites. */
const commits: { sha: string; slugs: string[] }[] = [];
beforeAll(async () => {
  h = await createSyncHarness();
  const revision = new Map<string, number>();
  for (let i = 0; i < COMMITS; i++) {
    const slugs = SLUGS.filter((_, k) => (i + k) % 2 === 0 || i % 7 === 0);
    for (const slug of slugs) {
      revision.set(slug, (revision.get(slug) ?? 0) + 1);
      h.writeManifest(
        buildManifest({ slug, name: slug, description: `${slug} #${revision.get(slug)}.` }),
      );
    }
    commits.push({ sha: h.commit(`commit ${i}`), slugs });
  }
  await h.release();
});
afterAll(async () => {
  await h.close();
});

type Read = <T>(sql: string) => Promise<T[]>;

/** Reads the cursor's position in the history (-1: none). */
async function cursorIndex(read: Read): Promise<number> {
  const [row] = await read<{ revision: string }>('SELECT revision FROM sync_cursor');
  return row ? commits.findIndex((c) => c.sha === row.revision) : -1;
}

/**
 * What a kill left behind, observed in the rows: the cursor's commit and every one before it
 * applied once, with exactly the slugs each rewrote, and nothing after it. Returns the cursor index.
 */
async function observeKill(read: Read): Promise<number> {
  const index = await cursorIndex(read);
  const applied = commits.slice(0, index + 1);
  const rows = await read<{ sha: string; slugs: string[] }>(`
    SELECT v.commit_sha AS sha, array_agg(c.slug ORDER BY c.slug) AS slugs
    FROM connectorversion v JOIN connector c ON c.id = v.connector_id GROUP BY v.commit_sha`);
  expect(new Map(rows.map((r) => [r.sha, r.slugs])), `after a kill at ${index}`).toEqual(
    new Map(applied.map((c) => [c.sha, [...c.slugs].sort()])),
  );
  const [recorded] = await read<{ n: number }>('SELECT count(*)::int AS n FROM sync_commit');
  expect(recorded?.n).toBe(applied.length);
  return index;
}

/** Kills `sync` runs at random points until one completes; returns the cursor index after each kill. */
async function crashUntilDone(next: () => number): Promise<{ kills: number[]; attempts: number }> {
  const kills: number[] = [];
  const client = onPostgres ? new pg.Client({ connectionString: h.testDb.url ?? '' }) : null;
  await client?.connect();
  const watch: Read | null = client
    ? async <T>(sql: string) => (await client.query(sql)).rows as T[]
    : null;
  try {
    for (let attempt = 1; ; attempt++) {
      // Embedded: no second process may open the store while the run holds it, so only the run's
      // own debug log can time the kill; what the kill left is then read from the rows.
      const timed = !watch && attempt <= 4;
      const run = timed ? h.startCli('--log-level', 'debug', 'sync') : h.startCli('sync');
      let appliedLines = 0;
      run.child.stderr?.on('data', (chunk: Buffer | string) => {
        appliedLines += chunk.toString().split('"msg":"applied commit"').length - 1;
      });
      let exited = false;
      void run.result.then(() => {
        exited = true;
      });
      if (watch && attempt <= 6) {
        // Kill this run at a random point: one time in four while it starts, else once it has
        // applied something, within its next few transactions. (The delays are short because the
        // whole replay of 60 commits takes ~0.2 s on a fast machine: a kill must land mid-replay.)
        const start = await cursorIndex(watch).catch(() => -1);
        if (next() < 0.75) {
          while (!exited && (await cursorIndex(watch).catch(() => start)) === start)
            await new Promise((r) => setTimeout(r, 5));
          await new Promise((r) => setTimeout(r, next() * 40));
        } else await new Promise((r) => setTimeout(r, next() * 300));
      } else if (timed) {
        // Kill after a random number of applied commits, whatever this machine's speed.
        const target = 1 + Math.floor(next() * 12);
        while (!exited && appliedLines < target) await new Promise((r) => setTimeout(r, 2));
      } else {
        const result = await run.result;
        expect(result.stderr, result.stderr).toBe('');
        expect(result.code).toBe(0);
        return { kills, attempts: attempt };
      }
      if (exited) {
        const result = await run.result;
        if (result.code === 0) return { kills, attempts: attempt };
        throw new Error(`sync failed: ${result.code}\n${result.stderr}`);
      }
      run.kill('SIGKILL');
      await run.result;
      if (watch) kills.push(await observeKill(watch));
      else {
        // Embedded: open the store in this process (the dead holder's lock is taken over) to look.
        kills.push(await observeKill((sql) => h.query(sql)));
        await h.release();
      }
    }
  } finally {
    await client?.end();
  }
}

describe('a sync killed at random points', () => {
  it(`applies every commit exactly once in the end (seed ${SEED})`, {
    timeout: 180_000,
  }, async () => {
    const { kills, attempts } = await crashUntilDone(random(SEED));
    console.info(
      `crash test (${h.testDb.backend}, seed ${SEED}): ${kills.length} kill(s), cursor index after each: ${kills.join(', ')}; completed on attempt ${attempts}`,
    );
    expect(kills.length).toBeGreaterThan(0);
    if (onPostgres) {
      // At least one kill landed in the middle of the replay, with commits applied and more to go.
      // (On the embedded store kills are blind timings, so where they land is only reported.)
      expect(kills.some((k) => k >= 0 && k < COMMITS - 1)).toBe(true);
    }

    // Every commit's versions exist once, linked to it.
    const rows = await h.query<{ sha: string; slugs: string[] }>(`
      SELECT v.commit_sha AS sha, array_agg(c.slug ORDER BY c.slug) AS slugs
      FROM connectorversion v JOIN connector c ON c.id = v.connector_id GROUP BY v.commit_sha`);
    expect(new Map(rows.map((r) => [r.sha, r.slugs]))).toEqual(
      new Map(commits.map((c) => [c.sha, [...c.slugs].sort()])),
    );
    // Per connector: 1.0.0, 1.0.1, ... without gaps or duplicates, in commit order.
    for (const slug of SLUGS) {
      const mine = commits.filter((c) => c.slugs.includes(slug)).map((c) => c.sha);
      const versions = await h.versions(slug);
      expect(versions.map((v) => [v.version, v.commit_sha])).toEqual(
        mine.map((sha, k) => [`1.0.${k}`, sha]),
      );
      expect(versions.at(-1)?.is_latest).toBe(true);
    }
    const [counts] = await h.query<{ commits: number; connectors: number }>(`
      SELECT (SELECT count(*)::int FROM sync_commit) AS commits,
             (SELECT count(*)::int FROM connector) AS connectors`);
    expect(counts).toEqual({ commits: COMMITS, connectors: SLUGS.length });
    expect(await h.status()).toMatchObject({ cursor: commits.at(-1)?.sha, behind: 0 });

    // And a last sync finds nothing to do.
    const before = await h.counts();
    expect(await h.sync()).toMatchObject({ commitsApplied: 0, versionsCreated: 0 });
    expect(await h.counts()).toEqual(before);
  });
});
