import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import { updateMirror } from '../git/mirror.js';

/** The mirror's path in remote mode. */
export function mirrorPath(config: Config): string {
  return join(config.dataDir, 'mirror.git');
}

/** The Config a pass syncs with: in remote mode, `repo` is the mirror. */
export function sourceConfig(config: Config, daemon: DaemonConfig): Config {
  return daemon.remote ? Object.freeze({ ...config, repo: mirrorPath(config) }) : config;
}

/** Remote mode: clones or fetches `--remote` into the mirror (a wrong origin is repointed, with a warning). */
export async function fetchMirror(
  remote: string,
  parts: { config: Config; daemon: DaemonConfig; logger: Logger; signal?: AbortSignal },
): Promise<void> {
  const { config, daemon, logger, signal } = parts;
  await updateMirror({
    url: remote,
    dir: mirrorPath(config),
    token: daemon.gitToken,
    ...(signal ? { signal } : {}),
    onRepoint: (from, to) =>
      logger.warn({ from, to }, 'the mirror was made from another remote: it now follows --remote'),
  });
}
