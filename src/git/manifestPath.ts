import { GitError } from '../errors.js';

/** Normalises a manifest directory to git's form: '' for the root, no './' prefix, no trailing '/'. */
export function normalizeDir(dir: string): string {
  const parts = dir.split('/').filter((part) => part !== '' && part !== '.');
  if (dir.startsWith('/') || parts.includes('..')) {
    throw new GitError(`manifest directory must be relative and inside the repository: ${dir}`);
  }
  return parts.join('/');
}

/** Whether `path` (from the repository root) is a manifest: `<dir>/<name>.json`, not in a subfolder. */
export function isManifestPath(path: string, dir: string): boolean {
  const prefix = dir === '' ? '' : `${dir}/`;
  if (!path.startsWith(prefix)) return false;
  return isManifestName(path.slice(prefix.length));
}

/** Whether a file name inside the manifest directory is a manifest. */
export function isManifestName(name: string): boolean {
  return name.length > '.json'.length && name.endsWith('.json') && !name.includes('/');
}

/**
 * The pathspec that limits `git log` to the manifest directory: a literal prefix, which git matches
 * about twice as fast as a `*.json` glob over 100,000 entries; nested and non-JSON files are filtered
 * afterwards by `isManifestPath`. Empty for the root, where any pathspec only adds matching cost.
 */
export function manifestPathspec(dir: string): string[] {
  return dir === '' ? [] : [`:(top,literal)${dir}`];
}

/** Whether a tree entry mode is a regular file (not a symlink or a submodule). */
export function isRegularFile(mode: string): boolean {
  return mode === '100644' || mode === '100755';
}
