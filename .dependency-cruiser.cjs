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
          '^src/(git|db|sync|daemon|cli|worktree)/',
          '^(node:)?(fs|fs/promises|child_process|net|http)$',
        ],
        // Types may cross the boundary: they vanish at run time.
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'shell-does-not-reach-up',
      comment: 'db/ and git/ are used by sync/, never the other way round.',
      severity: 'error',
      from: { path: '^src/(db|git)/' },
      to: { path: '^src/(sync|daemon|cli)/' },
    },
    {
      name: 'sync-does-not-know-its-callers',
      severity: 'error',
      from: { path: '^src/sync/' },
      to: { path: '^src/(daemon|cli)/' },
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
        'module, or a third is missing. src/daemon is excluded only until its routes ↔ startDaemon ' +
        'cycle is gone (issue 16, branch daemon); drop the pathNot then.',
      severity: 'error',
      from: { pathNot: '^src/daemon/' },
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
