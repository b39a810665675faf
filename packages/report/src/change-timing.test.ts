import { alignChanges, type SampledChange } from './change-timing';
import type { LadderEndpoint, LadderSegment } from './ladder-reading';

const T0 = 1_800_000_000_000;
const client = { address: '127.0.0.1', port: 49396 };
const server = { address: '127.0.0.1', port: 8080 };
const sent = (time: number, from: LadderEndpoint, flags: string[]): LadderSegment => ({
  time,
  from,
  to: from === client ? server : client,
  flags,
  length: 0,
});
const sampled = (
  time: number,
  previousTime: number,
  local: LadderEndpoint,
  from: string | null,
  to: string | null,
): SampledChange => ({
  time,
  previousTime,
  local,
  remote: local === client ? server : client,
  from,
  to,
});

// A real capture's shape: the sample that saw the close is stamped in whole ms, before the FIN's microseconds.
const segments = [
  sent(T0 + 0.251, client, ['FIN', 'ACK']),
  sent(T0 + 0.416, server, ['ACK']),
  sent(T0 + 423.077, server, ['FIN', 'ACK']),
  sent(T0 + 423.087, client, ['ACK']),
];

describe('alignChanges', () => {
  it('moves a state entered on receiving to the last segment the socket received in its sample window', () => {
    const [finWait2, closeWait] = alignChanges(
      [
        sampled(T0, T0 - 54, client, 'ESTABLISHED', 'FIN_WAIT2'),
        sampled(T0, T0 - 54, server, 'ESTABLISHED', 'CLOSE_WAIT'),
      ],
      segments,
    );
    expect(finWait2?.time).toBe(T0 + 0.416);
    expect(closeWait?.time).toBe(T0 + 0.251);
  });

  it('moves FIN_WAIT1 and LAST_ACK to the FIN their socket sent, and a vanishing socket to its last segment', () => {
    const aligned = alignChanges(
      [
        sampled(T0, T0 - 9, client, 'ESTABLISHED', 'FIN_WAIT1'),
        sampled(T0 + 424, T0 + 400, server, 'CLOSE_WAIT', 'LAST_ACK'),
        sampled(T0 + 424, T0 + 400, server, 'LAST_ACK', null),
      ],
      segments,
    );
    expect(aligned.map((change) => change.time)).toEqual([T0 + 0.251, T0 + 423.077, T0 + 423.087]);
  });

  it("keeps a timer's change, with no segment in its window, at its sample time", () => {
    const [gone] = alignChanges(
      [sampled(T0 + 60_500, T0 + 60_490, client, 'TIME_WAIT', null)],
      segments,
    );
    expect(gone).toEqual({
      time: T0 + 60_500,
      local: client,
      remote: server,
      from: 'TIME_WAIT',
      to: null,
    });
  });

  it('ignores segments of other connections and outside the window', () => {
    const other = { address: '127.0.0.1', port: 40000 };
    const [change] = alignChanges(
      [sampled(T0 + 100, T0 + 90, client, 'FIN_WAIT2', 'TIME_WAIT')],
      [...segments, { ...sent(T0 + 95, server, ['FIN']), to: other }],
    );
    expect(change?.time).toBe(T0 + 100);
  });
});
