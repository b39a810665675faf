import type { Segment, TcpFlag } from './protocol/segment';

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
