// A child process for shutdown.test.ts: installs the handlers on the real `process`.
// argv[2]: 'drains' (graceful stop finishes by itself) or 'hangs' (graceful stop never ends).
import pino from 'pino';
import { installSignalHandlers } from '../../../src/daemon/shutdown.js';

const mode = process.argv[2];
const keepAlive = setInterval(() => {}, 1_000);
installSignalHandlers({
  logger: pino({ level: 'silent' }),
  deadlineMs: Number(process.argv[3] ?? 10_000),
  async onGraceful() {
    process.stdout.write('graceful\n');
    if (mode === 'hangs') return new Promise<void>(() => {});
    clearInterval(keepAlive);
  },
  onForce() {
    process.stdout.write('force\n');
    process.exit(3);
  },
});
process.stdout.write('ready\n');
