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
 * Files read at once at most: a folder of 10,000 manifests read all at once ran out of file
 * descriptors (EMFILE under `ulimit -n 1024`) and held every text together.
 */
const READ_AHEAD = 16;

/**
 * Reads manifests from the working tree, one after another in order: each PATH is a file or a
 * directory (its `*.json`, not nested). Symlinks, non-regular files and files over the size limit
 * are refused unread, and a file that cannot be read is a problem too, not an error. At most
 * READ_AHEAD files are being read at once; a file is let go once the caller moves on.
 */
export async function* readWorktreeManifests(
  paths: readonly string[],
  cwd: string,
): AsyncGenerator<WorktreeFile> {
  const files = (
    await Promise.all(
      paths.map((path) =>
        expand(path, cwd).catch(() => [{ absolute: resolve(cwd, path), file: path }]),
      ),
    )
  ).flat();
  const reading: Promise<WorktreeFile>[] = [];
  let next = 0;
  for (;;) {
    while (reading.length < READ_AHEAD && next < files.length)
      reading.push(readOne(files[next++] as { absolute: string; file: string }));
    const first = reading.shift();
    if (first === undefined) return;
    yield await first;
  }
}

/** One file as read, or why it was not. Never rejects. */
async function readOne({
  absolute,
  file,
}: {
  absolute: string;
  file: string;
}): Promise<WorktreeFile> {
  try {
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
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return problem(file, 'unreadable', `cannot be read: ${code}`);
  }
}
