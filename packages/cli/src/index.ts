// The sockspec command's parts that other tools reuse: the one launcher of the scenario suite and its environment.
export {
  jestBin,
  runSuite,
  scenariosDir,
  suiteEnvironment,
  type SuiteOutcome,
  type SuiteRun,
} from './run-suite';
export { CpuLoad } from './cpu-load';
export { main, USAGE } from './command-line';
