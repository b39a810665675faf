const { readdirSync } = require('node:fs');

/**
 * Scenario specs: scenarios/<area>/<behaviour>.spec.ts, each against real kernels in targets.
 * Every spec file gets a worker of its own, so they all run side by side from the start: they wait on the
 * kernel's timers, not on the CPU, and the suite then takes about as long as its longest spec. On an emulated VM
 * kernel the CPU is what they wait on (every program start costs seconds of it): there, four at a time (223 s on
 * vm:6.1, 2026-12-02) did as well as six (231 s) and starve each other's harness steps less.
 */
const VM_WORKERS = 4;
const onVms = (process.env.SOCKSPEC_TARGET ?? 'container').startsWith('vm:');
const specFiles = readdirSync(__dirname, { recursive: true }).filter((path) =>
  /^(?!node_modules\/).*\.spec\.ts$/.test(String(path)),
).length;

module.exports = {
  preset: '@sockspec/testkit',
  // TypeScript: the preset's ts-jest, transpiling only; the typecheck task checks the types once, not each worker.
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // No reporters here: the one launcher (`sockspec run`, which `npm test` calls) names them for every run.
  // Above every harness step's ceiling (HARNESS_CEILING_MS, stretched 4 times on an emulated VM), so that a step
  // that hangs fails with a message naming it rather than with Jest's own time-out.
  testTimeout: onVms ? 900_000 : 300_000,
  maxWorkers: onVms ? VM_WORKERS : Math.max(1, specFiles),
};
