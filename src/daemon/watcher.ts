import { dirname, join, relative, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';

/** Options for {@link watchRefs}. */
export interface WatchRefsOptions {
  /** The repository's git directory (`.git`, or the bare repository itself). */
  gitDir: string;
  /** The tracked branch, e.g. `main` or `release/2024`. */
  branch: string;
  /** Called (debounced) when a ref may have moved; its only job is to nudge the sync loop. */
  onChange: () => void;
  /** Events closer together than this cause one call. @default 2 */
  debounceMs?: number;
  /** @default performance.now */
  now?: () => number;
  logger?: Logger;
}

/** How long after a raw event chokidar's own event for a ref file is taken to repeat it. */
const RAW_COVERS_MS = 2_000;

/** A running watch. */
export interface RefWatch {
  /** Resolves once the initial scan is done and changes will be seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the files where git records where the branch points: the loose ref
 * `refs/heads/<branch>`, `packed-refs` and the reftable list. Not `HEAD`: a checkout moves no
 * branch, and the daemon follows the recorded branch whatever is checked out. It watches their
 * directories (not recursively into `objects/`), so git's write-`.lock`-then-rename is seen.
 * It reads nothing and decides nothing: a change only calls `onChange`, and the sync pass
 * finds out what, if anything, moved.
 */
export function watchRefs(options: WatchRefsOptions): RefWatch {
  const { onChange, logger } = options;
  const debounceMs = options.debounceMs ?? 2;
  const now = options.now ?? (() => performance.now());
  const gitDir = resolve(options.gitDir);
  const targets = new Set(refFiles(gitDir, options.branch));
  const ancestors = new Set<string>();
  for (const file of targets) {
    for (let dir = dirname(file); dir.startsWith(gitDir); dir = dirname(dir)) {
      ancestors.add(dir);
      if (dir === gitDir) break;
    }
  }
  const depth = Math.max(...[...targets].map((file) => relative(gitDir, file).split(sep).length));

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // A fixed window, not a sliding one: a storm of events still fires within `debounceMs`.
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      try {
        onChange();
      } catch (err) {
        logger?.warn({ err }, 'ref watcher onChange threw; ignored');
      }
    }, debounceMs);
  };

  const watcher = watch(gitDir, {
    ignoreInitial: true,
    depth,
    // Only the paths leading to the ref files are walked; `objects/` and the rest are never read.
    ignored: (path: string) => {
      const full = resolve(path);
      return !(full === gitDir || targets.has(full) || ancestors.has(full));
    },
  });
  // chokidar drops a second `change` within 50 ms of the first; raw events are not throttled,
  // so a ref that moves twice in quick succession still nudges twice.
  let lastRaw = Number.NEGATIVE_INFINITY;
  watcher.on('raw', (_event, path, details) => {
    const watched = resolve(String((details as { watchedPath?: string }).watchedPath ?? ''));
    if (targets.has(watched) || (path && targets.has(resolve(watched, String(path))))) {
      lastRaw = now();
      schedule();
    }
  });
  // chokidar's own event for the same change comes after its `stat`, tens of milliseconds later
  // (hundreds under load): it would nudge a second, empty pass behind the first. It counts only
  // when no raw event came just before (a file found by scanning a directory created since).
  watcher.on('all', (_event, path) => {
    if (targets.has(resolve(path)) && now() - lastRaw > RAW_COVERS_MS) schedule();
  });
  watcher.on('error', (err) => logger?.warn({ err }, 'ref watcher error'));

  const ready = new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await watcher.close();
    },
  };
}

/** The files that change when the branch moves; throws on a branch name that escapes `refs/heads`. */
function refFiles(gitDir: string, branch: string): string[] {
  const name = branch.startsWith('refs/heads/') ? branch.slice('refs/heads/'.length) : branch;
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.endsWith('.lock'))) {
    throw new ConfigError(`not a valid branch name: ${JSON.stringify(branch)}`);
  }
  return [
    join(gitDir, 'refs', 'heads', ...segments),
    join(gitDir, 'packed-refs'),
    join(gitDir, 'reftable', 'tables.list'),
  ];
}
