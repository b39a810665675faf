import { UsageError } from './usage-error';

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A flag's number, checked against its range; undefined if the flag is absent. Decimal only, as people write
 * seconds and counts: Number() would also take 0x10, 1e3, ' 5' and Infinity. A switch given where a number belongs
 * (`--port` with nothing after it) is refused too.
 */
export function numberFlag(
  text: string | boolean | undefined,
  flag: string,
  limits: { readonly min: number; readonly max: number; readonly integer?: boolean },
): number | undefined {
  if (text === undefined) return undefined;
  const integer = limits.integer ?? true;
  if (
    typeof text !== 'string' ||
    !(integer ? INTEGER : DECIMAL).test(text) ||
    Number(text) < limits.min ||
    Number(text) > limits.max
  ) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UsageError(
      `--${flag} must be ${kind} from ${limits.min} to ${limits.max}, not '${String(text)}'`,
    );
  }
  return Number(text);
}

/** A flag's value, one of some words; undefined if the flag is absent. */
export function wordFlag<W extends string>(
  text: string | undefined,
  flag: string,
  words: readonly W[],
): W | undefined {
  if (text === undefined || (words as readonly string[]).includes(text)) {
    return text as W | undefined;
  }
  throw new UsageError(`--${flag} must be one of ${words.join(', ')}, not '${text}'`);
}
