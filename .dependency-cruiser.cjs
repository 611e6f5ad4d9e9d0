/** Import rules: no cycles, and the layering of DESIGN.md section 2. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-imports-nothing',
      comment: 'src/core is types and errors only',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'ports-import-only-core',
      severity: 'error',
      from: { path: '^src/store/[^/]+\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/store/[^/]+\\.ts$'] },
    },
    {
      name: 'only-entry-points-pick-backends',
      comment: 'engine modules depend on ports, never on a concrete backend',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/engine\\.ts$',
          '^src/server/',
          '^src/cli/',
          '^src/store/',
          '\\.test\\.ts$',
          '^src/test-support/',
          '^src/server/testing/',
        ],
      },
      to: { path: '^src/store/(memory|sql)/' },
    },
    {
      name: 'library-does-not-import-server-or-cli',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/server/', '^src/cli/', '\\.test\\.ts$', '^src/test-support/', '^src/server/testing/'],
      },
      to: { path: '^src/(server|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
