export { UsageError } from './usage-error';
export {
  isUsageMistake,
  parseFlags,
  readOptions,
  type FlagConfig,
  type OptionsResult,
  type ParsedFlags,
} from './parse-flags';
export { numberFlag, wordFlag } from './checked-values';
