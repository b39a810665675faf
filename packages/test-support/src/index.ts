export {
  compileSources,
  compiledSourcesForTests,
  STACK_FRAME,
  type CliRun,
  type CompiledSources,
} from './run-source-cli';
