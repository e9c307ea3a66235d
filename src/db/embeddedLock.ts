import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { wallClock } from '../clock.js';
import { StoreLockedError } from '../errors.js';

/** Who holds the embedded store: written into its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** The daemon's HTTP address, when the holder serves one: the `--daemon URL` to use instead. */
  url?: string;
}

/** Lock files this process holds. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

function describe(holder: LockHolder, dir: string): string {
  const how = holder.url
    ? `talk to it with --daemon ${holder.url}`
    : 'wait for it to finish, stop it, or point both at a PostgreSQL server with --database-url';
  return (
    `the embedded database in ${dir} is in use by process ${holder.pid} on ${holder.host} ` +
    `(${holder.command}, since ${holder.since}): ${how}`
  );
}

/**
 * Takes the embedded store's lock file (O_EXCL), so two processes never open one PGlite data
 * directory at once. A lock left by a dead process on this host is taken over.
 * Returns the function that releases it.
 */
export async function acquireEmbeddedLock(
  dir: string,
  holder: Omit<LockHolder, 'pid' | 'host' | 'since'>,
): Promise<{ release: () => Promise<void>; update: (url: string) => Promise<void> }> {
  await mkdir(dir, { recursive: true });
  // The store usually lives inside the repository it tracks: keep it out of `git status`.
  await writeFile(join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => {});
  const path = join(dir, 'lock');
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: wallClock().toISOString(),
    ...holder,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(mine));
      await handle.close();
      held.add(path);
      return {
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
        update: (url: string) => writeFile(path, JSON.stringify({ ...mine, url })),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = await readHolder(path);
      // Our own pid in a lock this process does not hold: a restarted container reusing the pid.
      const reused = other !== null && other.pid === process.pid && !held.has(path);
      const stale = other === null || reused || (other.host === mine.host && !isAlive(other.pid));
      if (!stale) throw new StoreLockedError(describe(other, dir));
      await rm(path, { force: true });
    }
  }
  throw new StoreLockedError(`could not take the lock on the embedded database in ${dir}`);
}
