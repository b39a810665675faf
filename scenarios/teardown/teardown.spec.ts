/**
 * The four-way teardown, segment by segment and state by state.               Claims: C1, C2, C3, C4, C5
 *
 * The article draws the teardown as four segments: each side sends a FIN and the other acknowledges it (C1). The
 * side that closes first walks FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT (C2); the other walks CLOSE_WAIT, LAST_ACK (C3).
 * Either side may close first: the states belong to the roles, not to client and server (C4). And when the
 * passive side closes at once, its ACK and its FIN may travel as one segment, making three (C5).
 *
 * Whether that happens is a race the kernel runs: the ACK of a FIN is held only briefly (0.6 ms in a container
 * here, 1 to 7 ms on Debian's kernels under qemu, as measured), so only a close() inside that window sends its FIN
 * with the ACK. Back-to-back close() calls won that race on every kernel of the 2026-11-25 matrix but once, on 7.2,
 * where the emulated VM took 15 ms between the two calls: four segments. The C5 story asserts what both outcomes
 * share, records which happened with the timings, and words its verdict by it.
 *
 * Each story runs one connection made call by call in a fresh target, with tcpdump on its loopback (NET_RAW) and
 * the target's sampler recording every state change. On loopback FIN_WAIT_1 and LAST_ACK last microseconds, so
 * one story holds them open by dropping the ACK that would end them (nftables, NET_ADMIN).
 */
import type { Segment, TcpChange } from '@sockspec/agent';
import {
  recordVerdict,
  closeInOrder,
  connectPair,
  recordMeasurement,
  startTarget,
  type SocketPair,
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

/** The segments from the first FIN on, each as `client FIN+ACK` or `server ACK`. */
function teardown(segments: readonly Segment[], pair: SocketPair): string[] {
  const first = segments.findIndex((segment) => segment.flags.includes('FIN'));
  return segments
    .slice(first)
    .map(
      (segment) =>
        `${segment.from.port === pair.clientPort ? 'client' : 'server'} ${segment.flags.join('+')}`,
    );
}

async function readUntilEof(pair: SocketPair): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await pair.server.recv()).eof) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the server never read EOF');
}

describe('the client closes first; the server closes once the client end reached FIN_WAIT2 (C1, C2, C3)', () => {
  let target: Target;
  let pair: SocketPair;
  let segments: readonly Segment[];
  let changes: readonly TcpChange[];

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_RAW'] });
    pair = await connectPair(target, 8080);
    const capture = await target.capture(8080);
    await pair.client.close();
    await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
    await readUntilEof(pair);
    await pair.server.close();
    await target.waitForState({ state: 'TIME_WAIT', localPort: pair.clientPort });
    await target.waitForAbsence({ localPort: 8080, remotePort: pair.clientPort });
    segments = await capture.stop();
    changes = (await target.changes()).changes;
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('takes four segments: a FIN from each side, each acknowledged by the other (C1)', () => {
    expect(teardown(segments, pair)).toEqual(FOUR_SEGMENTS);
    const [clientFin, serverAck, serverFin, clientAck] = segments.slice(
      segments.findIndex((segment) => segment.flags.includes('FIN')),
    );
    // Each ACK acknowledges the FIN's sequence number plus one: a FIN occupies one sequence number.
    expect(serverAck?.ack).toBe((clientFin?.seq ?? NaN) + 1);
    expect(clientAck?.ack).toBe((serverFin?.seq ?? NaN) + 1);
    recordMeasurement({
      claims: ['C1'],
      name: 'segments in a teardown',
      value: teardown(segments, pair).length,
    });
    recordVerdict({
      claim: 'C1',
      verdict: 'holds',
      finding: 'FIN, ACK, FIN, ACK: each FIN acknowledged by the other side.',
    });
  });

  it('walks the active closer (the client) through FIN_WAIT2 into TIME_WAIT (C2)', () => {
    const path = statesOf(changes, pair.clientPort, 8080);
    // FIN_WAIT1 lasts until the peer's ACK, which on loopback may come before the next 10 ms sample.
    expect(path.filter((state) => state !== 'FIN_WAIT1')).toEqual([
      'ESTABLISHED',
      'FIN_WAIT2',
      'TIME_WAIT',
    ]);
  });

  it('walks the passive closer (the server) through CLOSE_WAIT and then away (C3)', () => {
    const path = statesOf(changes, 8080, pair.clientPort);
    // LAST_ACK lasts one loopback round trip: too short for the sampler here; the next story holds it.
    expect(path.filter((state) => state !== 'LAST_ACK')).toEqual([
      'ESTABLISHED',
      'CLOSE_WAIT',
      null,
    ]);
  });
});

describe('the same teardown with each closing ACK held back for a while, so every state can be seen (C2, C3)', () => {
  let target: Target;
  let pair: SocketPair;
  let changes: readonly TcpChange[];
  const HOLD_MS = 500;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN'] });
    pair = await connectPair(target, 8081);
    // Hold FIN_WAIT1: the server's ACK of the client's FIN does not arrive.
    const serverAcks = await target.dropSegments({
      sourcePort: 8081,
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
    await target.removeDropRule(serverAcks.handle);
    // The client retransmits its FIN; this time the ACK arrives.
    await target.waitForState(
      { state: 'FIN_WAIT2', localPort: pair.clientPort },
      { timeoutMs: 5_000 },
    );
    // Hold LAST_ACK: the client's ACK of the server's FIN does not arrive.
    const clientAcks = await target.dropSegments({
      sourcePort: pair.clientPort,
      destinationPort: 8081,
      segments: 'ack-only',
    });
    await pair.server.close();
    await target.waitForState({ state: 'LAST_ACK', localPort: 8081 });
    const heldLastAck = await target.tryWait(
      { state: 'LAST_ACK', localPort: 8081 },
      { absent: true, timeoutMs: HOLD_MS },
    );
    expect(heldLastAck.satisfied).toBe(false);
    await target.removeDropRule(clientAcks.handle);
    await target.waitForAbsence(
      { localPort: 8081, remotePort: pair.clientPort },
      { timeoutMs: 5_000 },
    );
    changes = (await target.changes()).changes;
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('walks the active closer through FIN_WAIT1, FIN_WAIT2 and TIME_WAIT, in that order (C2)', () => {
    recordMeasurement({
      claims: ['C2'],
      name: 'states of the active closer',
      value: statesOf(changes, pair.clientPort, 8081).join(' > '),
    });
    expect(statesOf(changes, pair.clientPort, 8081)).toEqual([
      'ESTABLISHED',
      'FIN_WAIT1',
      'FIN_WAIT2',
      'TIME_WAIT',
    ]);
    recordVerdict({
      claim: 'C2',
      verdict: 'holds',
      finding: 'The active closer went FIN_WAIT1, FIN_WAIT2, TIME_WAIT.',
    });
  });

  it('walks the passive closer through CLOSE_WAIT and LAST_ACK to gone, in that order (C3)', () => {
    recordMeasurement({
      claims: ['C3'],
      name: 'states of the passive closer',
      value: statesOf(changes, 8081, pair.clientPort)
        .map((state) => state ?? 'gone')
        .join(' > '),
    });
    expect(statesOf(changes, 8081, pair.clientPort)).toEqual([
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      null,
    ]);
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
    pair = await connectPair(target, 8082);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('puts the server in FIN_WAIT2 and the client in CLOSE_WAIT: the roles swap', async () => {
    await pair.server.close();
    await target.waitForState({ state: 'FIN_WAIT2', localPort: 8082, remotePort: pair.clientPort });
    await target.waitForState({
      state: 'CLOSE_WAIT',
      localPort: pair.clientPort,
      remotePort: 8082,
    });
  });

  it("leaves TIME_WAIT on the server's side of the port once the client closes too", async () => {
    await pair.client.close();
    await target.waitForState({ state: 'TIME_WAIT', localPort: 8082, remotePort: pair.clientPort });
    recordMeasurement({
      claims: ['C4'],
      name: "server's end after closing first",
      value: 'TIME_WAIT',
    });
    await target.waitForAbsence({ localPort: pair.clientPort, remotePort: 8082 });
    recordVerdict({
      claim: 'C4',
      verdict: 'holds',
      finding: 'With the server closing first, the server end took TIME_WAIT.',
    });
  });
});

const THREE_SEGMENTS = ['client FIN+ACK', 'server FIN+ACK', 'client ACK'];
const FOUR_SEGMENTS = ['client FIN+ACK', 'server ACK', 'server FIN+ACK', 'client ACK'];

describe('a passive side that closes at once (C5)', () => {
  let target: Target;
  /** Whether the back-to-back close gave three segments: the verdict's wording depends on it. */
  let mergedAtOnce = false;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('answers a FIN with its own FIN carrying the ACK when close() comes before the ACK went out: three segments, or four if it had (C5)', async () => {
    const pair = await connectPair(target, 8083);
    const capture = await target.capture(8083);
    // Both close() calls run back to back in the target, without reading the EOF first.
    const { spreadMs } = await closeInOrder(target, pair.client, pair.server);
    await target.waitForAbsence({ localPort: 8083, remotePort: pair.clientPort });
    const segments = await capture.stop();
    const seen = teardown(segments, pair);
    // Whether the ACK of the FIN waits (and so can ride on the FIN) is the kernel's choice: delayed, or sent at
    // once in quick-ack mode. Either way the server's FIN acknowledges the client's.
    expect([THREE_SEGMENTS, FOUR_SEGMENTS]).toContainEqual(seen);
    const [clientFin, serverFin] = segments.filter((segment) => segment.flags.includes('FIN'));
    expect(serverFin?.ack).toBe((clientFin?.seq ?? NaN) + 1);
    const firstAck = segments.find(
      (segment) => segment.from.port === 8083 && segment.ack === (clientFin?.seq ?? NaN) + 1,
    );
    recordMeasurement({
      claims: ['C5'],
      name: 'segments when the passive side closes at once',
      value: seen.length,
    });
    recordMeasurement({
      claims: ['C5'],
      name: 'time from the client close() to the server close()',
      value: Number(spreadMs.toFixed(3)),
      unit: 'ms',
    });
    recordMeasurement({
      claims: ['C5'],
      name: "the passive side's first ACK of the FIN, after the FIN",
      value: Number(((firstAck?.time ?? NaN) - (clientFin?.time ?? NaN)).toFixed(3)),
      unit: 'ms',
    });
    mergedAtOnce = seen.length === 3;
  });

  it('sends the ACK on its own when the passive side closes only after it went out: four segments', async () => {
    const pair = await connectPair(target, 8084);
    const capture = await target.capture(8084);
    await pair.client.close();
    // FIN_WAIT2 on the client means the server's ACK has arrived.
    await target.waitForState({ state: 'FIN_WAIT2', localPort: pair.clientPort });
    await pair.server.close();
    await target.waitForAbsence({ localPort: 8084, remotePort: pair.clientPort });
    const segments = await capture.stop();
    expect(teardown(segments, pair)).toEqual(FOUR_SEGMENTS);
    const [clientFin, serverAck] = segments.slice(
      segments.findIndex((segment) => segment.flags.includes('FIN')),
    );
    recordMeasurement({
      claims: ['C5'],
      name: "delay of the passive side's ACK of a FIN",
      value: Number(((serverAck?.time ?? NaN) - (clientFin?.time ?? NaN)).toFixed(3)),
      unit: 'ms',
    });
    recordVerdict({
      claim: 'C5',
      verdict: 'holds-with-nuance',
      finding: mergedAtOnce
        ? 'The ACK of a FIN waited; a close() right away sent FIN+ACK as one segment (3 in all), a later one 4.'
        : 'The ACK of a FIN is held only briefly; here even an immediate close() came after it: 4 segments.',
    });
  });
});
