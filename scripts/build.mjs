// Builds dist/ for the binary: the CLI and everything it imports, bundled by esbuild into one
// entry and a few lazily loaded chunks (each command's body is imported only when it runs).
//
// Why a bundle rather than tsc's one file per source: Node's loader resolves, stats and opens
// every file of a module graph, and kysely alone is ~280 files. Bundled, `--version` starts in
// half the time and a read-only command saves ~0.2 s of CPU (see the README's performance
// section). Type checking stays with `npm run typecheck` (tsc --noEmit).
//
// Left outside the bundle, loaded from node_modules as installed: the packages that find their
// own files at run time (PGlite's wasm and data files, pino's worker threads) and pg (loaded only
// on PostgreSQL). Every other dependency is inlined.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  // dist/cli/: two levels below the package root, as src/cli is, so `../../package.json` and
  // `../../migrations/` resolve the same from the sources and from the bundle.
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: ['@electric-sql/pglite', 'pg', 'pino', 'pino-pretty', 'thread-stream'],
  // CommonJS dependencies (commander, ajv, semver, …) call require(); an ES module has none.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  sourcesContent: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
