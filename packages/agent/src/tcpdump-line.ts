import type { Endpoint } from '@sockspec/inspector';

export type TcpFlag = 'SYN' | 'FIN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR';

/** One TCP segment as a capture saw it. */
export interface Segment {
  /** Epoch milliseconds (microsecond precision). */
  readonly time: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** In the order SYN, FIN, RST, PSH, ACK, URG, ECE, CWR. */
  readonly flags: readonly TcpFlag[];
  /** Absolute sequence number of the first byte (or of the SYN/FIN), when tcpdump printed one. */
  readonly seq?: number;
  readonly ack?: number;
  /** Payload bytes. */
  readonly length: number;
}

const FLAG_LETTERS: ReadonlyArray<readonly [string, TcpFlag]> = [
  ['S', 'SYN'],
  ['F', 'FIN'],
  ['R', 'RST'],
  ['P', 'PSH'],
  ['.', 'ACK'],
  ['U', 'URG'],
  ['E', 'ECE'],
  ['W', 'CWR'],
];

const LINE =
  /^(\d+\.\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\](?:, seq (\d+)(?::\d+)?)?(?:, ack (\d+))?.*, length (\d+)/;

/**
 * A line of `tcpdump -n -tt -S` to a segment; null for anything else (tcpdump's own messages, non-TCP lines).
 * Example: `1700000000.504021 IP 127.0.0.1.56190 > 127.0.0.1.9000: Flags [F.], seq 5, ack 9, win 64, length 0`.
 */
export function parseTcpdumpLine(line: string): Segment | null {
  const match = LINE.exec(line);
  if (match === null) return null;
  const [, time, fromAddress, fromPort, toAddress, toPort, letters, seq, ack, length] =
    match as unknown as string[];
  return {
    time: Number(time) * 1000,
    from: { address: fromAddress as string, port: Number(fromPort) },
    to: { address: toAddress as string, port: Number(toPort) },
    flags: FLAG_LETTERS.filter(([letter]) => (letters as string).includes(letter)).map(
      ([, flag]) => flag,
    ),
    ...(seq === undefined ? {} : { seq: Number(seq) }),
    ...(ack === undefined ? {} : { ack: Number(ack) }),
    length: Number(length),
  };
}

/** `FIN+ACK`, `SYN`, `RST+ACK`: how a segment's flags read in a sentence. */
export function flagText(flags: readonly TcpFlag[]): string {
  return flags.join('+');
}
