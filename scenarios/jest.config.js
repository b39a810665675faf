/**
 * Scenario specs: scenarios/<area>/<behaviour>.spec.ts, each against real kernels in targets.
 * Spec files run in parallel (they mostly wait on the kernel's timers, not on the CPU).
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  globalSetup: '@sockspec/testkit/dist/jest-global-setup.js',
  globalTeardown: '@sockspec/testkit/dist/jest-global-teardown.js',
  setupFilesAfterEnv: ['@sockspec/testkit/dist/jest-setup.js'],
  reporters: ['default', '@sockspec/report/dist/jest-reporter.js'],
  testTimeout: 120_000,
  maxWorkers: 8,
};
