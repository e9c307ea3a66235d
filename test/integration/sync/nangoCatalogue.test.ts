import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, checkManifest } from '../../../src/manifest/index.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

/**
 * A real public catalogue of non-OAuth connectors: the API_KEY, BASIC and NONE providers of
 * Nango's providers.yaml at every 12th commit of its history, converted by
 * test/fixtures/nango/build.py (data under the Elastic License 2.0; see test/fixtures/nango/NOTICE.md).
 */
interface NangoHistory {
  source: { repository: string; from: string; to: string; commitsRead: number };
  commits: { sha: string; changed: Record<string, Record<string, unknown> | null> }[];
}
const history: NangoHistory = JSON.parse(
  gunzipSync(
    readFileSync(new URL('../../fixtures/nango/history.json.gz', import.meta.url)),
  ).toString('utf8'),
);

/**
 * The replay keeps every commit but only every SAMPLE-th connector (by slug), plus each one the
 * history deletes or writes in a rare auth mode: the same kinds of adds, edits and deletions, about
 * a quarter of the rows to write (the replay of all of them took ~100 s on the embedded store).
 * Validity is checked on all of them.
 */
const SAMPLE = 4;
const changes = history.commits.flatMap(({ changed }) => Object.entries(changed));
const allSlugs = [...new Set(changes.map(([slug]) => slug))].sort();
const slugsByMode = new Map<string, Set<string>>();
for (const [slug, manifest] of changes) {
  const mode = manifest === null ? 'deleted' : String(manifest.auth_mode);
  slugsByMode.set(mode, (slugsByMode.get(mode) ?? new Set()).add(slug));
}
const rare = [...slugsByMode.values()].filter((slugs) => slugs.size < 10).flatMap((s) => [...s]);
const sampled = new Set([...allSlugs.filter((_, i) => i % SAMPLE === 0), ...rare]);

let h: SyncHarness;
beforeAll(async () => {
  h = await createSyncHarness();
});
afterAll(async () => {
  await h.close();
});

describe(`Nango's non-OAuth providers, ${history.commits.length} commits of their history`, () => {
  it('every manifest of every commit is valid', () => {
    const refused = history.commits.flatMap(({ sha, changed }) =>
      Object.entries(changed).flatMap(([slug, manifest]) => {
        if (manifest === null) return [];
        const result = checkManifest(JSON.stringify(manifest), {
          file: `${slug}.json`,
          expectedSlug: slug,
          revision: sha,
        });
        return result.ok
          ? []
          : result.errors.map((e) => `${sha.slice(0, 10)} ${slug}${e.pointer}: ${e.message}`);
      }),
    );
    expect(refused).toEqual([]);
  });

  it(`a replay of the whole history (${sampled.size} of ${allSlugs.length} connectors) refuses nothing and makes one version per changed connector per commit`, {
    timeout: 600_000,
  }, async () => {
    const latest = new Map<string, string>(); // slug -> canonical content of its last version
    const expected = new Map<string, string[]>(); // our sha -> slugs that must get a version
    const modes = new Set<string>();
    let modified = 0;
    let deleted = 0;
    let touched = 0; // commits that change a replayed manifest: the others touch nothing synced
    for (const { sha, changed } of history.commits) {
      const versioned: string[] = [];
      const replayed = Object.entries(changed).filter(([slug]) => sampled.has(slug));
      if (replayed.length > 0) touched += 1;
      for (const [slug, manifest] of replayed) {
        if (manifest === null) {
          h.repo.remove(`manifests/${slug}.json`);
          deleted += 1;
          continue;
        }
        h.writeManifest(manifest, slug);
        modes.add(String(manifest.auth_mode));
        const content = JSON.stringify(canonicalize(manifest));
        if (latest.get(slug) !== content) versioned.push(slug);
        if (latest.has(slug) && latest.get(slug) !== content) modified += 1;
        latest.set(slug, content);
      }
      expected.set(h.commit(`nango ${sha}`), versioned.sort());
    }
    expect([...modes].sort()).toEqual(['API_KEY', 'BASIC', 'NONE']);
    expect(modified).toBeGreaterThan(0); // the history edits connectors, not only adds them
    expect(deleted).toBeGreaterThan(0); // and deletes some (a provider leaving the three modes)

    const report = await h.sync();
    expect(report.refusals).toEqual([]);
    expect(report.commitsApplied).toBe(touched);
    const rows = await h.query<{ commit_sha: string; slugs: string[]; n: number }>(`
      SELECT v.commit_sha, array_agg(c.slug ORDER BY c.slug) AS slugs, count(*)::int AS n
      FROM connectorversion v JOIN connector c ON c.id = v.connector_id GROUP BY v.commit_sha`);
    const made = new Map(rows.map((r) => [r.commit_sha, r.slugs]));
    const wanted = new Map([...expected].filter(([, slugs]) => slugs.length > 0));
    expect(made).toEqual(wanted);
    const total = [...wanted.values()].reduce((n, slugs) => n + slugs.length, 0);
    expect(report.versionsCreated).toBe(total);
    console.log(
      `nango replay: ${history.source.commitsRead} upstream commits, ${history.commits.length} with changes, ${latest.size} connectors, ${modified} edits, ${deleted} deletions, ${total} versions in ${report.durationMs} ms`,
    );
  });
});
