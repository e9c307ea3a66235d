import { watch } from 'chokidar';
import { clockOf } from '../../sync/defaults.js';
import { cliIo } from '../io.js';

/** Re-runs `revalidate` whenever a watched manifest is saved, until Ctrl-C. */
export async function watchAndValidate(
  paths: readonly string[],
  cwd: string,
  revalidate: () => Promise<void>,
): Promise<void> {
  const io = cliIo();
  const watcher = watch([...paths], {
    cwd,
    ignoreInitial: true,
    depth: 0,
    awaitWriteFinish: { stabilityThreshold: 50 },
  });
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, path) => {
    if (!path.endsWith('.json')) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      io.stdout.write(`\n— ${clockOf({})().toLocaleTimeString()} ${path} changed\n`);
      void revalidate();
    }, 50);
  });
  io.stderr.write('watching for changes (Ctrl-C to stop)\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      void watcher.close().then(resolve);
    });
  });
}
