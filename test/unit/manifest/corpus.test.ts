import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifest, slugFromPath } from '../../../src/manifest/index.js';
import { GRANT_CORPUS_DIR, jsonFilesIn } from '../../helpers/manifestFolders.js';

/**
 * The only reasons a grant corpus manifest may be refused, by problem code. Everything else in the
 * corpus (no actions, empty scopes, OAuth 1.0a providers, the "OAuth provider" category) is valid.
 */
const ALLOWED_FAILURES: Record<string, string> = {
  'url-placeholder':
    'grant writes per-tenant hosts as `[subdomain]`; manifests write `{subdomain}`',
};

/** The corpus's figures: 218 manifests, 22 of them refused for `[subdomain]`-style hosts. */
const FIGURES = { manifests: 218, passed: 196, refused: { 'url-placeholder': 22 } };

const files = jsonFilesIn(GRANT_CORPUS_DIR);

describe(`grant corpus (${GRANT_CORPUS_DIR})`, () => {
  it('is there: CI keeps ../shared beside the clone', () => {
    expect(
      existsSync(GRANT_CORPUS_DIR),
      `${GRANT_CORPUS_DIR} is missing: clone ../shared beside the repo`,
    ).toBe(true);
    expect(files).toHaveLength(FIGURES.manifests);
  });

  it('every manifest passes, or fails only for a reason in the allowed list', () => {
    const failedBy: Record<string, string[]> = {};
    let passed = 0;
    for (const name of files) {
      const text = readFileSync(path.join(GRANT_CORPUS_DIR, name), 'utf8');
      const result = checkManifest(text, { file: name, expectedSlug: slugFromPath(name) });
      if (result.ok) {
        passed++;
        continue;
      }
      for (const error of result.errors) {
        expect(ALLOWED_FAILURES, `${name}: ${error.code} ${error.message}`).toHaveProperty([
          error.code,
        ]);
      }
      const code = [...new Set(result.errors.map((error) => error.code))].join('+');
      failedBy[code] = [...(failedBy[code] ?? []), name];
      // A placeholder refusal must be about the URL that really has brackets in it.
      expect(text).toMatch(/"https:\/\/[^"]*\[[^\]"]*\][^"]*"/);
    }
    const failed = Object.values(failedBy).flat().length;
    const refused = Object.fromEntries(Object.entries(failedBy).map(([c, n]) => [c, n.length]));
    expect({ manifests: files.length, passed, refused }).toEqual(FIGURES);
    expect(passed + failed).toBe(files.length);
  });

  it('refuses exactly the manifests whose OAuth URLs use square-bracket placeholders', () => {
    expect(files, `${GRANT_CORPUS_DIR} holds no manifest`).toHaveLength(FIGURES.manifests);
    for (const name of files) {
      const text = readFileSync(path.join(GRANT_CORPUS_DIR, name), 'utf8');
      const result = checkManifest(text, { file: name, expectedSlug: slugFromPath(name) });
      expect(result.ok, name).toBe(!/"https:\/\/[^"]*\[[^\]"]*\][^"]*"/.test(text));
    }
  });
});
