export { compileSources, STACK_FRAME, type CliRun, type CompiledSources } from './run-source-cli';
