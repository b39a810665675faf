import type { Segment, TcpFlag } from '@sockspec/agent/protocol';
import { classifySegments } from './segment-kinds';

const client = { address: '127.0.0.1', port: 40000 };
const server = { address: '127.0.0.1', port: 8083 };
let time = 0;
const segment = (
  from: typeof client,
  flags: readonly TcpFlag[],
  seq: number | undefined,
  ack: number | undefined,
  length = 0,
): Segment => ({
  time: (time += 1),
  from,
  to: from === client ? server : client,
  flags,
  ...(seq === undefined ? {} : { seq }),
  ...(ack === undefined ? {} : { ack }),
  length,
});

const kinds = (segments: readonly Segment[]): string[] =>
  classifySegments(segments).map((classified) => classified.kind);

describe('classifySegments', () => {
  it('reads a four-segment close as four first sends', () => {
    expect(
      kinds([
        segment(client, ['FIN', 'ACK'], 100, 500),
        segment(server, ['ACK'], 500, 101),
        segment(server, ['FIN', 'ACK'], 500, 101),
        segment(client, ['ACK'], 101, 501),
      ]),
    ).toEqual(['first', 'first', 'first', 'first']);
  });

  it('tells the close from the ACKs that repeat it and the RST after it (as a slow kernel sent them)', () => {
    expect(
      kinds([
        segment(client, ['FIN', 'ACK'], 100, 500),
        segment(server, ['FIN', 'ACK'], 500, 101),
        segment(client, ['ACK'], 101, 501),
        segment(server, ['ACK'], 501, 101),
        segment(client, ['ACK'], 101, 501),
        segment(server, ['RST'], 501, undefined),
      ]),
    ).toEqual(['first', 'first', 'first', 'repeated-ack', 'repeated-ack', 'rst']);
  });

  it('marks a FIN sent again with the same seq as a retransmission, and data sent again likewise', () => {
    expect(
      kinds([
        segment(client, ['PSH', 'ACK'], 100, 500, 5),
        segment(client, ['PSH', 'ACK'], 100, 500, 5),
        segment(client, ['FIN', 'ACK'], 105, 500),
        segment(client, ['FIN', 'ACK'], 105, 500),
        segment(server, ['ACK'], 500, 106),
      ]),
    ).toEqual(['first', 'retransmission', 'first', 'retransmission', 'first']);
  });

  it('keeps each sender apart: the same seq from the other end is its own first send', () => {
    expect(
      kinds([segment(client, ['FIN', 'ACK'], 100, 100), segment(server, ['FIN', 'ACK'], 100, 101)]),
    ).toEqual(['first', 'first']);
  });

  it('counts an ack number past the 32-bit wrap as acknowledging more', () => {
    expect(
      kinds([
        segment(server, ['ACK'], 500, 2 ** 32 - 1),
        segment(server, ['ACK'], 500, 0),
        segment(server, ['ACK'], 500, 2 ** 32 - 1),
      ]),
    ).toEqual(['first', 'first', 'repeated-ack']);
  });

  it('counts a segment whose seq tcpdump did not print as a first send', () => {
    expect(
      kinds([
        segment(client, ['FIN', 'ACK'], undefined, 500),
        segment(client, ['FIN'], undefined, 500),
      ]),
    ).toEqual(['first', 'first']);
  });
});
