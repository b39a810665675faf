/**
 * FIN_WAIT2: bounded for orphans, unbounded for a half-closed socket.                     Claims: C11, X6
 *
 * The article says Linux, against the RFC, does not let FIN_WAIT_2 last for ever: net.ipv4.tcp_fin_timeout bounds
 * it (C11). The kernel applies that bound to orphaned sockets only, those whose process already called close().
 * A process that called shutdown(SHUT_WR) still owns its socket: that half-closed FIN_WAIT2 waits for the peer as
 * long as it likes, and it can still receive, while the peer reads EOF and can still send (X6).
 *
 * In each story the server never closes, so the client's end can only leave FIN_WAIT2 by the kernel's timeout.
 * The three stories run side by side, one target each. An orphan is timed by the kernel's clocks: its FIN_WAIT2
 * begins when the server's ACK of its FIN reaches it (the capture stamps it), and its timer ends at the deadline the
 * kernel set, which procfs shows as time left (known to a few ms, however loaded the machine). The removal comes
 * after the deadline, late by up to the timer wheel's granularity for a timer of that length (up to 512 ms for 5 s at
 * HZ=1000, up to 4.096 s for 60 s); the sampler witnesses it with checks a starved sampler cannot fail.
 */
import {
  capturedSegment,
  assertRemoval,
  assertTimerLength,
  connectPair,
  describe,
  describeFamilies,
  FAMILIES,
  finSequence,
  it,
  readKernelTimer,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  removalAfterDeadline,
  startTarget,
  stateRemoval,
  timerLength,
  timingOf,
  type Capability,
  type Family,
  type KernelTimedState,
  type Segment,
  type Target,
} from '@sockspec/testkit';

const HALF_CLOSED_FIN_TIMEOUT = 5;
const OUTLIVE_MS = HALF_CLOSED_FIN_TIMEOUT * 1000 + 3_000;
/** How late the timer wheel may run a 5 s timer (HZ=1000: 512 ms), and a little for the removal itself. */
const HALF_CLOSED_LATE_MS = 600;

interface Orphan {
  readonly finTimeout: number;
  readonly lateMs: number;
  readonly timed: KernelTimedState;
  /** The timer kind procfs named on the orphan: 'time-wait' on a timewait entry, 'keepalive' on a full socket. */
  readonly timerKind: string;
  /** Server ends in CLOSE_WAIT on the port as the client end went away. */
  readonly peersInCloseWait: number;
  /** The segments on the port from the client's close() until its end was gone. */
  readonly segments: readonly Segment[];
  readonly clientPort: number;
}

interface HalfClosed {
  readonly stillThere: boolean;
  /**
   * The least time FIN_WAIT2 can have lasted: from the end of the first sample that showed it to the start of a
   * reading after the watch that still showed it.
   */
  readonly heldAtLeastMs: number;
  /** The timer kind procfs named on the socket after the watch. */
  readonly timerKind: string;
  readonly peerReadEof: boolean;
  readonly peerSent: number | null;
  readonly received: string;
  readonly stillThereAfterTalk: boolean;
}

/** Client closes, server never does: how long the orphaned client end stays in FIN_WAIT2. */
async function orphan(
  target: Target,
  family: Family,
  finTimeout: number,
  lateMs: number,
): Promise<Orphan> {
  const port = family.port(8070);
  const pair = await connectPair(target, port, family.loopback);
  const socket = { localPort: pair.clientPort, remotePort: port };
  const capture = await target.capture(port);
  await pair.client.close();
  await target.waitForState({ state: 'FIN_WAIT2', ...socket });
  const timer = await readKernelTimer(target, socket, 'FIN_WAIT2');
  await target.waitForAbsence(socket, { timeoutMs: finTimeout * 1000 + 15_000 });
  const segments = await capture.stop();
  const peers = await target.sockets({ state: 'CLOSE_WAIT', localPort: port });
  // The orphan entered FIN_WAIT2 as the server's ACK of its FIN reached it, which the capture stamps.
  const fin = capturedSegment(
    segments,
    { from: pair.clientPort, to: port, flag: 'FIN' },
    "the client's FIN",
  );
  const ack = capturedSegment(
    segments,
    { from: port, to: pair.clientPort, flag: 'ACK', ack: finSequence(fin) + 1 },
    "the server's ACK of the client's FIN",
  );
  const removed = await stateRemoval(target, socket, 'FIN_WAIT2');
  return {
    finTimeout,
    lateMs,
    timed: { entered: ack.time, timerSetBy: timer.setBy, deadline: timer.deadline, removed },
    timerKind: timer.kind,
    peersInCloseWait: peers.length,
    segments,
    clientPort: pair.clientPort,
  };
}

/** Client shuts down its writing side and keeps the socket; the server reads EOF, then talks back. */
async function halfClosed(target: Target, family: Family): Promise<HalfClosed> {
  const pair = await connectPair(target, family.port(8071), family.loopback);
  await pair.client.shutdown('write');
  await target.waitForState({
    state: 'FIN_WAIT2',
    localPort: pair.clientPort,
    remotePort: pair.serverPort,
  });
  const left = await target.tryWait(
    { state: 'FIN_WAIT2', localPort: pair.clientPort, remotePort: pair.serverPort },
    { absent: true, timeoutMs: OUTLIVE_MS },
  );
  const still = await target.tryWait(
    { state: 'FIN_WAIT2', localPort: pair.clientPort, remotePort: pair.serverPort },
    { timeoutMs: 0 },
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
  const after = await target.sockets({
    state: 'FIN_WAIT2',
    localPort: pair.clientPort,
    remotePort: pair.serverPort,
  });
  return {
    stillThere: !left.satisfied && still.satisfied,
    heldAtLeastMs: (still.start ?? NaN) - (entered?.time ?? NaN),
    timerKind: still.entries[0]?.timer.kind ?? 'missing',
    peerReadEof,
    peerSent,
    received,
    stillThereAfterTalk: after.length === 1,
  };
}

const finTimeoutTarget = (finTimeout: number, capabilities: Capability[]): Promise<Target> =>
  startTarget({ sysctls: { 'net.ipv4.tcp_fin_timeout': finTimeout }, capabilities });

// Everything waits on timers: it runs side by side, one target per story, both families in each.
let targets: Target[] = [];
/** By tcp_fin_timeout (5, then 60), then by family. */
let orphans: Orphan[][] = [];
/** By family. */
let halves: HalfClosed[] = [];
beforeAll(async () => {
  recordSetting({ name: 'half-closed FIN_WAIT2 watched for', value: OUTLIVE_MS, unit: 'ms' });
  targets = await Promise.all([
    finTimeoutTarget(5, ['NET_RAW']),
    finTimeoutTarget(60, ['NET_RAW']),
    finTimeoutTarget(HALF_CLOSED_FIN_TIMEOUT, []),
  ]);
  const [short, long, halfTarget] = targets as [Target, Target, Target];
  const each = <T>(measure: (family: Family) => Promise<T>): Promise<T[]> =>
    Promise.all(FAMILIES.map(measure));
  const [short5, long60, halfClosedOnes] = await Promise.all([
    each((family) => orphan(short, family, 5, 600)),
    each((family) => orphan(long, family, 60, 4_200)),
    each((family) => halfClosed(halfTarget, family)),
  ]);
  orphans = [short5, long60];
  halves = halfClosedOnes;
});
afterAll(async () => {
  await Promise.all(targets.map((target) => target.stop()));
});

describeFamilies('FIN_WAIT2', (family) => {
  const orphanOf = (index: number): Orphan => orphans[index]?.[FAMILIES.indexOf(family)] as Orphan;
  const half = (): HalfClosed | undefined => halves[FAMILIES.indexOf(family)];

  describe.each([
    { index: 0, finTimeout: 5 },
    { index: 1, finTimeout: 60 },
  ])('an orphaned FIN_WAIT2 with tcp_fin_timeout = $finTimeout (C11)', ({ index, finTimeout }) => {
    const setting = `tcp_fin_timeout=${finTimeout}`;

    it(`gets a timer of tcp_fin_timeout, ${finTimeout} s, from the ACK of its FIN`, () => {
      const { timed, timerKind } = orphanOf(index);
      // A timewait entry's timer, or a full socket's keepalive timer (see how it ends, below).
      expect(['time-wait', 'keepalive']).toContain(timerKind);
      const length = timerLength(timed);
      assertTimerLength(timed, finTimeout * 1000, `an orphaned FIN_WAIT2 (${setting})`);
      recordMeasurement({
        claims: ['C11'],
        name: `orphaned FIN_WAIT2 timer: from the ACK of its FIN to the kernel's deadline (${setting})`,
        value: Math.round(length.valueMs),
        unit: 'ms',
        from: 'kernel',
        timing: timingOf(length),
      });
    });

    it("disappears after the kernel's deadline, within the timer wheel's lateness", () => {
      const { timed, lateMs } = orphanOf(index);
      assertRemoval(timed, lateMs, `an orphaned FIN_WAIT2 (${setting})`);
      const after = removalAfterDeadline(timed);
      recordMeasurement({
        claims: ['C11'],
        name: `orphaned FIN_WAIT2 removed after the kernel's deadline (${setting})`,
        value: Math.round(after.valueMs),
        unit: 'ms',
        from: 'kernel',
        timing: timingOf(after),
      });
    });

    it('ends as its timer says: silently from a timewait entry, or with a RST from a full socket at the deadline', () => {
      // Where the kernel keeps an orphan in FIN_WAIT2 decides how it ends: as a timewait entry (procfs names its timer
      // time-wait) it goes silently and the peer stays in CLOSE_WAIT; as a full socket on the keepalive timer (when
      // the ACK of its FIN found the socket still locked by close()) it sends one RST as the timer fires, and the
      // peer's CLOSE_WAIT goes with it.
      const measured = orphanOf(index);
      const resets = measured.segments.filter(
        (segment) => segment.flags.includes('RST') && segment.from.port === measured.clientPort,
      );
      let outcome: string;
      if (measured.timerKind === 'time-wait') {
        expect(resets).toEqual([]);
        expect(measured.peersInCloseWait).toBe(1);
        outcome = 'silently, from a timewait entry (timer: time-wait)';
      } else {
        expect(measured.timerKind).toBe('keepalive');
        expect(resets).toHaveLength(1);
        expect(measured.peersInCloseWait).toBe(0);
        // The RST is the timer firing: stamped by the capture, never before the deadline nor past the wheel's lateness.
        const reset = (resets[0] as Segment).time;
        expect(reset).toBeGreaterThanOrEqual(measured.timed.deadline.earliest);
        expect(reset).toBeLessThanOrEqual(measured.timed.deadline.latest + measured.lateMs);
        outcome = 'with a RST at the deadline, from a full socket (timer: keepalive)';
      }
      recordMeasurement({
        claims: ['C11'],
        name: `how the orphan ended (${setting})`,
        value: outcome,
        from: 'capture',
      });
    });
  });

  describe(`a half-closed FIN_WAIT2: shutdown(SHUT_WR), socket kept, tcp_fin_timeout = ${HALF_CLOSED_FIN_TIMEOUT}`, () => {
    it(`is still there ${OUTLIVE_MS / 1000} s later, well past tcp_fin_timeout, with no timer on it (C11)`, () => {
      expect(half()?.stillThere).toBe(true);
      // Lower bounds only: a starved sampler can shorten what it proves, never lengthen it.
      expect(half()?.heldAtLeastMs).toBeGreaterThan(
        HALF_CLOSED_FIN_TIMEOUT * 1000 + HALF_CLOSED_LATE_MS,
      );
      expect(half()?.timerKind).toBe('none');
      recordMeasurement({
        claims: ['C11'],
        name: "timer on the half-closed FIN_WAIT2 entry, in procfs's timer column",
        value: half()?.timerKind ?? 'missing',
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C11',
        verdict: 'holds-with-nuance',
        finding:
          'tcp_fin_timeout bounds an orphaned FIN_WAIT2 only; a half-closed socket its process keeps waits on.',
      });
    });

    it('lets the peer read EOF, then send, and the half-closed side receives what it sent (X6)', () => {
      expect(half()).toMatchObject({
        peerReadEof: true,
        peerSent: 'still talking'.length,
        received: 'still talking',
        stillThereAfterTalk: true,
      });
      recordMeasurement({
        claims: ['X6'],
        name: 'bytes the half-closed side received after its shutdown',
        value: Buffer.byteLength(half()?.received ?? ''),
        from: 'kernel',
      });
      recordVerdict({
        claim: 'X6',
        verdict: 'holds',
        finding: 'After shutdown(SHUT_WR) the peer read EOF, sent, and was heard.',
      });
    });
  });
});
