import { existsSync } from 'node:fs';
import type { Config } from '../../config.js';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import { checkManifest, slugFromPath } from '../../manifest/index.js';
import type { Manifest } from '../../manifest/types.js';
import { diffManifests, overallBump, withStoredWheel } from '../../versioning/index.js';
import type { Change } from '../../versioning/types.js';
import { readWorktreeManifests } from '../../worktree/readWorktreeManifests.js';
import { ExitCode } from '../exitCodes.js';
import { cliIo } from '../io.js';
import { printJson, printLines } from '../output.js';
import { parseVersionRef } from '../versionRef.js';
import { type ReadFlags, withReader } from '../withReader.js';
import { formatProblem } from './validate.js';

async function readFileManifest(path: string): Promise<Manifest> {
  const { value: entry } = await readWorktreeManifests([path], cliIo().cwd).next();
  if (!entry || 'problem' in entry)
    throw new NotFoundError(entry ? formatProblem(entry.problem) : `${path}: not found`);
  const result = checkManifest(entry.text, {
    file: entry.file,
    expectedSlug: slugFromPath(entry.file),
  });
  if (!result.ok) {
    // Diffing does not need the file to be named after its slug: drop only that complaint.
    const errors = result.errors.filter(
      (e) => e.code !== 'slug-mismatch' && e.code !== 'bad-file-name',
    );
    const again = errors.length === 0 ? checkManifest(entry.text, { file: entry.file }) : null;
    if (again?.ok) return again.manifest;
    throw new InvalidInputError(
      `${path} is not a valid manifest:\n${result.errors.map(formatProblem).join('\n')}`,
    );
  }
  return result.manifest;
}

/**
 * Reads two stored versions' manifests (SLUG@A, SLUG@B), each with its row's wheel where a row
 * made by hand has one its manifest does not declare (as the planner diffs).
 */
async function readStoredPair(
  config: Config,
  flags: ReadFlags,
  a: string,
  b: string,
): Promise<[Manifest, Manifest]> {
  const { readStoredVersion } = await import('../../query/readStoredVersion.js');
  return withReader(config, flags, 'manifest-sync diff', async (reader) => {
    const read = async (ref: string): Promise<Manifest> => {
      const { slug, version } = parseVersionRef(ref);
      const detail = await readStoredVersion(reader, slug, version);
      return withStoredWheel(detail.manifest as Manifest, detail.wheelUrl);
    };
    return [await read(a), await read(b)];
  });
}

/** `manifest-sync diff OLD NEW`: OLD and NEW are manifest files, or stored versions as SLUG@VERSION. */
export async function diffCommand(
  config: Config,
  flags: ReadFlags,
  args: string[],
): Promise<number> {
  const [oldRef = '', newRef = ''] = args;
  const stored =
    !existsSync(oldRef) && !existsSync(newRef) && oldRef.includes('@') && newRef.includes('@');
  const [before, after] = stored
    ? await readStoredPair(config, flags, oldRef, newRef)
    : await Promise.all([readFileManifest(oldRef), readFileManifest(newRef)]);
  const changes = diffManifests(before, after);
  const bump = overallBump(changes);
  if (config.json) printJson({ bump, changes });
  else printLines(formatChanges(bump, changes));
  return ExitCode.ok;
}

/** The changes for a person: one line each, the overall bump last. */
export function formatChanges(bump: string, changes: readonly Change[]): string[] {
  if (changes.length === 0) return ['no changes: bump none'];
  const width = Math.max(...changes.map((c) => c.bump.length));
  return [
    ...changes.map(
      (c) =>
        `${c.bump.padEnd(width)}  ${c.kind.padEnd(7)}  ${c.path}\n${' '.repeat(width + 11)}${c.reason}`,
    ),
    `bump: ${bump}`,
  ];
}
