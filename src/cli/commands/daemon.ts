import { type Config, type DaemonFlags, loadDaemonConfig } from '../../config.js';
import { installSignalHandlers } from '../../daemon/shutdown.js';
import { startDaemon } from '../../daemon/startDaemon.js';
import { createLogger } from '../../logger.js';
import { ExitCode } from '../exitCodes.js';
import { cliIo } from '../io.js';

/** `manifest-sync daemon`: runs until SIGTERM/SIGINT; the first drains, a second forces. */
export async function daemonCommand(config: Config, flags: DaemonFlags): Promise<number> {
  const daemonConfig = loadDaemonConfig(flags, cliIo().env);
  const logger = createLogger({ level: config.logLevel });
  const daemon = await startDaemon(config, daemonConfig, logger);
  // SIGHUP: a full resync at the next safe point, as operators expect of a daemon.
  const onHangup = () => {
    logger.info('SIGHUP: forced resync requested');
    daemon
      .requestResync('signal')
      .catch((error) => logger.warn({ err: error }, 'forced resync did not run'));
  };
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    const uninstall = installSignalHandlers({
      logger,
      onGraceful: async () => {
        await daemon.stop();
        uninstall();
        process.off('SIGHUP', onHangup);
        resolve();
      },
      onForce: () => {
        logger.warn('forced exit');
        process.exit(ExitCode.internal);
      },
    });
  });
  return ExitCode.ok;
}
