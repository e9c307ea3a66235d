import { runGit } from './gitProcess.js';

/**
 * The manifest files under `dir` whose working-tree or staged content differs from HEAD, or
 * that git does not track yet: what a sync, which reads commits only, will not see. Empty in a
 * bare repository or when git cannot say.
 */
export async function readUncommittedManifests(repoPath: string, dir: string): Promise<string[]> {
  const result = await runGit(repoPath, [
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--',
    dir === '' ? '.' : dir,
  ]).catch(() => null);
  if (result?.exitCode !== 0) return [];
  const paths: string[] = [];
  const fields = result.stdout.toString('utf8').split('\0');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (field.length < 4) continue;
    const status = field.slice(0, 2);
    paths.push(field.slice(3));
    // A rename or copy is followed by its source path in the next field.
    if (status.includes('R') || status.includes('C')) i++;
  }
  return paths.filter((path) => path.endsWith('.json'));
}
