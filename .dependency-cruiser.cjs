/** The architecture's arrows, checked in CI so nobody has to remember them (see ../shared/STYLE.md). */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-has-no-io',
      comment:
        'manifest/, versioning/, plan/ and audit/ are pure: no git, database, sync, daemon, CLI, filesystem or processes.',
      severity: 'error',
      from: { path: '^src/(manifest|versioning|plan|audit)/' },
      to: {
        path: [
          '^src/(git|db|sync|query|daemon|cli|worktree)/',
          '^(node:)?(fs|fs/promises|child_process|net|http)$',
        ],
        // Types may cross the boundary: they vanish at run time.
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'shell-does-not-reach-up',
      comment: 'db/ and git/ are used by sync/ and query/, never the other way round.',
      severity: 'error',
      from: { path: '^src/(db|git)/' },
      to: { path: '^src/(sync|query|daemon|cli)/' },
    },
    {
      name: 'sync-does-not-know-its-callers',
      comment: 'sync/ writes; it reads what it needs itself and never goes through query/.',
      severity: 'error',
      from: { path: '^src/sync/' },
      to: { path: '^src/(query|daemon|cli)/' },
    },
    {
      name: 'query-is-the-read-side',
      comment:
        'query/ answers the questions of the CLI, the API and the page from db/, git/ and the pure core. ' +
        'Of sync/ it uses only which branch and folder the database follows (target.ts).',
      severity: 'error',
      from: { path: '^src/query/' },
      to: {
        path: '^src/(daemon|cli|sync)/',
        pathNot: '^src/sync/target\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'reads-go-through-query',
      comment:
        "The CLI and the daemon read through query/, not db/'s operations; the daemon's cache " +
        "stamps and its pass's suspension check are the daemon's own business.",
      severity: 'error',
      from: { path: '^src/(cli|daemon)/' },
      to: {
        path: '^src/db/operations/[^/]+/read',
        pathNot: '/(readCursorStamp|readActionStamp|readControl)\\.ts$',
      },
    },
    {
      name: 'migrations-stand-alone',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles, type-only ones included: two modules that need each other are one ' +
        'module, or a third is missing.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
