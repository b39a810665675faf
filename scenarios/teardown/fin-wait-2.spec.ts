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
  connectPair,
  describe,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  assertMeasured,
  startTarget,
  stateSpan,
  type StateSpan,
  type Segment,
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
  /** The segments on the port from the client's close() until its end was gone. */
  readonly segments: readonly Segment[];
  readonly clientPort: number;
}

interface HalfClosed {
  readonly target: Target;
  readonly stillThere: boolean;
  /** From the first sample showing FIN_WAIT2 to the end of the watch, on the target's clock. */
  readonly seenForMs: number;
  readonly peerReadEof: boolean;
  readonly peerSent: number | null;
  readonly received: string;
  readonly stillThereAfterTalk: boolean;
}

/** Client closes, server never does: how long the orphaned client end stays in FIN_WAIT2. */
async function orphan(finTimeout: number, lateMs: number): Promise<Orphan> {
  const target = await startTarget({
    sysctls: { 'net.ipv4.tcp_fin_timeout': finTimeout },
    capabilities: ['NET_RAW'],
  });
  const pair = await connectPair(target, 8070);
  const capture = await target.capture(8070);
  await pair.client.close();
  await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
  await target.waitForAbsence(
    { localPort: pair.clientPort, remotePort: 8070 },
    { timeoutMs: finTimeout * 1000 + 15_000 },
  );
  const segments = await capture.stop();
  const peers = await target.sockets({ state: 'CLOSE_WAIT', localPort: 8070 });
  // Both ends from the sampler's own samples: a wait request arrives later than the state it waits for.
  const span = await stateSpan(
    target,
    { localPort: pair.clientPort, remotePort: 8070 },
    'FIN_WAIT2',
  );
  return {
    target,
    finTimeout,
    lateMs,
    span,
    peersInCloseWait: peers.length,
    segments,
    clientPort: pair.clientPort,
  };
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
  const entered = (await target.changes()).changes.find(
    (change) => change.local.port === pair.clientPort && change.to === 'FIN_WAIT2',
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
    seenForMs: left.time - (entered?.time ?? NaN),
    peerReadEof,
    peerSent,
    received,
    stillThereAfterTalk: after.length === 1,
  };
}

let orphans: Orphan[] = [];
let half: HalfClosed | undefined;
beforeAll(async () => {
  recordSetting({ name: 'half-closed FIN_WAIT2 watched for', value: OUTLIVE_MS, unit: 'ms' });
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
  it(`disappears after tcp_fin_timeout, ${finTimeout} s`, () => {
    const measured = orphans[index] as Orphan;
    const { span } = measured;
    recordMeasurement({
      claims: ['C11'],
      name: `orphaned FIN_WAIT2 length (tcp_fin_timeout=${finTimeout})`,
      value: Math.round(span.lengthMs),
      unit: 'ms',
      from: 'clock',
    });
    assertMeasured(span, `an orphaned FIN_WAIT2 (tcp_fin_timeout=${finTimeout})`);
    expect(span.longestMs).toBeGreaterThanOrEqual(finTimeout * 1000 - EARLY_MS);
    expect(span.shortestMs).toBeLessThanOrEqual(finTimeout * 1000 + measured.lateMs);
  });

  it('ends either silently, the peer left in CLOSE_WAIT, or with a RST that resets the peer', () => {
    // Where the kernel keeps an orphan in FIN_WAIT2 decides how it ends: as a timewait entry it goes silently; as a
    // full socket on the keepalive timer (when the ACK of its FIN found the socket still locked by close()) it sends
    // a RST at the timeout, and the peer's CLOSE_WAIT goes with it. Both are the kernel's; nothing else is.
    const measured = orphans[index] as Orphan;
    const resets = measured.segments.filter(
      (segment) => segment.flags.includes('RST') && segment.from.port === measured.clientPort,
    );
    recordMeasurement({
      claims: ['C11'],
      name: `how the orphan ended (tcp_fin_timeout=${finTimeout})`,
      value: resets.length === 0 ? 'silently' : 'with a RST',
      from: 'capture',
    });
    expect(measured.peersInCloseWait).toBe(resets.length === 0 ? 1 : 0);
    expect(resets.length).toBeLessThanOrEqual(1);
  });
});

describe(`a half-closed FIN_WAIT2: shutdown(SHUT_WR), socket kept, tcp_fin_timeout = ${HALF_CLOSED_FIN_TIMEOUT}`, () => {
  it(`is still there ${OUTLIVE_MS / 1000} s later, well past tcp_fin_timeout (C11)`, () => {
    recordMeasurement({
      claims: ['C11'],
      name: `half-closed FIN_WAIT2 seen for, with tcp_fin_timeout=${HALF_CLOSED_FIN_TIMEOUT}`,
      value: half?.seenForMs ?? NaN,
      unit: 'ms',
      from: 'clock',
    });
    expect(half?.stillThere).toBe(true);
    expect(half?.seenForMs).toBeGreaterThan(HALF_CLOSED_FIN_TIMEOUT * 1000);
    recordVerdict({
      claim: 'C11',
      verdict: 'holds-with-nuance',
      finding:
        'tcp_fin_timeout bounds an orphaned FIN_WAIT2 only; a half-closed socket its process keeps waits on.',
    });
  });

  it('lets the peer read EOF, then send, and the half-closed side receives what it sent (X6)', () => {
    recordMeasurement({
      claims: ['X6'],
      name: 'bytes the half-closed side received after its shutdown',
      value: Buffer.byteLength(half?.received ?? ''),
      from: 'kernel',
    });
    expect(half).toMatchObject({
      peerReadEof: true,
      peerSent: 'still talking'.length,
      received: 'still talking',
      stillThereAfterTalk: true,
    });
    recordVerdict({
      claim: 'X6',
      verdict: 'holds',
      finding: 'After shutdown(SHUT_WR) the peer read EOF, sent, and was heard.',
    });
  });
});
