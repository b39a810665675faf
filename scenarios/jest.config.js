/**
 * Scenario specs: scenarios/<area>/<behaviour>.spec.ts, each against real kernels in targets.
 * Spec files run in parallel (they mostly wait on the kernel's timers, not on the CPU); VM targets are emulated
 * machines that each want a core and 1.5 GB, so fewer of them run at once.
 */
const onVms = (process.env.SOCKSPEC_TARGET ?? 'container').startsWith('vm:');

module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  globalSetup: '@sockspec/testkit/dist/jest-global-setup.js',
  globalTeardown: '@sockspec/testkit/dist/jest-global-teardown.js',
  setupFilesAfterEnv: ['@sockspec/testkit/dist/jest-setup.js'],
  reporters: ['default', '@sockspec/report/dist/jest-reporter.js'],
  // A VM boots in 6 to 9 s under TCG and runs everything several times slower than a container; a spec that
  // boots three of them for a 60 s timer needs more than two minutes in its beforeAll.
  testTimeout: onVms ? 300_000 : 120_000,
  maxWorkers: onVms ? 2 : 8,
};
