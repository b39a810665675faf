/**
 * FIN_WAIT2: bounded for orphans, unbounded for a half-closed socket.                     Claims: C11, X6
 *
 * The article says Linux, against the RFC, does not let FIN_WAIT_2 last for ever: net.ipv4.tcp_fin_timeout bounds
 * it (C11). The kernel applies that bound to orphaned sockets only, those whose process already called close().
 * A process that called shutdown(SHUT_WR) still owns its socket: that half-closed FIN_WAIT2 waits for the peer as
 * long as it likes, and it can still receive, while the peer reads EOF and can still send (X6).
 *
 * In each story the server never closes, so the client's end can only leave FIN_WAIT2 by the kernel's timeout.
 * The three stories run side by side, one target each. Tolerance: the timer wheel's lateness for a timer of that
 * length (up to 512 ms for 5 s at HZ=1000, up to 4.096 s for 60 s), and never earlier than the timeout minus a tick
 * and a table read (100 ms). The sampler reads the table every 10 ms when it keeps up, so each end of the span is
 * known between two samples: the span's longest possible length is held to the early bound, its shortest to the
 * late one, and the doubt the samples leave must stay under SAMPLING_DOUBT_MS for the measurement to count.
 */
import {
  recordVerdict,
  connectPair,
  recordMeasurement,
  SAMPLING_DOUBT_MS,
  startTarget,
  stateSpan,
  type StateSpan,
  type Target,
} from '@sockspec/testkit';

const EARLY_MS = 100;
const HALF_CLOSED_FIN_TIMEOUT = 5;
const OUTLIVE_MS = HALF_CLOSED_FIN_TIMEOUT * 1000 + 3_000;

interface Orphan {
  readonly target: Target;
  readonly finTimeout: number;
  readonly lateMs: number;
  readonly span: StateSpan;
  /** Server ends in CLOSE_WAIT on the port as the client end went away. */
  readonly peersInCloseWait: number;
}

interface HalfClosed {
  readonly target: Target;
  readonly stillThere: boolean;
  readonly peerReadEof: boolean;
  readonly peerSent: number | null;
  readonly received: string;
  readonly stillThereAfterTalk: boolean;
}

/** Client closes, server never does: how long the orphaned client end stays in FIN_WAIT2. */
async function orphan(finTimeout: number, lateMs: number): Promise<Orphan> {
  const target = await startTarget({ sysctls: { 'net.ipv4.tcp_fin_timeout': finTimeout } });
  const pair = await connectPair(target, 8070);
  await pair.client.close();
  await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
  await target.waitForAbsence(
    { localPort: pair.clientPort, remotePort: 8070 },
    { timeoutMs: finTimeout * 1000 + 15_000 },
  );
  const peers = await target.sockets({ state: 'CLOSE_WAIT', localPort: 8070 });
  // Both ends from the sampler's own samples: a wait request arrives later than the state it waits for.
  const span = await stateSpan(
    target,
    { localPort: pair.clientPort, remotePort: 8070 },
    'FIN_WAIT2',
  );
  return { target, finTimeout, lateMs, span, peersInCloseWait: peers.length };
}

/** Client shuts down its writing side and keeps the socket; the server reads EOF, then talks back. */
async function halfClosed(): Promise<HalfClosed> {
  const target = await startTarget({
    sysctls: { 'net.ipv4.tcp_fin_timeout': HALF_CLOSED_FIN_TIMEOUT },
  });
  const pair = await connectPair(target, 8071);
  await pair.client.shutdown('write');
  await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
  const left = await target.tryWait(
    { state: 'FIN_WAIT2', localPort: pair.clientPort },
    { absent: true, timeoutMs: OUTLIVE_MS },
  );
  const peerReadEof = (await pair.server.recv()).eof;
  const peerSent = await pair.server.send('still talking');
  let received = '';
  for (let i = 0; i < 100 && received === ''; i += 1) {
    const chunk = await pair.client.recv();
    received = chunk.text;
    if (chunk.wouldBlock) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const after = await target.sockets({ state: 'FIN_WAIT2', localPort: pair.clientPort });
  return {
    target,
    stillThere: !left.satisfied,
    peerReadEof,
    peerSent,
    received,
    stillThereAfterTalk: after.length === 1,
  };
}

let orphans: Orphan[] = [];
let half: HalfClosed | undefined;
beforeAll(async () => {
  const [short, long, halfClosedResult] = await Promise.all([
    orphan(5, 600),
    orphan(60, 4_200),
    halfClosed(),
  ]);
  orphans = [short, long];
  half = halfClosedResult;
});
afterAll(async () => {
  await Promise.all([...orphans.map((o) => o.target.stop()), half?.target.stop()]);
});

describe.each([
  { index: 0, finTimeout: 5 },
  { index: 1, finTimeout: 60 },
])('an orphaned FIN_WAIT2 with tcp_fin_timeout = $finTimeout (C11)', ({ index, finTimeout }) => {
  it(`disappears after tcp_fin_timeout, ${finTimeout} s, while the peer still sits in CLOSE_WAIT`, async () => {
    const measured = orphans[index] as Orphan;
    const { span } = measured;
    recordMeasurement({
      claims: ['C11'],
      name: `orphaned FIN_WAIT2 length (tcp_fin_timeout=${finTimeout})`,
      value: Math.round(span.lengthMs),
      unit: 'ms',
    });
    expect(span.longestMs - span.shortestMs).toBeLessThanOrEqual(SAMPLING_DOUBT_MS);
    expect(span.longestMs).toBeGreaterThanOrEqual(finTimeout * 1000 - EARLY_MS);
    expect(span.shortestMs).toBeLessThanOrEqual(finTimeout * 1000 + measured.lateMs);
    expect(measured.peersInCloseWait).toBe(1);
  });
});

describe(`a half-closed FIN_WAIT2: shutdown(SHUT_WR), socket kept, tcp_fin_timeout = ${HALF_CLOSED_FIN_TIMEOUT} (C11, X6)`, () => {
  it(`is still there ${OUTLIVE_MS / 1000} s later, well past tcp_fin_timeout (C11)`, () => {
    recordMeasurement({
      claims: ['C11'],
      name: 'half-closed FIN_WAIT2 still present after',
      value: OUTLIVE_MS,
      unit: 'ms',
    });
    expect(half?.stillThere).toBe(true);
  });

  it('lets the peer read EOF, then send, and the half-closed side receives what it sent (X6)', () => {
    recordMeasurement({
      claims: ['X6'],
      name: 'received by the half-closed side',
      value: half?.received ?? '',
    });
    expect(half).toMatchObject({
      peerReadEof: true,
      peerSent: 'still talking'.length,
      received: 'still talking',
      stillThereAfterTalk: true,
    });
    recordVerdict({
      claim: 'C11',
      verdict: 'holds-with-nuance',
      finding:
        'tcp_fin_timeout bounds an orphaned FIN_WAIT2 only; a half-closed socket its process keeps waits on.',
    });
    recordVerdict({
      claim: 'X6',
      verdict: 'holds',
      finding: 'After shutdown(SHUT_WR) the peer read EOF, sent, and was heard.',
    });
  });
});
