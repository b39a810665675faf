import type { Segment } from '@sockspec/agent/protocol';
import { capturedSegment, finSequence } from './captured-segment';

const segment = (
  time: number,
  from: number,
  to: number,
  flags: Segment['flags'],
  more = {},
): Segment => ({
  time,
  from: { address: '127.0.0.1', port: from },
  to: { address: '127.0.0.1', port: to },
  flags,
  length: 0,
  ...more,
});

const segments = [
  segment(1.5, 40000, 8070, ['FIN', 'ACK'], { seq: 100, ack: 7 }),
  segment(1.6, 8070, 40000, ['ACK'], { ack: 101 }),
  segment(2.5, 8070, 40000, ['FIN', 'ACK'], { seq: 7, ack: 101 }),
];

describe('capturedSegment', () => {
  it('finds the first segment of a direction with a flag, and an ACK of a given number', () => {
    const fin = capturedSegment(
      segments,
      { from: 40000, to: 8070, flag: 'FIN' },
      "the client's FIN",
    );
    expect(fin.time).toBe(1.5);
    const ack = { from: 8070, to: 40000, flag: 'ACK' as const, ack: finSequence(fin) + 1 };
    expect(capturedSegment(segments, ack, 'its ACK').time).toBe(1.6);
  });

  it('calls a segment the capture does not hold a HarnessStall, named', () => {
    expect(() =>
      capturedSegment(segments, { from: 40000, to: 8070, flag: 'RST' }, 'a reset'),
    ).toThrow('harness: a capture of a reset (RST from port 40000 to 8070) did not happen');
  });
});

describe('finSequence', () => {
  it('puts the FIN after the payload', () => {
    expect(finSequence(segment(0, 1, 2, ['FIN'], { seq: 100, length: 5 }))).toBe(105);
  });
});
