import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

export type FlagConfig = NonNullable<ParseArgsConfig['options']>;

/** What reading a command line gave: its options, `help` when --help was asked for, or the first mistake. */
export type OptionsResult<T> =
  { ok: true; options: T } | { ok: false; error: string } | { ok: 'help' };

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** parseArgs's answer: each flag's text (or texts, for a flag given many times), or true for a switch; then the positionals. */
export interface ParsedFlags<F extends FlagConfig> {
  readonly values: {
    readonly [K in keyof F]?: F[K]['type'] extends 'boolean'
      ? boolean
      : F[K]['multiple'] extends true
        ? string[]
        : string;
  } & {
    readonly help?: boolean;
  };
  readonly positionals: readonly string[];
}

/**
 * Node's parseArgs, strict, with positionals and --help/-h. The word after a value-taking flag is its value even
 * if it starts with a dash (`--backlog -1`, then refused by its range check), which parseArgs would refuse as
 * ambiguous: it becomes `--backlog=-1`.
 */
export function parseFlags<F extends FlagConfig>(
  argv: readonly string[],
  flags: F,
): ParsedFlags<F> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const takesValue = Object.hasOwn(flags, name) && flags[name]?.type === 'string';
    args.push(takesValue && i + 1 < argv.length ? `${arg}=${argv[++i]}` : arg);
  }
  return parseArgs({
    args,
    options: { ...flags, ...HELP },
    strict: true,
    allowPositionals: true,
  }) as ParsedFlags<F>;
}

/** Whether an error is a mistake in the words: a UsageError, or parseArgs's own refusal. */
export function isUsageMistake(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  return error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS_');
}

/** Runs `read`; a mistake in the words (see isUsageMistake) becomes `{ ok: false, error }`. */
export function readOptions<T>(read: () => T | 'help'): OptionsResult<T> {
  try {
    const options = read();
    return options === 'help' ? { ok: 'help' } : { ok: true, options };
  } catch (error) {
    if (isUsageMistake(error)) return { ok: false, error: error.message };
    throw error;
  }
}
