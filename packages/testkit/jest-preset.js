// Jest preset for specs written with @sockspec/testkit: targets are swept and named per run, socket matchers are
// registered, and a test's time limit sits above every harness step's ceiling. Pair it with a TypeScript transform.
module.exports = {
  testEnvironment: 'node',
  globalSetup: require.resolve('./dist/jest-global-setup.js'),
  globalTeardown: require.resolve('./dist/jest-global-teardown.js'),
  setupFilesAfterEnv: [require.resolve('./dist/jest-setup.js')],
  testTimeout: 300_000,
};
