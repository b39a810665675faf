// Jest preset for specs written with @sockspec/testkit: targets are swept and named per run, socket matchers are
// registered, and a test's time limit sits above every harness step's ceiling. TypeScript goes through ts-jest,
// resolved from this package wherever it is installed, transpiling only (isolatedModules): no worker type-checks,
// a project checks its types once with tsc.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: { isolatedModules: true } }],
  },
  globalSetup: require.resolve('./dist/jest-global-setup.js'),
  globalTeardown: require.resolve('./dist/jest-global-teardown.js'),
  setupFilesAfterEnv: [require.resolve('./dist/jest-setup.js')],
  testTimeout: 300_000,
};
