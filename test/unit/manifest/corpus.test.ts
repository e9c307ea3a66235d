import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifest, slugFromPath } from '../../../src/manifest/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/grant/manifests');

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

const files = existsSync(corpusDir)
  ? readdirSync(corpusDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describe(`grant corpus (${corpusDir})`, () => {
  it('is there: CI keeps ../shared beside the clone', () => {
    expect(existsSync(corpusDir), `${corpusDir} is missing: clone ../shared beside the repo`).toBe(
      true,
    );
    expect(files).toHaveLength(FIGURES.manifests);
  });

  it('every manifest passes, or fails only for a reason in the allowed list', () => {
    const failedBy: Record<string, string[]> = {};
    let passed = 0;
    for (const name of files) {
      const text = readFileSync(path.join(corpusDir, name), 'utf8');
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
    expect(files, `${corpusDir} holds no manifest`).toHaveLength(FIGURES.manifests);
    for (const name of files) {
      const text = readFileSync(path.join(corpusDir, name), 'utf8');
      const result = checkManifest(text, { file: name, expectedSlug: slugFromPath(name) });
      expect(result.ok, name).toBe(!/"https:\/\/[^"]*\[[^\]"]*\][^"]*"/.test(text));
    }
  });
});
