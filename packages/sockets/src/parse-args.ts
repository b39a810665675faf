import { isIP } from 'node:net';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionsResult<T> =
  { ok: true; options: T } | { ok: false; error: string } | { ok: 'help' };

type FlagConfig = NonNullable<ParseArgsConfig['options']>;

/** A bad command line; its message is shown to the user as is. */
class UsageError extends Error {}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** parseArgs's answer: each flag's text, or true for a switch, if given; then the positionals. */
export interface ParsedFlags<F extends FlagConfig> {
  readonly values: {
    readonly [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string;
  } & {
    readonly help?: boolean;
  };
  readonly positionals: readonly string[];
}

/**
 * Node's parseArgs, strict, with positionals and --help/-h. The word after a value-taking flag is its value even
 * if it starts with a dash (`--backlog -1`), which parseArgs would refuse as ambiguous: it becomes `--backlog=-1`.
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
    const takesValue = arg.startsWith('--') && flags[arg.slice(2)]?.type === 'string';
    args.push(takesValue && i + 1 < argv.length ? `${arg}=${argv[++i]}` : arg);
  }
  return parseArgs({ args, options: { ...flags, ...HELP }, strict: true, allowPositionals: true });
}

/** Runs read; parseArgs's refusal or a UsageError from the checks below becomes `{ ok: false, error }`. */
export function readOptions<T>(read: () => T | 'help'): OptionsResult<T> {
  try {
    const options = read();
    return options === 'help' ? { ok: 'help' } : { ok: true, options };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS_')) {
      return { ok: false, error: (error as Error).message };
    }
    throw error;
  }
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A flag's number, checked against its range; undefined if the flag is absent. Decimal only, as people write
 * seconds and counts: Number() would also take 0x10, 1e3, ' 5' and Infinity.
 */
export function numberFlag(
  text: string | undefined,
  flag: string,
  limits: { readonly min: number; readonly max: number; readonly integer?: boolean },
): number | undefined {
  if (text === undefined) return undefined;
  const integer = limits.integer ?? true;
  const number = Number(text);
  if (!(integer ? INTEGER : DECIMAL).test(text) || number < limits.min || number > limits.max) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UsageError(
      `--${flag} must be ${kind} from ${limits.min} to ${limits.max}, not '${text}'`,
    );
  }
  return number;
}

/** A flag's value, one of some words; undefined if the flag is absent. */
export function wordFlag<W extends string>(
  text: string | undefined,
  flag: string,
  words: readonly W[],
): W | undefined {
  if (text === undefined || (words as readonly string[]).includes(text))
    return text as W | undefined;
  throw new UsageError(`--${flag} must be one of ${words.join(', ')}, not '${text}'`);
}

/** Refuses positionals beyond those the program takes. */
export function noMoreArgs(extra: readonly string[]): void {
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
}

/** A TCP port: an integer from 0 to 65535 (0: the kernel picks one), or from 1 when connecting to it. */
export function parsePort(text: string | undefined, what = 'port', min = 0): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535 || Number(text) < min) {
    const purpose = min > 0 ? ' to connect to it' : '';
    throw new UsageError(
      `${what} must be an integer from ${min} to 65535${purpose}, not '${text}'`,
    );
  }
  return Number(text);
}

/** An IPv4 or IPv6 address in text form. */
export function parseAddress(text: string | undefined, what = 'address'): string {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (isIP(text) === 0)
    throw new UsageError(`${what} must be an IPv4 or IPv6 address, not '${text}'`);
  return text;
}
