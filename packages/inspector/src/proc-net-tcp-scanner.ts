import { parseIpv4Hex, parseIpv6Hex } from './proc-address';
import type { Endpoint, TcpSocketEntry, TimerKind } from './tcp-socket-entry';
import { stateFromCode } from './tcp-state';

/**
 * The fast path of the /proc/net/tcp parser: one line as the kernel prints it, read in place from the file's bytes
 * (one per character, latin1), with no split, regex or substring per field. It accepts only what it is sure of
 * (fields separated by spaces or tabs, numbers short enough to be exact) and returns undefined for anything else,
 * which the general parser then reads (and explains when malformed). What it returns is exactly what the general
 * parser returns for the same line.
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

/** Each byte's value as a hex digit, or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 48; c <= 57; c += 1) HEX_VALUE[c] = c - 48;
for (let c = 65; c <= 70; c += 1) HEX_VALUE[c] = c - 55;
for (let c = 97; c <= 102; c += 1) HEX_VALUE[c] = c - 87;

function isSeparator(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * The readers below take the bytes, where to start and the line's end, and return where they stopped, or -1 when
 * the line is not the scanner's (and -1 again when given -1, so that they chain); a number read is left in
 * `value` (module state, so that a line costs no allocation but the entry itself).
 */
let value = 0;

/** Spaces and tabs, at least one. */
function separators(bytes: Uint8Array, at: number, end: number): number {
  if (at < 0) return -1;
  const from = at;
  while (at < end && isSeparator(bytes[at] as number)) at += 1;
  return at > from ? at : -1;
}

/** The end of a field: a separator or the end of the line; anything else after a field: not the scanner's line. */
function fieldEnds(bytes: Uint8Array, at: number, end: number): boolean {
  return at === end || isSeparator(bytes[at] as number);
}

/** The next `count` bytes as hex digits (a tcp6 address is four 8-digit words in a row). */
function hexExactly(bytes: Uint8Array, at: number, end: number, count: number): number {
  if (at < 0 || at + count > end) return -1;
  let number = 0;
  for (let i = 0; i < count; i += 1) {
    const digit = HEX_VALUE[bytes[at + i] as number] as number;
    if (digit < 0) return -1;
    number = number * 16 + digit;
  }
  value = number;
  return at + count;
}

/** Hex digits, 1 to MAX_HEX_DIGITS of them. */
function hex(bytes: Uint8Array, at: number, end: number): number {
  if (at < 0) return -1;
  let number = 0;
  const from = at;
  const limit = Math.min(end, from + MAX_HEX_DIGITS + 1);
  for (; at < limit; at += 1) {
    const digit = HEX_VALUE[bytes[at] as number] as number;
    if (digit < 0) break;
    number = number * 16 + digit;
  }
  if (at === from || at - from > MAX_HEX_DIGITS) return -1;
  value = number;
  return at;
}

/** Decimal digits, 1 to MAX_DECIMAL_DIGITS of them. */
function decimal(bytes: Uint8Array, at: number, end: number): number {
  if (at < 0) return -1;
  let number = 0;
  const from = at;
  const limit = Math.min(end, from + MAX_DECIMAL_DIGITS + 1);
  for (; at < limit; at += 1) {
    const c = bytes[at] as number;
    if (c < 48 || c > 57) break;
    number = number * 10 + (c - 48);
  }
  if (at === from || at - from > MAX_DECIMAL_DIGITS) return -1;
  value = number;
  return at;
}

/** A colon, then what follows it. */
function colon(bytes: Uint8Array, at: number, end: number): number {
  return at >= 0 && at < end && bytes[at] === 58 ? at + 1 : -1;
}

/** The end of a field and the separators after it: where the next field starts. */
function nextField(bytes: Uint8Array, at: number, end: number): number {
  return at >= 0 && fieldEnds(bytes, at, end) ? separators(bytes, at, end) : -1;
}

/** What `endpoint` read. */
let endpointRead: Endpoint | undefined;

/** `0100007F:1F90`, or 32 hex digits and a port for tcp6, to the field's end. */
function endpoint(
  bytes: Buffer,
  at: number,
  end: number,
  family: 'ipv4' | 'ipv6',
  addresses: AddressCache,
): number {
  endpointRead = undefined;
  if (at < 0) return -1;
  const from = at;
  let address: string | undefined;
  if (family === 'ipv4') {
    at = hexExactly(bytes, at, end, 8);
    if (at < 0) return -1;
    address = addresses.ipv4.get(value);
    if (address === undefined) {
      address = parseIpv4Hex(bytes.toString('latin1', from, at));
      addresses.ipv4.set(value, address);
    }
  } else {
    for (let word = 0; word < 4; word += 1) at = hexExactly(bytes, at, end, 8);
    if (at < 0) return -1;
    const printed = bytes.toString('latin1', from, at);
    address = addresses.ipv6.get(printed);
    if (address === undefined) {
      address = parseIpv6Hex(printed);
      addresses.ipv6.set(printed, address);
    }
  }
  at = hexExactly(bytes, colon(bytes, at, end), end, 4);
  if (at < 0 || !fieldEnds(bytes, at, end)) return -1;
  endpointRead = { address, port: value };
  return at;
}

/**
 * The line bytes[start, end) of /proc/net/tcp (family ipv4) or tcp6 as an entry, or undefined when it is not a
 * plain data line (the header, a blank line, or anything unusual or malformed).
 */
export function scanProcNetTcpLine(
  bytes: Buffer,
  start: number,
  end: number,
  family: 'ipv4' | 'ipv6',
  addresses: AddressCache,
): TcpSocketEntry | undefined {
  let at = start;
  while (at < end && isSeparator(bytes[at] as number)) at += 1;
  // sl: the slot number and a colon
  at = nextField(bytes, colon(bytes, decimal(bytes, at, end), end), end);
  at = endpoint(bytes, at, end, family, addresses);
  const local = endpointRead;
  at = endpoint(bytes, separators(bytes, at, end), end, family, addresses);
  const remote = endpointRead;
  at = hexExactly(bytes, separators(bytes, at, end), end, 2);
  const state = at < 0 ? undefined : stateFromCode(value);
  // tx_queue:rx_queue
  at = colon(bytes, hex(bytes, nextField(bytes, at, end), end), end);
  const txQueue = value;
  at = hex(bytes, at, end);
  const rxQueue = value;
  // tr:tm->when
  at = colon(bytes, hex(bytes, nextField(bytes, at, end), end), end);
  const kind = at < 0 ? undefined : TIMER_KINDS[value];
  at = hex(bytes, at, end);
  const when = value;
  at = hex(bytes, nextField(bytes, at, end), end);
  const retransmits = value;
  at = decimal(bytes, nextField(bytes, at, end), end);
  const uid = value;
  at = decimal(bytes, nextField(bytes, at, end), end);
  const timeouts = value;
  at = decimal(bytes, nextField(bytes, at, end), end);
  const inode = value;
  if (
    at < 0 ||
    !fieldEnds(bytes, at, end) ||
    state === undefined ||
    kind === undefined ||
    local === undefined ||
    remote === undefined
  )
    return undefined;
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
