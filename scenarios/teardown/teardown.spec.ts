/**
 * The four-way teardown, segment by segment and state by state.               Claims: C1, C2, C3, C4, C5
 *
 * The article draws the teardown as four segments: each side sends a FIN and the other acknowledges it (C1). The
 * side that closes first walks FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT (C2); the other walks CLOSE_WAIT, LAST_ACK (C3).
 * Either side may close first: the states belong to the roles, not to client and server (C4). And when the
 * passive side closes at once, its ACK and its FIN may travel as one segment, making three (C5).
 *
 * Whether that happens is a race the kernel runs: the ACK of a FIN is held only briefly (well under a millisecond
 * in a container here, a few ms on an emulated VM), so only a close() inside that window sends its FIN with the
 * ACK. The C5 story closes both ends back to back several times and records each outcome: the claim holds if the
 * kernel merged FIN and ACK at least once (it says in how many tries). The article says "may", which misses do not
 * refute: if no try merged them, the claim holds with the nuance "not seen in N tries", with the measured delay of
 * the ACK that went out on its own.
 *
 * A slow kernel may send more than the close: a retransmission, an ACK repeating one already sent, an RST for a
 * segment that met a closed socket. Each segment is classified (first send, retransmission, repeated ACK, RST);
 * the assertions are on the close's first sends, and the rest is recorded as measured, segment by segment.
 *
 * Each story runs one connection made call by call in a fresh target, with tcpdump on its loopback (NET_RAW) and
 * the target's sampler recording every state change. On loopback FIN_WAIT_1 and LAST_ACK last microseconds, so
 * one story holds them open by dropping the ACK that would end them (nftables, NET_ADMIN).
 */
import {
  closeInOrder,
  connectPair,
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  classifySegments,
  startTarget,
  type SocketPair,
  type Segment,
  type TcpChange,
  type Target,
} from '@sockspec/testkit';

/** The states one end of a connection went through, in order, from the sampler's changes (null: gone). */
function statesOf(
  changes: readonly TcpChange[],
  localPort: number,
  remotePort: number,
): (string | null)[] {
  const path = changes
    .filter((change) => change.local.port === localPort && change.remote.port === remotePort)
    .map((change) => change.to);
  // A handshake may be sampled while the server's end is still a request socket: start at ESTABLISHED.
  return path.slice(Math.max(0, path.indexOf('ESTABLISHED')));
}

/** A captured close, from the first FIN on: its first sends, and whatever else the kernel sent meanwhile. */
interface Close {
  /** The first sends, in order. */
  readonly segments: readonly Segment[];
  /** The same, each as `client FIN+ACK` or `server ACK`. */
  readonly labels: readonly string[];
  /** Every other segment from the first FIN on, as `server ACK (repeated-ack)` or `server RST (rst)`. */
  readonly others: readonly string[];
}

function readClose(captured: readonly Segment[], pair: SocketPair): Close {
  const label = (segment: Segment): string =>
    `${segment.from.port === pair.clientPort ? 'client' : 'server'} ${segment.flags.join('+')}`;
  // Classified over the whole capture, so an ACK is read against what its sender acknowledged before the close.
  const classified = classifySegments(captured);
  const firstFin = classified.findIndex(({ segment }) => segment.flags.includes('FIN'));
  const fromFin = firstFin < 0 ? [] : classified.slice(firstFin);
  const segments = fromFin.filter(({ kind }) => kind === 'first').map(({ segment }) => segment);
  return {
    segments,
    labels: segments.map(label),
    others: fromFin
      .filter(({ kind }) => kind !== 'first')
      .map(({ segment, kind }) => `${label(segment)} (${kind})`),
  };
}

/** The measurement's name for what a capture held besides the close's first sends. */
const OTHERS = 'segments besides the close (retransmissions, repeated ACKs, RSTs)';

/** The sequence number a FIN takes, to check the ACK of it (a FIN occupies one sequence number). */
const finSeq = (segment: Segment | undefined): number => segment?.seq ?? NaN;

async function readUntilEof(pair: SocketPair): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await pair.server.recv()).eof) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the server never read EOF');
}

// Each family gets its own targets: the state paths are read from each target's whole table.
describeFamilies('the teardown', (family) => {
  describe('the client closes first; the server closes once the client end reached FIN_WAIT2', () => {
    let target: Target;
    let pair: SocketPair;
    let segments: readonly Segment[];
    let changes: readonly TcpChange[];

    beforeAll(async () => {
      target = await startTarget({ capabilities: ['NET_RAW'] });
      pair = await connectPair(target, family.port(8080), family.loopback);
      const capture = await target.capture(family.port(8080));
      await pair.client.close();
      await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
      await readUntilEof(pair);
      await pair.server.close();
      await target.waitForState({ state: 'TIME_WAIT', localPort: pair.clientPort });
      await target.waitForAbsence({ localPort: family.port(8080), remotePort: pair.clientPort });
      segments = await capture.stop();
      changes = (await target.changes()).changes;
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('takes four segments: a FIN from each side, each acknowledged by the other (C1)', () => {
      const close = readClose(segments, pair);
      expect(close.labels).toEqual(FOUR_SEGMENTS);
      const [clientFin, serverAck, serverFin, clientAck] = close.segments;
      // Each ACK acknowledges the FIN's sequence number plus one: a FIN occupies one sequence number.
      expect(serverAck?.ack).toBe(finSeq(clientFin) + 1);
      expect(clientAck?.ack).toBe(finSeq(serverFin) + 1);
      recordMeasurement({
        claims: ['C1'],
        name: 'segments in a teardown (first sends)',
        value: close.labels.length,
        from: 'capture',
      });
      recordMeasurement({
        claims: ['C1'],
        name: OTHERS,
        value: close.others.join(', ') || 'none',
        from: 'capture',
      });
      recordVerdict({
        claim: 'C1',
        verdict: 'holds',
        finding: 'FIN, ACK, FIN, ACK: each FIN acknowledged by the other side.',
      });
    });

    it('walks the active closer (the client) through FIN_WAIT2 into TIME_WAIT (C2)', () => {
      const path = statesOf(changes, pair.clientPort, family.port(8080));
      // FIN_WAIT1 lasts until the peer's ACK, which on loopback may come before the next 10 ms sample.
      expect(path.filter((state) => state !== 'FIN_WAIT1')).toEqual([
        'ESTABLISHED',
        'FIN_WAIT2',
        'TIME_WAIT',
      ]);
    });

    it('walks the passive closer (the server) through CLOSE_WAIT and then away (C3)', () => {
      const path = statesOf(changes, family.port(8080), pair.clientPort);
      // LAST_ACK lasts one loopback round trip: too short for the sampler here; the next story holds it.
      expect(path.filter((state) => state !== 'LAST_ACK')).toEqual([
        'ESTABLISHED',
        'CLOSE_WAIT',
        null,
      ]);
    });
  });

  /**
   * When the kernel next retransmits on a socket whose segment is held back: the time left on its retransmit timer,
   * read from procfs. Each retransmission doubles it, so a hold that ran long (a loaded machine) pushes the next
   * retransmission further out; a wait for what follows it must allow that long.
   */
  async function nextRetransmitMs(
    target: Target,
    localPort: number,
    state: 'FIN_WAIT1' | 'LAST_ACK',
  ): Promise<number> {
    const [entry] = await target.sockets({ state, localPort });
    if (entry?.timer.kind !== 'retransmit') {
      throw new Error(
        `the ${state} socket of port ${localPort}, its FIN unacknowledged, has no retransmit timer to wait for: ` +
          (entry === undefined
            ? `the table shows no ${state} socket there`
            : `its timer is ${entry.timer.kind}`),
      );
    }
    return entry.timer.remainingMs;
  }

  describe('the same teardown with each closing ACK held back for a while, so every state can be seen', () => {
    let target: Target;
    let pair: SocketPair;
    let changes: readonly TcpChange[];
    const HOLD_MS = 500;

    beforeAll(async () => {
      target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
      pair = await connectPair(target, family.port(8081), family.loopback);
      // Captured for the report's ladder: tcpdump sees each held-back ACK before the drop rule takes it.
      const capture = await target.capture(family.port(8081));
      // Hold FIN_WAIT1: the server's ACK of the client's FIN does not arrive.
      const serverAcks = await target.dropSegments({
        sourcePort: family.port(8081),
        destinationPort: pair.clientPort,
        segments: 'ack-only',
      });
      await pair.client.close();
      await target.waitForState({ state: 'FIN_WAIT1', localPort: pair.clientPort });
      const heldFinWait1 = await target.tryWait(
        { state: 'FIN_WAIT1', localPort: pair.clientPort },
        { absent: true, timeoutMs: HOLD_MS },
      );
      expect(heldFinWait1.satisfied).toBe(false);
      const finRetry = await nextRetransmitMs(target, pair.clientPort, 'FIN_WAIT1');
      await target.removeDropRule(serverAcks.handle);
      // The client retransmits its FIN when its timer runs out (later, the longer the hold took); this time the
      // ACK arrives.
      await target.waitForState(
        { state: 'FIN_WAIT2', localPort: pair.clientPort },
        { timeoutMs: finRetry + 5_000 },
      );
      // Hold LAST_ACK: the client's ACK of the server's FIN does not arrive.
      const clientAcks = await target.dropSegments({
        sourcePort: pair.clientPort,
        destinationPort: family.port(8081),
        segments: 'ack-only',
      });
      await pair.server.close();
      await target.waitForState({ state: 'LAST_ACK', localPort: family.port(8081) });
      const heldLastAck = await target.tryWait(
        { state: 'LAST_ACK', localPort: family.port(8081) },
        { absent: true, timeoutMs: HOLD_MS },
      );
      expect(heldLastAck.satisfied).toBe(false);
      const lastAckRetry = await nextRetransmitMs(target, family.port(8081), 'LAST_ACK');
      await target.removeDropRule(clientAcks.handle);
      await target.waitForAbsence(
        { localPort: family.port(8081), remotePort: pair.clientPort },
        { timeoutMs: lastAckRetry + 5_000 },
      );
      await capture.stop();
      changes = (await target.changes()).changes;
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('walks the active closer through FIN_WAIT1, FIN_WAIT2 and TIME_WAIT, in that order (C2)', () => {
      const path = statesOf(changes, pair.clientPort, family.port(8081));
      expect(path).toEqual(['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT']);
      recordMeasurement({
        claims: ['C2'],
        name: 'states of the active closer',
        value: path.join(' > '),
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C2',
        verdict: 'holds',
        finding: 'The active closer went FIN_WAIT1, FIN_WAIT2, TIME_WAIT.',
      });
    });

    it('walks the passive closer through CLOSE_WAIT and LAST_ACK to gone, in that order (C3)', () => {
      const path = statesOf(changes, family.port(8081), pair.clientPort);
      expect(path).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', null]);
      recordMeasurement({
        claims: ['C3'],
        name: 'states of the passive closer',
        value: path.map((state) => state ?? 'gone').join(' > '),
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C3',
        verdict: 'holds',
        finding: 'The passive closer went CLOSE_WAIT, LAST_ACK, gone.',
      });
    });
  });

  describe('the server closes first (C4)', () => {
    let target: Target;
    let pair: SocketPair;

    beforeAll(async () => {
      target = await startTarget();
      pair = await connectPair(target, family.port(8082), family.loopback);
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('puts the server in FIN_WAIT2 and the client in CLOSE_WAIT: the roles swap', async () => {
      await pair.server.close();
      const serverEnd = await target.waitForState({
        state: 'FIN_WAIT2',
        localPort: family.port(8082),
        remotePort: pair.clientPort,
      });
      const clientEnd = await target.waitForState({
        state: 'CLOSE_WAIT',
        localPort: pair.clientPort,
        remotePort: family.port(8082),
      });
      expect(serverEnd.entries.map((entry) => entry.state)).toEqual(['FIN_WAIT2']);
      expect(clientEnd.entries.map((entry) => entry.state)).toEqual(['CLOSE_WAIT']);
      // Both at once: the server end still waits in FIN_WAIT2 while the client end sits in CLOSE_WAIT.
      await expect(target).toHaveSocket(
        { state: 'FIN_WAIT2', localPort: family.port(8082), remotePort: pair.clientPort },
        { count: 1 },
      );
    });

    it("leaves TIME_WAIT on the server's side of the port once the client closes too", async () => {
      await pair.client.close();
      const reached = await target.waitForState({
        state: 'TIME_WAIT',
        localPort: family.port(8082),
        remotePort: pair.clientPort,
      });
      await target.waitForAbsence({ localPort: pair.clientPort, remotePort: family.port(8082) });
      const [serverEnd] = reached.entries;
      expect(serverEnd?.timer.kind).toBe('time-wait');
      // The client's end went away from LAST_ACK: TIME_WAIT is the side that closed first, not the client.
      await expect(target).toHaveNoSocket({ state: 'TIME_WAIT', localPort: pair.clientPort });
      recordMeasurement({
        claims: ['C4'],
        name: "TIME_WAIT timer on the server's end, from procfs",
        value: serverEnd?.timer.remainingMs ?? NaN,
        unit: 'ms',
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C4',
        verdict: 'holds',
        finding: 'With the server closing first, the server end took TIME_WAIT.',
      });
    });
  });

  const THREE_SEGMENTS = ['client FIN+ACK', 'server FIN+ACK', 'client ACK'];
  const FOUR_SEGMENTS = ['client FIN+ACK', 'server ACK', 'server FIN+ACK', 'client ACK'];

  /** How many times the back-to-back close is tried: the kernel's race can go either way on a given try. */
  const TRIES = 5;

  describe('a passive side that closes at once (C5)', () => {
    let target: Target;

    beforeAll(async () => {
      recordSetting({ name: 'back-to-back closes tried', value: TRIES });
      target = await startTarget({ capabilities: ['NET_RAW'] });
    });
    afterAll(async () => {
      await target?.stop();
    });

    it(`closes both ends back to back ${TRIES} times: each close takes three segments (the ACK riding on the FIN) or four, and the three are counted`, async () => {
      const tries: {
        readonly segments: number;
        readonly spreadMs: number;
        readonly ackDelayMs?: number;
        readonly others: readonly string[];
      }[] = [];
      for (let i = 0; i < TRIES; i += 1) {
        const port = family.port(8083 + i);
        const pair = await connectPair(target, port, family.loopback);
        const capture = await target.capture(port);
        // Both close() calls run back to back in the target, without reading the EOF first.
        const { spreadMs } = await closeInOrder(target, pair.client, pair.server);
        await target.waitForAbsence({ localPort: port, remotePort: pair.clientPort });
        const close = readClose(await capture.stop(), pair);
        // Whether the ACK of the FIN waits (and so can ride on the FIN) is the kernel's choice: three segments if it
        // did, four if the ACK went out first; anything else fails here, against the four.
        expect(close.labels).toEqual(close.labels.length === 3 ? THREE_SEGMENTS : FOUR_SEGMENTS);
        const [clientFin] = close.segments;
        const serverSends = close.segments.filter((segment) => segment.from.port === port);
        const serverFin = serverSends.find((segment) => segment.flags.includes('FIN'));
        // Either way, every segment of the server's acknowledges the client's FIN, and the client's last ACK the
        // server's.
        expect(serverSends.map((segment) => segment.ack)).toEqual(
          serverSends.map(() => finSeq(clientFin) + 1),
        );
        expect(close.segments.at(-1)?.ack).toBe(finSeq(serverFin) + 1);
        const ownAck = serverSends.find((segment) => segment.flags.join('+') === 'ACK');
        tries.push({
          segments: close.labels.length,
          spreadMs,
          others: close.others,
          ...(ownAck === undefined ? {} : { ackDelayMs: ownAck.time - (clientFin?.time ?? NaN) }),
        });
      }
      const merged = tries.filter((attempt) => attempt.segments === 3).length;
      recordMeasurement({
        claims: ['C5'],
        name: `tries with FIN and ACK in one segment (three in all), of ${tries.length}`,
        value: merged,
        from: 'capture',
      });
      recordMeasurement({
        claims: ['C5'],
        name: "segments in each try's close (first sends)",
        value: tries.map((attempt) => attempt.segments).join(', '),
        from: 'capture',
      });
      const others = tries.flatMap((attempt, i) =>
        attempt.others.length === 0 ? [] : [`try ${i + 1}: ${attempt.others.join(', ')}`],
      );
      recordMeasurement({
        claims: ['C5'],
        name: `${OTHERS}, by try`,
        value: others.join('; ') || 'none',
        from: 'capture',
      });
      recordMeasurement({
        claims: ['C5'],
        name: 'time from the client close() to the server close(), median',
        value: Number(median(tries.map((attempt) => attempt.spreadMs)).toFixed(3)),
        unit: 'ms',
        from: 'clock',
      });
      const ackDelays = tries.flatMap((attempt) =>
        attempt.ackDelayMs === undefined ? [] : [attempt.ackDelayMs],
      );
      if (ackDelays.length > 0) {
        recordMeasurement({
          claims: ['C5'],
          name: 'ACK of the FIN sent on its own, after the FIN, median',
          value: Number(median(ackDelays).toFixed(3)),
          unit: 'ms',
          from: 'capture',
        });
      }
      // The article says "may": one merged close shows it; none in a few tries does not refute it.
      recordVerdict(
        merged > 0
          ? {
              claim: 'C5',
              verdict: 'holds',
              finding: `A close() right after the peer's FIN sent FIN and ACK as one segment (three in all) in ${merged} of ${tries.length} tries.`,
            }
          : {
              claim: 'C5',
              verdict: 'holds-with-nuance',
              finding: `Not seen in ${tries.length} tries: each time the ACK of the FIN went out on its own (median ${median(ackDelays).toFixed(3)} ms after it) before the back-to-back close() sent the FIN.`,
            },
      );
    });

    it('sends the ACK on its own when the passive side closes only after it went out: four segments (C5)', async () => {
      const pair = await connectPair(target, family.port(8088), family.loopback);
      const capture = await target.capture(family.port(8088));
      await pair.client.close();
      // FIN_WAIT2 on the client means the server's ACK has arrived.
      await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
      await pair.server.close();
      await target.waitForAbsence({ localPort: family.port(8088), remotePort: pair.clientPort });
      const close = readClose(await capture.stop(), pair);
      expect(close.labels).toEqual(FOUR_SEGMENTS);
      const [clientFin, serverAck, serverFin, clientAck] = close.segments;
      expect(serverAck?.ack).toBe(finSeq(clientFin) + 1);
      expect(clientAck?.ack).toBe(finSeq(serverFin) + 1);
      recordMeasurement({
        claims: ['C5'],
        name: "delay of the passive side's ACK of a FIN, closing later",
        value: Number(((serverAck?.time ?? NaN) - (clientFin?.time ?? NaN)).toFixed(3)),
        unit: 'ms',
        from: 'capture',
      });
      recordMeasurement({
        claims: ['C5'],
        name: `${OTHERS}, closing later`,
        value: close.others.join(', ') || 'none',
        from: 'capture',
      });
    });
  });

  function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? NaN;
  }
});
