import { parseIpv4Hex, parseIpv6Hex } from './proc-address';
import type { Endpoint, TcpSocketEntry, TimerKind } from './tcp-socket-entry';
import { stateFromCode } from './tcp-state';

/**
 * The fast path of the /proc/net/tcp parser: one line as the kernel prints it, read in place from the whole text
 * by character codes, with no split, regex or substring per field. It accepts only what it is sure of (fields
 * separated by spaces or tabs, numbers short enough to be exact) and returns undefined for anything else, which
 * the general parser then reads (and explains when malformed). What it returns is exactly what the general parser
 * returns for the same line.
 */

export const TIMER_KINDS: readonly TimerKind[] = [
  'none',
  'retransmit',
  'keepalive',
  'time-wait',
  'zero-window-probe',
];
/** The kernel prints timer expiry in USER_HZ ticks (100 per second). */
export const MS_PER_TICK = 10;

/** Address texts already made in one parse, by the printed hex: a table repeats a few addresses many times. */
export interface AddressCache {
  readonly ipv4: Map<number, string>;
  readonly ipv6: Map<string, string>;
}

export function newAddressCache(): AddressCache {
  return { ipv4: new Map(), ipv6: new Map() };
}

/** Hex digits up to 13 (52 bits) and decimal digits up to 15 are exact in a double, as parseInt and Number are. */
const MAX_HEX_DIGITS = 13;
const MAX_DECIMAL_DIGITS = 15;

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; c += 1) HEX_VALUE[c] = c - 48;
for (let c = 65; c <= 70; c += 1) HEX_VALUE[c] = c - 55;
for (let c = 97; c <= 102; c += 1) HEX_VALUE[c] = c - 87;

function hexDigit(c: number): number {
  return c < 128 ? (HEX_VALUE[c] as number) : -1;
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * The scan's position in the text and the end of its line: module state rather than a cursor object, so that a
 * line costs no allocation but the entry itself. Each read below moves `at` past what it read, or returns -1 (and
 * the line is not the scanner's).
 */
let text = '';
let at = 0;
let end = 0;

/** Spaces and tabs: at least one when `required`. */
function separators(required: boolean): boolean {
  const from = at;
  while (at < end && isSeparator(text.charCodeAt(at))) at += 1;
  return !required || at > from;
}

/**
 * Hex digits, at least one and at most `max`; or, when `exact`, the next `max` characters, which must all be hex
 * digits (a tcp6 address is four 8-digit words in a row).
 */
function hex(max: number, exact: boolean): number {
  let value = 0;
  const from = at;
  const limit = from + (exact ? max : max + 1);
  while (at < end && at < limit) {
    const digit = hexDigit(text.charCodeAt(at));
    if (digit < 0) break;
    value = value * 16 + digit;
    at += 1;
  }
  const count = at - from;
  if (count === 0 || count > max || (exact && count !== max)) return -1;
  return value;
}

function decimal(): number {
  let value = 0;
  const from = at;
  const limit = from + MAX_DECIMAL_DIGITS + 1;
  while (at < end && at < limit) {
    const c = text.charCodeAt(at);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    at += 1;
  }
  const count = at - from;
  return count === 0 || count > MAX_DECIMAL_DIGITS ? -1 : value;
}

function char(code: number): boolean {
  if (at >= end || text.charCodeAt(at) !== code) return false;
  at += 1;
  return true;
}

/** The end of a field: a separator or the end of the line. Anything else after a field: not the scanner's line. */
function fieldEnds(): boolean {
  return at === end || isSeparator(text.charCodeAt(at));
}

/** `0100007F:1F90`, or 32 hex digits and a port for tcp6, then the field's end. */
function endpoint(family: 'ipv4' | 'ipv6', addresses: AddressCache): Endpoint | undefined {
  const from = at;
  let address: string | undefined;
  if (family === 'ipv4') {
    const word = hex(8, true);
    if (word < 0) return undefined;
    address = addresses.ipv4.get(word);
    if (address === undefined) {
      address = parseIpv4Hex(text.slice(from, from + 8));
      addresses.ipv4.set(word, address);
    }
  } else {
    for (let word = 0; word < 4; word += 1) if (hex(8, true) < 0) return undefined;
    const printed = text.slice(from, from + 32);
    address = addresses.ipv6.get(printed);
    if (address === undefined) {
      address = parseIpv6Hex(printed);
      addresses.ipv6.set(printed, address);
    }
  }
  if (!char(58)) return undefined;
  const port = hex(4, true);
  if (port < 0 || !fieldEnds()) return undefined;
  return { address, port };
}

/** A field of hex digits, then the separators before the next field. */
function hexField(): number {
  const value = hex(MAX_HEX_DIGITS, false);
  return value < 0 || !fieldEnds() || !separators(true) ? -1 : value;
}

/** The first half of `hex:hex`. */
function hexBeforeColon(): number {
  const value = hex(MAX_HEX_DIGITS, false);
  return value < 0 || !char(58) ? -1 : value;
}

/** A field of decimal digits, then the separators before the next field (`last`: none needed). */
function decimalField(last: boolean): number {
  const value = decimal();
  return value < 0 || !fieldEnds() || !(last || separators(true)) ? -1 : value;
}

/**
 * The line source[start, lineEnd) of /proc/net/tcp (family ipv4) or tcp6 as an entry, or undefined when it is not
 * a plain data line (the header, a blank line, or anything unusual or malformed).
 */
export function scanProcNetTcpLine(
  source: string,
  start: number,
  lineEnd: number,
  family: 'ipv4' | 'ipv6',
  addresses: AddressCache,
): TcpSocketEntry | undefined {
  text = source;
  at = start;
  end = lineEnd;
  const entry = scanLine(family, addresses);
  text = ''; // not to hold on to the whole table between parses
  return entry;
}

function scanLine(family: 'ipv4' | 'ipv6', addresses: AddressCache): TcpSocketEntry | undefined {
  separators(false);
  // sl: the slot number and a colon
  if (decimal() < 0 || !char(58) || !separators(true)) return undefined;
  const local = endpoint(family, addresses);
  if (local === undefined || !separators(true)) return undefined;
  const remote = endpoint(family, addresses);
  if (remote === undefined || !separators(true)) return undefined;
  const stateCode = hex(2, true);
  const state = stateCode < 0 || !fieldEnds() ? undefined : stateFromCode(stateCode);
  if (state === undefined || !separators(true)) return undefined;
  const txQueue = hexBeforeColon();
  const rxQueue = txQueue < 0 ? -1 : hexField();
  const timerCode = rxQueue < 0 ? -1 : hexBeforeColon();
  const kind = timerCode < 0 ? undefined : TIMER_KINDS[timerCode];
  if (kind === undefined) return undefined;
  const when = hexField();
  const retransmits = when < 0 ? -1 : hexField();
  const uid = retransmits < 0 ? -1 : decimalField(false);
  const timeouts = uid < 0 ? -1 : decimalField(false);
  const inode = timeouts < 0 ? -1 : decimalField(true);
  if (inode < 0) return undefined;
  return {
    family,
    state,
    local,
    remote,
    txQueue,
    rxQueue,
    timer: { kind, remainingMs: kind === 'none' ? 0 : when * MS_PER_TICK },
    retransmits,
    uid,
    timeouts,
    inode,
  };
}
