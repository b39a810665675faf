// The programs' own words: ports and addresses, checked; the rest of reading a command line is @sockspec/command-line's.
import { isIP } from 'node:net';
import { UsageError } from '@sockspec/command-line';

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
