import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** The built binary (bin/manifest-sync.js over dist/) that tests spawn as a process of its own. */
export const CLI_BIN = `${ROOT}bin/manifest-sync.js`;

/** The bundle's entry: `npm run build` (scripts/build.mjs) empties dist/ and writes it anew. */
const BUNDLE = `${ROOT}dist/cli/main.js`;

const modified = async (path: string): Promise<number | null> =>
  (await stat(path).catch(() => null))?.mtimeMs ?? null;

/** What the bundle is built from: every file under src/, the build script and package.json. */
async function inputs(): Promise<string[]> {
  const entries = await readdir(`${ROOT}src`, { recursive: true, withFileTypes: true });
  return [
    ...entries.filter((entry) => entry.isFile()).map((e) => `${e.parentPath}/${e.name}`),
    `${ROOT}scripts/build.mjs`,
    `${ROOT}package.json`,
  ];
}

/** Why dist/ is behind the sources (no bundle, or an input newer than it), or null. */
export async function staleBuild(): Promise<string | null> {
  const built = await modified(BUNDLE);
  if (built === null) return `${BUNDLE} is missing`;
  for (const input of await inputs())
    if (((await modified(input)) ?? 0) > built) return `${input} is newer than ${BUNDLE}`;
  return null;
}

/**
 * Builds dist/ (`npm run build`: esbuild, about a second) when it is behind the sources, so that
 * every spawned CLI runs the code under test: `npm ci` builds it (prepare), an edit since makes
 * it stale. Not rebuilt when fresh: a second run in the same checkout (the other backend) may be
 * spawning the binary from it.
 */
export async function ensureBuilt(): Promise<void> {
  const stale = await staleBuild();
  if (!stale) return;
  console.warn(`building dist/ for the tests that spawn the CLI: ${stale}`);
  await run(process.execPath, [`${ROOT}scripts/build.mjs`], { cwd: ROOT });
  const still = await staleBuild();
  if (still) throw new Error(`dist/ is still stale after \`npm run build\`: ${still}`);
}
