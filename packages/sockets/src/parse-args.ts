import { isIP } from 'node:net';

/** How one flag is read: a switch, a number within a range, or one of some words. */
export type FlagSpec =
  | { readonly kind: 'switch' }
  | {
      readonly kind: 'number';
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
    }
  | { readonly kind: 'word'; readonly words: readonly string[] }
  | { readonly kind: 'text' };

export type ParsedFlags = Record<string, boolean | number | string>;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export type ArgsResult =
  | {
      readonly ok: true;
      readonly positional: string[];
      readonly flags: ParsedFlags;
      readonly help: boolean;
    }
  | { readonly ok: false; readonly error: string };

/** Splits argv into positionals and `--flag [value]` pairs per the spec. Pure; every mistake is a message. */
export function parseArgs(
  argv: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
): ArgsResult {
  const positional: string[] = [];
  const flags: ParsedFlags = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { ok: true, positional, flags, help: true };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = spec[name];
    if (flag === undefined) return { ok: false, error: `unknown option --${name}` };
    if (flag.kind === 'switch') {
      if (inline !== undefined) return { ok: false, error: `--${name} takes no value` };
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return { ok: false, error: `--${name} needs a value` };
    if (flag.kind === 'number') {
      const integer = flag.integer ?? true;
      // Decimal only, as people write seconds and counts: Number() would also take 0x10, 1e3, ' 5' and Infinity.
      if (!(integer ? INTEGER : DECIMAL).test(value)) {
        return {
          ok: false,
          error: `--${name} must be ${integer ? 'an integer' : 'a number'}, not '${value}'`,
        };
      }
      const number = Number(value);
      if (number < flag.min || number > flag.max) {
        return {
          ok: false,
          error: `--${name} must be from ${flag.min} to ${flag.max}, not '${value}'`,
        };
      }
      flags[name] = number;
    } else if (flag.kind === 'word') {
      if (!flag.words.includes(value)) {
        return {
          ok: false,
          error: `--${name} must be one of ${flag.words.join(', ')}, not '${value}'`,
        };
      }
      flags[name] = value;
    } else {
      flags[name] = value;
    }
  }
  return { ok: true, positional, flags, help: false };
}

/** A TCP port: an integer from 0 to 65535 (0: the kernel picks one). */
export function parsePort(text: string | undefined, what = 'port'): number | string {
  if (text === undefined) return `missing ${what}`;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    return `${what} must be an integer from 0 to 65535, not '${text}'`;
  return Number(text);
}

/** An IPv4 or IPv6 address in text form. */
export function parseAddress(
  text: string | undefined,
  what = 'address',
): string | { error: string } {
  if (text === undefined) return { error: `missing ${what}` };
  if (isIP(text) === 0) return { error: `${what} must be an IPv4 or IPv6 address, not '${text}'` };
  return text;
}
