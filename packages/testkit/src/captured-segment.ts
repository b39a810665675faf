import type { Segment, TcpFlag } from '@sockspec/agent/protocol';
import { HarnessStall } from './harness-stall';

/** Which segment: from one port to another, carrying a flag, and optionally acknowledging a sequence number. */
export interface SegmentMatch {
  readonly from: number;
  readonly to: number;
  readonly flag: TcpFlag;
  readonly ack?: number;
}

function matches(segment: Segment, match: SegmentMatch): boolean {
  return (
    segment.from.port === match.from &&
    segment.to.port === match.to &&
    segment.flags.includes(match.flag) &&
    (match.ack === undefined || segment.ack === match.ack)
  );
}

/**
 * The first captured segment that matches: its time is the kernel's stamp as it passed. A segment the kernel must
 * have sent (the state it causes was seen) that the capture does not hold was lost by the capture: a HarnessStall
 * naming it, never a finding about the kernel.
 */
export function capturedSegment(
  segments: readonly Segment[],
  match: SegmentMatch,
  what: string,
): Segment {
  const found = segments.find((segment) => matches(segment, match));
  if (found === undefined) {
    const first = segments[0]?.time ?? 0;
    const last = segments.at(-1)?.time ?? first;
    throw new HarnessStall(
      `a capture of ${what} (${match.flag} from port ${match.from} to ${match.to}` +
        `${match.ack === undefined ? '' : `, ack ${match.ack}`})`,
      last - first,
      `the capture's ${segments.length} segments do not hold it (the capture lost it)`,
    );
  }
  return found;
}

/** The sequence number a segment's FIN takes: after its payload. Its ACK acknowledges this plus one. */
export function finSequence(fin: Segment): number {
  if (fin.seq === undefined) throw new Error(`the capture printed no sequence number for a FIN`);
  return (fin.seq + fin.length) % 2 ** 32;
}
