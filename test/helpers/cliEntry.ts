// Runs the CLI from source (tests spawn `node --import tsx test/helpers/cliEntry.ts ...args`).
import { run } from '../../src/cli/main.js';

await run();
