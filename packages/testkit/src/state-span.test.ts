import type { TcpChange } from '@sockspec/agent/protocol';
import type { TcpState } from '@sockspec/inspector';
import { findRemoval, findStateSpan } from './state-span';

const client = { address: '127.0.0.1', port: 40000 };
const server = { address: '127.0.0.1', port: 8070 };
let seq = 0;
const change = (
  previousTime: number | null,
  time: number,
  from: TcpState | null,
  to: TcpState | null,
  local = client,
  remote = server,
): TcpChange => ({
  seq: ++seq,
  time,
  previousTime,
  key: `${local.port}>${remote.port}`,
  local,
  remote,
  from,
  to,
});

describe('findStateSpan', () => {
  it('brackets each end of the span between the sample that showed the change and the one before it', () => {
    const changes = [
      change(null, 1_000, null, 'ESTABLISHED'),
      // The sampler fell 300 ms behind just as the socket entered FIN_WAIT2.
      change(1_190, 1_490, 'ESTABLISHED', 'FIN_WAIT2'),
      change(6_200, 6_210, 'FIN_WAIT2', null),
    ];
    expect(findStateSpan(changes, { localPort: 40000 }, 'FIN_WAIT2')).toEqual({
      entered: 1_490,
      enteredAfter: 1_190,
      left: 6_210,
      leftAfter: 6_200,
      lengthMs: 4_720,
      shortestMs: 4_710,
      longestMs: 5_020,
    });
  });

  it("takes the socket's own changes only, by local and remote port", () => {
    const changes = [
      change(0, 10, null, 'TIME_WAIT', server, client),
      change(0, 10, null, 'TIME_WAIT'),
      change(20, 30, 'TIME_WAIT', null, server, client),
      change(90, 100, 'TIME_WAIT', null),
    ];
    const span = findStateSpan(changes, { localPort: 40000, remotePort: 8070 }, 'TIME_WAIT');
    expect([span.entered, span.left]).toEqual([10, 100]);
  });

  it('dates a change in the first sample by that sample alone', () => {
    const changes = [
      change(null, 500, null, 'CLOSE_WAIT'),
      change(700, 710, 'CLOSE_WAIT', 'LAST_ACK'),
    ];
    const span = findStateSpan(changes, { localPort: 40000 }, 'CLOSE_WAIT');
    expect([span.enteredAfter, span.shortestMs, span.longestMs]).toEqual([500, 200, 210]);
  });

  it('names the changes it saw when the state never began or never ended', () => {
    const changes = [
      change(null, 1, null, 'ESTABLISHED'),
      change(1, 2, 'ESTABLISHED', 'FIN_WAIT2'),
    ];
    expect(() => findStateSpan(changes, { localPort: 40000 }, 'FIN_WAIT2')).toThrow(
      'the sampler saw no complete FIN_WAIT2 span for local port 40000: ["->ESTABLISHED","ESTABLISHED>FIN_WAIT2"]',
    );
    expect(() => findStateSpan(changes, { localPort: 40000 }, 'TIME_WAIT')).toThrow(
      'no complete TIME_WAIT span',
    );
  });
});

describe('findRemoval', () => {
  it('brackets the removal by the last sample showing the state (its read start) and the first not (its end)', () => {
    const changes = [
      change(null, 1_000, null, 'TIME_WAIT'),
      change(61_000, 62_300, 'TIME_WAIT', null),
    ];
    expect(findRemoval(changes, { localPort: 40000 }, 'TIME_WAIT')).toEqual({
      earliest: 61_000,
      latest: 62_300,
    });
    expect(findRemoval(changes.slice(0, 1), { localPort: 40000 }, 'TIME_WAIT')).toBeUndefined();
  });
});
