import type { Segment } from '@sockspec/agent/protocol';

/**
 * What a captured segment was, read against the segments before it from the same sender:
 * - `first`: the first send of its sequence space (SYN, FIN or data), or a pure ACK that acknowledges something new;
 * - `retransmission`: the same sequence space (seq, SYN, FIN, length) sent again;
 * - `repeated-ack`: a pure ACK that acknowledges nothing its sender had not acknowledged already (a duplicate ACK,
 *   a window update, an answer to a segment outside the window);
 * - `rst`: any segment with RST.
 */
export type SegmentKind = 'first' | 'retransmission' | 'repeated-ack' | 'rst';

export interface ClassifiedSegment {
  readonly segment: Segment;
  readonly kind: SegmentKind;
}

const SEQ_SPACE = 2 ** 32;

/** Whether ack number `next` lies after `previous` in the 32-bit sequence space (less than half of it ahead). */
function acknowledgesMore(next: number, previous: number): boolean {
  const ahead = (((next - previous) % SEQ_SPACE) + SEQ_SPACE) % SEQ_SPACE;
  return ahead > 0 && ahead < SEQ_SPACE / 2;
}

const senderOf = (segment: Segment): string => `${segment.from.address} ${segment.from.port}`;

/**
 * Each segment of a capture, in the capture's order, with its kind. A segment without a seq (tcpdump printed none)
 * cannot be told from a retransmission and counts as a first send; a pure ACK without an ack number, likewise. Pure.
 */
export function classifySegments(segments: readonly Segment[]): ClassifiedSegment[] {
  const sent = new Set<string>();
  const lastAck = new Map<string, number>();
  return segments.map((segment) => {
    const sender = senderOf(segment);
    const previousAck = lastAck.get(sender);
    if (segment.ack !== undefined && !segment.flags.includes('RST')) {
      if (previousAck === undefined || acknowledgesMore(segment.ack, previousAck)) {
        lastAck.set(sender, segment.ack);
      }
    }
    if (segment.flags.includes('RST')) return { segment, kind: 'rst' };
    const syn = segment.flags.includes('SYN');
    const fin = segment.flags.includes('FIN');
    if (syn || fin || segment.length > 0) {
      if (segment.seq === undefined) return { segment, kind: 'first' };
      const key = `${sender} ${segment.seq} ${syn} ${fin} ${segment.length}`;
      const repeated = sent.has(key);
      sent.add(key);
      return { segment, kind: repeated ? 'retransmission' : 'first' };
    }
    const acksMore =
      segment.ack === undefined ||
      previousAck === undefined ||
      acknowledgesMore(segment.ack, previousAck);
    return { segment, kind: acksMore ? 'first' : 'repeated-ack' };
  });
}
