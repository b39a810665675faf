export {
  compileSources,
  compiledSourcesForTests,
  STACK_FRAME,
  type CliRun,
  type CompiledSources,
} from './run-source-cli';
export { pollUntil, type PollOptions } from './poll-until';
export { tcpSocketEntry, type SocketEntryOf } from './tcp-socket-entry';
