/**
 * close() with SO_LINGER {on, N s}: how long it blocks.                                       Claims: X13
 *
 * SO_LINGER {on, 0} turns close() into an abort (X1). With a time above 0 it does something else: close() sends the
 * FIN as usual and then blocks until the peer has acknowledged everything, data and FIN, or until N seconds have
 * passed, whichever comes first (X13). After the time is up close() returns all the same; the kernel goes on
 * delivering the data on its own.
 *
 * The target holds the acknowledgements back by dropping every segment from the server to the client (nftables,
 * NET_ADMIN), from before the client writes: the table then shows the data sent and unacknowledged before close() is
 * called. Once with the drops kept, so close() can only end at N s; once with the drops ended after the table shows
 * the close under way (FIN_WAIT1), so the next resend is acknowledged well before N s. The agent stamps each close()
 * call and its return on the target's clock, the clock a capture (NET_RAW) times the FIN and its ACK with.
 */
import {
  connectPair,
  describe,
  finSequence,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  type Segment,
  type SocketPair,
  type Target,
} from '@sockspec/testkit';

const DATA = 'x'.repeat(1_000);
/** A jiffy at the lowest HZ (100): a linger time counted in jiffies may end up to one of them short. */
const JIFFY_MS = 10;
/**
 * How late the linger timer may end, as the agent sees it: the timer wheel rounds a timer of seconds up to its level's
 * granularity (64 ms at HZ=1000), and the agent's event loop notices the worker's return when it gets to it.
 */
const TIMER_SLACK_MS = 500;
/** No ACK can come before a resend, and none comes sooner than TCP_RTO_MIN after the segment it resends. */
const TCP_RTO_MIN_MS = 200;
/**
 * How soon after the ACK close() returns, as the agent sees it: the woken thread's return, then the agent's event
 * loop getting to it.
 */
const RETURN_SLACK_MS = 300;

/**
 * The client's data, sent with every answer of the server's dropped: the table must show it unacknowledged
 * (tx_queue) with a retransmission timer running, before the spec closes.
 */
async function sendUnacknowledged(
  target: Target,
  pair: SocketPair,
  lingerS: number,
): Promise<number> {
  const { handle } = await target.dropSegments({
    sourcePort: pair.serverPort,
    destinationPort: pair.clientPort,
    segments: 'any',
  });
  await pair.client.setOptions({ linger: { enabled: true, seconds: lingerS } });
  expect((await pair.client.options()).linger).toEqual({ enabled: true, seconds: lingerS });
  expect(await pair.client.send(DATA)).toBe(DATA.length);
  const [entry] = await target.sockets({ state: 'ESTABLISHED', localPort: pair.clientPort });
  expect(entry?.txQueue).toBe(DATA.length);
  expect(entry?.timer.kind).toBe('retransmit');
  return handle;
}

/** How many segments the drop rule took so far. */
async function droppedBy(target: Target, handle: number): Promise<number> {
  const rule = (await target.dropRules()).find((installed) => installed.handle === handle);
  if (rule === undefined) throw new Error(`no drop rule ${handle} in the target`);
  return rule.dropped;
}

/**
 * The client's data and its FIN (the first transmission of each), and every segment of the server's acknowledging
 * the FIN.
 */
function dataFinAndAcks(segments: readonly Segment[], pair: SocketPair) {
  const fromClient = segments.filter((s) => s.from.port === pair.clientPort);
  const data = fromClient.find((s) => s.length > 0);
  const fin = fromClient.find((s) => s.flags.includes('FIN'));
  expect(data).toBeDefined();
  expect(fin).toBeDefined();
  const acked = (finSequence(fin!) + 1) % 2 ** 32;
  const acks = segments.filter((s) => s.from.port === pair.serverPort && s.ack === acked);
  return { data: data!, fin: fin!, acks };
}

describe('close() with SO_LINGER {on, N} and data not yet acknowledged (X13)', () => {
  let target: Target;
  /** What the first case measured, for the verdict the second declares. */
  let unackedBlockMs: number;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('blocks for the N s and then returns 0, leaving the orphan in FIN_WAIT1 to resend, with no RST, when no ACK comes (X13)', async () => {
    const lingerS = 2;
    recordSetting({ name: 'SO_LINGER time, no ACK coming', value: lingerS, unit: 's' });
    const pair = await connectPair(target, 8143);
    const capture = await target.capture(pair.serverPort);
    const rule = await sendUnacknowledged(target, pair, lingerS);
    // close() returns 0 (RemoteSocket.close throws on an error), however long it waited.
    const { calledAt, returnedAt } = await pair.client.close();
    const blockedMs = returnedAt - calledAt;
    expect(blockedMs).toBeGreaterThanOrEqual(lingerS * 1000 - JIFFY_MS);
    expect(blockedMs).toBeLessThan(lingerS * 1000 + TIMER_SLACK_MS);
    // close() gave up waiting, not the connection: the kernel still holds the data and the FIN, and resends them.
    const [after] = await target.sockets({ localPort: pair.clientPort });
    expect(after?.state).toBe('FIN_WAIT1');
    expect(after?.timer.kind).toBe('retransmit');
    expect(after?.txQueue).toBe(DATA.length + 1);
    const segments = await capture.stop();
    // Read once the capture stopped: every segment it holds was dropped (or not) by then.
    const dropped = await droppedBy(target, rule);
    const fromClient = segments.filter((s) => s.from.port === pair.clientPort);
    const fromServer = segments.filter((s) => s.from.port === pair.serverPort);
    // Nothing of the server's reached the client (the capture sees each segment before the drop rule takes it)...
    expect(dropped).toBeGreaterThanOrEqual(fromServer.length);
    // ... the client resent its unacknowledged data while close() waited (the capture and the agent share the
    // target's clock) ...
    const resentData = fromClient.filter(
      (s) => s.length > 0 && s.time >= calledAt && s.time <= returnedAt,
    );
    expect(resentData.length).toBeGreaterThanOrEqual(1);
    // ... and gave up waiting without a reset.
    expect(segments.filter((s) => s.flags.includes('RST'))).toEqual([]);
    // The FIN goes out at the close, or stays queued behind the data until that is acknowledged (seen when the
    // close came after the data's first resend): the capture says which.
    const finsSent = fromClient.filter((s) => s.flags.includes('FIN') && s.time <= returnedAt);
    unackedBlockMs = blockedMs;
    recordMeasurement({
      claims: ['X13'],
      name: `close() blocked, SO_LINGER ${lingerS} s, no ACK (the agent's stamps in the target)`,
      value: blockedMs,
      unit: 'ms',
      from: 'clock',
    });
    recordMeasurement({
      claims: ['X13'],
      name: 'while close() waited: data resends, FIN transmissions (capture)',
      value: `${resentData.length}, ${finsSent.length}`,
      from: 'capture',
    });
    recordMeasurement({
      claims: ['X13'],
      name: 'after the linger time: the socket, its timer, unacknowledged bytes',
      value: `${after!.state}, ${after!.timer.kind}, ${after!.txQueue} (data + FIN); no RST`,
      from: 'kernel',
    });
  });

  it('blocks only until the ACK of the FIN when it comes before the N s (X13)', async () => {
    const lingerS = 30;
    recordSetting({ name: 'SO_LINGER time, ACK let through', value: lingerS, unit: 's' });
    const pair = await connectPair(target, 8144);
    const capture = await target.capture(pair.serverPort);
    const rule = await sendUnacknowledged(target, pair, lingerS);
    const closing = pair.client.close();
    // The close is under way (its FIN sent, unacknowledged) before the drops end: the ACK comes with the next
    // resend, whenever the rule's removal lands, and tens of seconds before the linger time.
    await target.waitForState({ state: 'FIN_WAIT1', localPort: pair.clientPort });
    const dropped = await droppedBy(target, rule);
    await target.removeDropRule(rule);
    const { calledAt, returnedAt } = await closing;
    const blockedMs = returnedAt - calledAt;
    await target.waitForState({ state: ['FIN_WAIT2', 'TIME_WAIT'], localPort: pair.clientPort });
    const segments = await capture.stop();
    const { data, fin, acks } = dataFinAndAcks(segments, pair);
    expect(fin.time).toBeGreaterThanOrEqual(calledAt - 1);
    // The server's ACKs were dropped until the rule went; the last ACK of the FIN is the one that arrived: once it
    // did, the client had nothing left to resend, and the server acknowledges nothing unprompted.
    expect(dropped).toBeGreaterThanOrEqual(1);
    const arrived = acks.at(-1);
    expect(arrived).toBeDefined();
    const ackAfterCloseMs = arrived!.time - calledAt;
    const returnAfterAckMs = returnedAt - arrived!.time;
    // The ACK could only come with a resend, the first at least TCP_RTO_MIN after the data: close() waited for it...
    expect(arrived!.time - data.time).toBeGreaterThanOrEqual(TCP_RTO_MIN_MS);
    expect(arrived!.time).toBeGreaterThan(fin.time);
    expect(returnAfterAckMs).toBeGreaterThanOrEqual(-1);
    // ... and returned as soon as it came, long before the linger time.
    expect(returnAfterAckMs).toBeLessThan(RETURN_SLACK_MS);
    expect(blockedMs).toBeLessThan(lingerS * 1000);
    recordMeasurement({
      claims: ['X13'],
      name: `close() blocked, SO_LINGER ${lingerS} s, ACK let through (the agent's stamps in the target)`,
      value: blockedMs,
      unit: 'ms',
      from: 'clock',
    });
    recordMeasurement({
      claims: ['X13'],
      name: 'ACK of the FIN arrived after the close() call (capture against the agent, one clock)',
      value: ackAfterCloseMs.toFixed(0),
      unit: 'ms',
      from: 'capture',
    });
    recordMeasurement({
      claims: ['X13'],
      name: 'close() returned after that ACK',
      value: returnAfterAckMs.toFixed(1),
      unit: 'ms',
      from: 'capture',
    });
    recordVerdict({
      claim: 'X13',
      verdict: 'holds',
      finding:
        `close() blocked until the ACK of its FIN (${blockedMs} ms) or, with none, for the linger time ` +
        `(${unackedBlockMs} ms of 2 s), then returned 0 and left the socket in FIN_WAIT1, resending.`,
    });
  });
});
