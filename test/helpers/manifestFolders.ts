import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The real connector definitions of ../shared, converted from grant's public catalogue. */
export const GRANT_CORPUS_DIR = path.resolve(REPO_ROOT, '../shared/corpus/grant/manifests');

/** The `.json` file names in `dir`, sorted; none when the folder is missing (the tests say so). */
export function jsonFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}
