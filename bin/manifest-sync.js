#!/usr/bin/env node
// The CLI, bundled into dist/ by `npm run build` (npm ci runs it through `prepare`).
import('../dist/cli/main.js').then(
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
