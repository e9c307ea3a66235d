import { lstat, readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../manifest/index.js';
import type { ManifestProblem } from '../manifest/types.js';

/** A manifest file read from disk, or the reason it could not be read. */
export type WorktreeFile =
  | { file: string; text: string }
  | { file: string; problem: ManifestProblem };

/** The files a PATH stands for, each with its name as the person wrote it (never `../../x`). */
async function expand(path: string, cwd: string): Promise<{ absolute: string; file: string }[]> {
  const absolute = resolve(cwd, path);
  const info = await lstat(absolute).catch(() => null);
  if (info?.isDirectory()) {
    const names = await readdir(absolute);
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({ absolute: join(absolute, name), file: shown(join(path, name), cwd) }));
  }
  return [{ absolute, file: shown(path, cwd) }];
}

/** A path inside `cwd` relative to it (as before); anything else exactly as given. */
function shown(path: string, cwd: string): string {
  const inside = relative(cwd, resolve(cwd, path));
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

function problem(file: string, code: string, message: string): WorktreeFile {
  return { file, problem: { file, pointer: '', code, message } };
}

/**
 * Reads manifests from the working tree: each PATH is a file or a directory (its `*.json`, not
 * nested). Symlinks, non-regular files and files over the size limit are refused unread.
 */
export async function readWorktreeManifests(
  paths: readonly string[],
  cwd: string,
): Promise<WorktreeFile[]> {
  const files = (
    await Promise.all(
      paths.map((path) =>
        expand(path, cwd).catch(() => [{ absolute: resolve(cwd, path), file: path }]),
      ),
    )
  ).flat();
  return Promise.all(
    files.map(async ({ absolute, file }): Promise<WorktreeFile> => {
      const info = await lstat(absolute).catch(() => null);
      if (!info) return problem(file, 'not-found', `${file} does not exist`);
      if (info.isSymbolicLink()) {
        return problem(
          file,
          'symlink',
          'is a symbolic link: manifests must be regular files in the repository',
        );
      }
      if (!info.isFile()) return problem(file, 'not-a-file', 'is not a regular file');
      if (info.size > MAX_MANIFEST_BYTES) {
        return problem(
          file,
          'too-large',
          `is ${info.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte (1 MiB) limit`,
        );
      }
      return { file, text: await readFile(absolute, 'utf8') };
    }),
  );
}
