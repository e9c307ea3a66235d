import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { checkRevisions } from '../../../src/sync/checkRevisions.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, largeManifestText, manifestText } from '../../helpers/manifestBuilder.js';

/** More than a slice of 1,000, with renames across the slices, and 20 MB of large manifests. */
const COUNT = 1_200;
const slug = (i: number) => `bulk-${String(i).padStart(4, '0')}`;
const RENAMED = [5, 600, 1_150];
const DELETED = [7, 1_199];
const LARGE = 20;

let repo: TempRepo;
let repository: GitRepository;
let base: string;
const config = { path: 'manifests', versionPolicy: 'auto' as const };

beforeAll(async () => {
  repo = createTempRepo();
  for (let i = 0; i < COUNT; i++)
    repo.write(`manifests/${slug(i)}.json`, manifestText(buildManifest({ slug: slug(i) })));
  base = repo.commit('the registry');
  for (let i = 0; i < COUNT; i++) {
    if (RENAMED.includes(i) || DELETED.includes(i)) continue;
    const manifest = buildManifest({ slug: slug(i), description: 'Described again.' });
    repo.write(`manifests/${slug(i)}.json`, manifestText(manifest));
  }
  // Moved to another file name, its slug with it: git pairs the two as a rename.
  for (const i of RENAMED) {
    repo.remove(`manifests/${slug(i)}.json`);
    const manifest = buildManifest({ slug: `moved-${i}` });
    repo.write(`manifests/moved-${i}.json`, manifestText(manifest));
  }
  for (const i of DELETED) repo.remove(`manifests/${slug(i)}.json`);
  for (let i = 0; i < LARGE; i++)
    repo.write(`manifests/large-${i}.json`, largeManifestText(`large-${i}`, 1_000_000));
  repo.commit('describe, move, delete, add large ones');
  repository = await openRepository({ path: repo.path });
}, 120_000);
afterAll(async () => {
  await repository.close();
  repo.cleanup();
});

describe('check: a change larger than a slice, planned a slice at a time', () => {
  it('reports each connector once, as one plan of the whole change would', async () => {
    const report = await checkRevisions({ repository, config }, { base });
    const counts = new Map<string, number>();
    for (const entry of report.entries)
      counts.set(
        `${entry.change} ${entry.action}`,
        (counts.get(`${entry.change} ${entry.action}`) ?? 0) + 1,
      );
    expect(Object.fromEntries(counts)).toEqual({
      'changed version': COUNT - RENAMED.length - DELETED.length,
      'deleted deprecate': RENAMED.length + DELETED.length,
      // A manifest moved to another file name is another slug: a new connector.
      'renamed create': RENAMED.length,
      'added create': LARGE,
    });
    const slugs = report.entries.map((entry) => entry.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual([...slugs].sort());
    // git pairs each new file with a removed one (all are alike, so not necessarily its own).
    const removed = [...RENAMED, ...DELETED].map((i) => `manifests/${slug(i)}.json`);
    for (const i of RENAMED) {
      const entry = report.entries.find((e) => e.slug === `moved-${i}`);
      expect(removed).toContain(entry?.renamedFrom);
      expect(entry?.to).toBe('1.0.0');
    }
    expect(report.refusals).toEqual([]);
    expect(report.bump).toBe('patch');
  });

  it('per commit, the same entries', async () => {
    const squashed = await checkRevisions({ repository, config }, { base });
    const perCommit = await checkRevisions({ repository, config }, { base, perCommit: true });
    expect(perCommit.entries).toEqual(squashed.entries);
  });
});
