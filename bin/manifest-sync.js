#!/usr/bin/env node
// The CLI, compiled into dist/ by `npm run build` (npm ci runs it through `prepare`).
// kysely's ES module build is ~280 files, and node's loader opens every file of a module graph
// at once: loaded together with the rest of the CLI, start-up alone needed more than 256 file
// descriptors (EMFILE under `ulimit -n 256`). Loaded first, on its own, the peak is about halved.
import('kysely')
  .then(() => import('../dist/cli/main.js'))
  .then(
    (cli) => cli.run(),
    (error) => {
      if (
        error &&
        error.code === 'ERR_MODULE_NOT_FOUND' &&
        String(error.message).includes('dist/cli/main.js')
      ) {
        process.stderr.write(
          'manifest-sync: not built yet: run `npm run build` (npm ci does it) in the checkout\n',
        );
        process.exit(70);
      }
      throw error;
    },
  );
