// dependency-cruiser's rules for the packages' sources: `npx depcruise packages/*/src` from the root. Tests and
// fixtures are cruised with the code (a test imported by nothing cannot close a circle, but a fixture can).
// packages/repo-checks runs it in `npm test` (circles.test.ts).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not reach itself through its imports, type-only imports included.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Read the TypeScript sources before compilation, so that `import type` counts as an import.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // A workspace package is imported through its built dist/; its own sources are cruised instead.
    exclude: { path: '(^|/)dist/' },
  },
};
