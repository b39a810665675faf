import { parseProcEndpoint } from './proc-address';
import {
  MS_PER_TICK,
  TIMER_KINDS,
  newAddressCache,
  scanProcNetTcpLine,
  type AddressCache,
} from './proc-net-tcp-scanner';
import type { TcpSocketEntry } from './tcp-socket-entry';
import { stateFromCode } from './tcp-state';

export interface ParseError {
  readonly lineNumber: number;
  readonly line: string;
  readonly reason: string;
}

export interface ParseResult {
  readonly entries: TcpSocketEntry[];
  readonly errors: ParseError[];
}

const HEX_PAIR = /^[0-9A-Fa-f]+:[0-9A-Fa-f]+$/;
/** A character the scanner could not read as one byte (latin1): such text goes to the general parser only. */
const BEYOND_LATIN1 = /[^\0-\xff]/;

/**
 * One line of /proc/net/tcp or tcp6 (not the header) to an entry, or a reason it is malformed. Pure, never throws.
 *
 * `  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...`
 */
export function parseProcNetTcpLine(
  line: string,
  family: 'ipv4' | 'ipv6',
): TcpSocketEntry | { error: string } {
  const scanned = !BEYOND_LATIN1.test(line)
    ? scanProcNetTcpLine(Buffer.from(line, 'latin1'), 0, line.length, family, newAddressCache())
    : undefined;
  return scanned ?? parseProcNetTcpFields(line, family);
}

/**
 * The general reading of one line, field by field: what the fast scanner (proc-net-tcp-scanner.ts) declines, and
 * the reference it is checked against. Exported for the tests only.
 */
export function parseProcNetTcpFields(
  line: string,
  family: 'ipv4' | 'ipv6',
): TcpSocketEntry | { error: string } {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 10) return { error: `expected at least 10 fields, found ${fields.length}` };
  const [slot, localText, remoteText, stateText, queues, timer, retransmits, uid, timeouts, inode] =
    fields as [string, string, string, string, string, string, string, string, string, string];
  if (!/^\d+:$/.test(slot)) return { error: `'${slot}' is not a slot number` };
  const local = parseProcEndpoint(localText, family);
  if (local === undefined) return { error: `malformed ${family} local address '${localText}'` };
  const remote = parseProcEndpoint(remoteText, family);
  if (remote === undefined) return { error: `malformed ${family} remote address '${remoteText}'` };
  const state = /^[0-9A-Fa-f]{2}$/.test(stateText)
    ? stateFromCode(parseInt(stateText, 16))
    : undefined;
  if (state === undefined) return { error: `unknown state code '${stateText}'` };
  if (!HEX_PAIR.test(queues)) return { error: `malformed tx_queue:rx_queue field '${queues}'` };
  if (!HEX_PAIR.test(timer)) return { error: `malformed tr:tm->when timer field '${timer}'` };
  const [tx, rx] = queues.split(':') as [string, string];
  const [timerCode, when] = timer.split(':') as [string, string];
  const kind = TIMER_KINDS[parseInt(timerCode, 16)];
  if (kind === undefined) return { error: `unknown timer code '${timerCode}'` };
  if (!/^[0-9A-Fa-f]+$/.test(retransmits)) {
    return { error: `malformed retrnsmt field '${retransmits}'` };
  }
  const decimals: ReadonlyArray<readonly [string, string]> = [
    ['uid', uid],
    ['timeout', timeouts],
    ['inode', inode],
  ];
  for (const [name, text] of decimals) {
    if (!/^\d+$/.test(text)) return { error: `malformed ${name} field '${text}'` };
  }
  return {
    family,
    state,
    local,
    remote,
    txQueue: parseInt(tx, 16),
    rxQueue: parseInt(rx, 16),
    timer: { kind, remainingMs: kind === 'none' ? 0 : parseInt(when, 16) * MS_PER_TICK },
    retransmits: parseInt(retransmits, 16),
    uid: Number(uid),
    timeouts: Number(timeouts),
    inode: Number(inode),
  };
}

/** The whole text of /proc/net/tcp or tcp6: entries, and each malformed line with its reason. Never throws. */
export function parseProcNetTcp(text: string, family: 'ipv4' | 'ipv6'): ParseResult {
  if (!BEYOND_LATIN1.test(text)) return parseProcNetTcpBytes(Buffer.from(text, 'latin1'), family);
  // Not what procfs gives.
  return parseProcNetTcpByFields(text, family);
}

/**
 * The same answer as parseProcNetTcp, line by line and field by field, without the byte scanner: for text beyond
 * latin1, and the reference the scanner is checked against.
 */
export function parseProcNetTcpByFields(text: string, family: 'ipv4' | 'ipv6'): ParseResult {
  const entries: TcpSocketEntry[] = [];
  const errors: ParseError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (line.trim() === '' || (i === 0 && line.trimStart().startsWith('sl'))) continue;
    const parsed = parseProcNetTcpFields(line, family);
    if ('error' in parsed) errors.push({ lineNumber: i + 1, line, reason: parsed.error });
    else entries.push(parsed);
  }
  return { entries, errors };
}

/**
 * The file as read, in bytes (its text is latin1, one byte per character): each line through the scanner, and
 * what it declines through the general parser, as parseProcNetTcp does with the text.
 */
export function parseProcNetTcpBytes(bytes: Buffer, family: 'ipv4' | 'ipv6'): ParseResult {
  const entries: TcpSocketEntry[] = [];
  const errors: ParseError[] = [];
  const addresses: AddressCache = newAddressCache();
  // Line by line in place, cut where text.split('\n') would cut them.
  for (let start = 0, i = 0; start <= bytes.length; i += 1) {
    const newline = bytes.indexOf(10, start);
    const end = newline === -1 ? bytes.length : newline;
    const scanned = scanProcNetTcpLine(bytes, start, end, family, addresses);
    if (scanned !== undefined) entries.push(scanned);
    else {
      const line = bytes.toString('latin1', start, end);
      if (!(line.trim() === '' || (i === 0 && line.trimStart().startsWith('sl')))) {
        const parsed = parseProcNetTcpFields(line, family);
        if ('error' in parsed) errors.push({ lineNumber: i + 1, line, reason: parsed.error });
        else entries.push(parsed);
      }
    }
    start = end + 1;
  }
  return { entries, errors };
}
