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

/** `FIN+ACK`, `SYN`, `RST+ACK`: how a segment's flags read in a sentence. */
export function flagText(flags: readonly TcpFlag[]): string {
  return flags.join('+');
}
