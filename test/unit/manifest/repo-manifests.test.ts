import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifest, findSlugClashes, slugFromPath } from '../../../src/manifest/index.js';
import { jsonFilesIn, REPO_ROOT } from '../../helpers/manifestFolders.js';

const manifestsDir = path.join(REPO_ROOT, 'manifests');
const files = jsonFilesIn(manifestsDir);
/** The count the README promises ("sync this repository's 99 bundled manifests"). */
const promised = Number(
  /this repository's (\d+) bundled manifests/.exec(
    readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'),
  )?.[1],
);

describe('the bundled manifests/', () => {
  it('holds as many manifests as the README says', () => {
    expect(promised, 'the README names the count').toBeGreaterThan(0);
    expect(files.length, `${manifestsDir}`).toBe(promised);
  });

  it.each(files)('%s passes', (name) => {
    const file = `manifests/${name}`;
    const result = checkManifest(readFileSync(path.join(manifestsDir, name), 'utf8'), {
      file,
      expectedSlug: slugFromPath(name),
    });
    expect(
      result.ok ? [] : result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
    ).toEqual([]);
  });

  it('no two files claim one slug', () => {
    const entries = files.map((name) => {
      const value = JSON.parse(readFileSync(path.join(manifestsDir, name), 'utf8')) as {
        slug?: unknown;
      };
      return { file: `manifests/${name}`, slug: String(value.slug) };
    });
    expect(entries).toHaveLength(promised);
    expect(findSlugClashes(entries)).toEqual([]);
  });
});
