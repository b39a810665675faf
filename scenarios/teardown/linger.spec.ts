/**
 * close() with SO_LINGER {on, N s}: how long it blocks.                                       Claims: X13
 *
 * SO_LINGER {on, 0} turns close() into an abort (X1). With a time above 0 it does something else: close() sends the
 * FIN as usual and then blocks until the peer has acknowledged everything, data and FIN, or until N seconds have
 * passed, whichever comes first (X13). After the time is up close() returns all the same; the kernel goes on
 * delivering the data on its own.
 *
 * The target holds the acknowledgements back by dropping every segment from the server to the client (nftables,
 * NET_ADMIN). Once with the drops kept, so close() can only end at N s; once with the drops ended a second into the
 * close, so the ACK comes well before N s. The agent runs a lingering close() on a worker thread and answers when it
 * returns: the test times that answer. A capture (NET_RAW) times the FIN and its ACK.
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
  type Target,
} from '@sockspec/testkit';

/** What a close() with unacknowledged data costs a harness besides the kernel's wait: two HTTP requests at most. */
const HARNESS_SLACK_MS = 1_000;
const DATA = 'x'.repeat(1_000);

describe('close() with SO_LINGER {on, N} and data not yet acknowledged (X13)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('blocks for the N s and then returns, the FIN still unacknowledged, when no ACK comes (X13)', async () => {
    const port = 8143;
    const lingerS = 2;
    recordSetting({ name: 'SO_LINGER time, no ACK coming', value: lingerS, unit: 's' });
    const pair = await connectPair(target, port);
    await target.dropSegments({
      sourcePort: port,
      destinationPort: pair.clientPort,
      segments: 'any',
    });
    await pair.client.setOptions({ linger: { enabled: true, seconds: lingerS } });
    expect(await pair.client.send(DATA)).toBe(DATA.length);
    const started = Date.now();
    await pair.client.close();
    const blockedMs = Date.now() - started;
    expect(blockedMs).toBeGreaterThanOrEqual(lingerS * 1000);
    expect(blockedMs).toBeLessThan(lingerS * 1000 + HARNESS_SLACK_MS);
    // close() gave up waiting, not the connection: the kernel still holds the FIN and resends it.
    await expect(target).toHaveSocket({ state: 'FIN_WAIT1', localPort: pair.clientPort });
    recordMeasurement({
      claims: ['X13'],
      name: `close() blocked, SO_LINGER ${lingerS} s, no ACK (host clock, with its requests)`,
      value: blockedMs,
      unit: 'ms',
      from: 'clock',
    });
  });

  it('blocks only until the ACK of the FIN when it comes before the N s (X13)', async () => {
    const port = 8144;
    const lingerS = 5;
    const dropForMs = 1_000;
    recordSetting({ name: 'SO_LINGER time, ACK let through after', value: lingerS, unit: 's' });
    recordSetting({ name: 'ACKs dropped for the first', value: dropForMs, unit: 'ms' });
    const pair = await connectPair(target, port);
    const capture = await target.capture(port);
    const rule = await target.dropSegments({
      sourcePort: port,
      destinationPort: pair.clientPort,
      segments: 'any',
    });
    await pair.client.setOptions({ linger: { enabled: true, seconds: lingerS } });
    expect(await pair.client.send(DATA)).toBe(DATA.length);
    const started = Date.now();
    const closed = pair.client.close().then(() => Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, dropForMs));
    await target.removeDropRule(rule.handle);
    const blockedMs = await closed;
    await target.waitForState({ state: ['FIN_WAIT2', 'TIME_WAIT'], localPort: pair.clientPort });
    const segments = await capture.stop();
    const fin = segments.find((s) => s.from.port === pair.clientPort && s.flags.includes('FIN'));
    expect(fin).toBeDefined();
    // The capture sees the ACKs the target then dropped on arrival; once the drops ended, the client's next resend
    // was acknowledged and it had nothing left to resend: the last ACK of the FIN is the one that arrived.
    const finAcked = [...segments]
      .reverse()
      .find((s) => s.from.port === port && s.ack === (finSequence(fin!) + 1) % 2 ** 32);
    expect(finAcked).toBeDefined();
    // The FIN waited for its ACK in the target for this long (the capture's clock): close() blocked as long.
    const ackAfterMs = finAcked!.time - fin!.time;
    expect(ackAfterMs).toBeGreaterThanOrEqual(dropForMs);
    expect(blockedMs).toBeGreaterThanOrEqual(ackAfterMs);
    expect(blockedMs).toBeLessThan(ackAfterMs + HARNESS_SLACK_MS);
    expect(blockedMs).toBeLessThan(lingerS * 1000);
    recordMeasurement({
      claims: ['X13'],
      name: 'ACK of the FIN came after the FIN (capture)',
      value: ackAfterMs.toFixed(0),
      unit: 'ms',
      from: 'capture',
    });
    recordMeasurement({
      claims: ['X13'],
      name: `close() blocked, SO_LINGER ${lingerS} s, ACK let through (host clock, with its requests)`,
      value: blockedMs,
      unit: 'ms',
      from: 'clock',
    });
    recordVerdict({
      claim: 'X13',
      verdict: 'holds',
      finding: `close() blocked until the ACK of its FIN (${ackAfterMs.toFixed(0)} ms) or, with none, for the linger time.`,
    });
  });
});
