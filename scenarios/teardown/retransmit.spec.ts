/**
 * Lost ACKs in the teardown: who retransmits, and what TIME_WAIT does about it.   Claims: C13, C14, C15
 *
 * The article: if the ACK of a FIN never comes, the FIN_WAIT_1 side sends its FIN again (C15); if the final ACK
 * is lost, the LAST_ACK side sends its FIN again (C14); and a TIME_WAIT side that receives such a retransmitted FIN
 * answers it with another ACK and starts its wait over (C13) - which is why TIME_WAIT exists at all.
 *
 * The target drops the chosen ACKs on arrival with nftables (NET_ADMIN), and counts them. Retransmissions show in
 * procfs: the `retransmits` column of the waiting socket, its timer kind `retransmit`. On loopback the first
 * retransmission comes after the minimum RTO of 200 ms and each later one doubles it.
 */
import {
  recordVerdict,
  connectPair,
  recordMeasurement,
  PROCFS_TIMER_SLACK_MS,
  startTarget,
  TCP_TIMEWAIT_LEN_MS,
  type Target,
} from '@sockspec/testkit';

describe('the ACK of the client FIN is lost (C15)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('keeps the client in FIN_WAIT1, retransmitting its FIN on a backing-off timer', async () => {
    const pair = await connectPair(target, 8060);
    await target.dropSegments({
      sourcePort: 8060,
      destinationPort: pair.clientPort,
      segments: 'ack-only',
    });
    await pair.client.close();
    await target.waitForState({ state: 'FIN_WAIT1', localPort: pair.clientPort });
    // Two retransmissions at about 0.2 s and 0.6 s: well within 3 s.
    const waited = await target.tryWait(
      { state: 'FIN_WAIT1', localPort: pair.clientPort },
      { timeoutMs: 0 },
    );
    expect(waited.entries[0]?.timer.kind).toBe('retransmit');
    let retransmits = 0;
    for (let i = 0; i < 60 && retransmits < 2; i += 1) {
      const [entry] = await target.sockets({ state: 'FIN_WAIT1', localPort: pair.clientPort });
      retransmits = entry?.retransmits ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(retransmits).toBeGreaterThanOrEqual(2);
    // Each retransmitted FIN was answered with an ACK that the target dropped.
    const [rule] = await target.dropRules();
    expect(rule?.dropped).toBeGreaterThanOrEqual(retransmits);
    recordMeasurement({
      claims: ['C15'],
      name: 'FIN retransmissions seen in FIN_WAIT1 within 3 s',
      value: retransmits,
    });
    recordVerdict({
      claim: 'C15',
      verdict: 'holds',
      finding: 'FIN_WAIT1 retransmitted its FIN while its ACK was lost.',
    });
  });
});

describe('the final ACK is lost (C13, C14)', () => {
  let target: Target;
  let clientPort: number;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN'] });
    const pair = await connectPair(target, 8061);
    clientPort = pair.clientPort;
    await pair.client.close();
    await target.waitForState({ state: 'FIN_WAIT2', localPort: clientPort });
    await target.dropSegments({
      sourcePort: clientPort,
      destinationPort: 8061,
      segments: 'ack-only',
    });
    await pair.server.close();
    await target.waitForState({ state: 'LAST_ACK', localPort: 8061 });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('keeps the server in LAST_ACK, retransmitting its FIN (C14)', async () => {
    let retransmits = 0;
    for (let i = 0; i < 60 && retransmits < 2; i += 1) {
      const [entry] = await target.sockets({ state: 'LAST_ACK', localPort: 8061 });
      expect(entry?.timer.kind).toBe('retransmit');
      retransmits = entry?.retransmits ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(retransmits).toBeGreaterThanOrEqual(2);
    recordMeasurement({
      claims: ['C14'],
      name: 'FIN retransmissions seen in LAST_ACK within 3 s',
      value: retransmits,
    });
    recordVerdict({
      claim: 'C14',
      verdict: 'holds',
      finding: 'LAST_ACK retransmitted its FIN while the final ACK was lost.',
    });
  });

  it('has the TIME_WAIT side ACK every retransmitted FIN and start its 60 s over (C13)', async () => {
    // Read the client's TIME_WAIT timer every 50 ms across the next retransmissions (backing off: 1.6 s, 3.2 s).
    const readings: { time: number; remainingMs: number }[] = [];
    const until = Date.now() + 7_000;
    while (Date.now() < until) {
      const reading = await target.snapshot({ state: 'TIME_WAIT', localPort: clientPort });
      const entry = reading.entries[0];
      if (entry !== undefined)
        readings.push({ time: reading.time, remainingMs: entry.timer.remainingMs });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A restart shows as the time left going up between two readings, back to the full 60 s. It happened after the
    // reading before it, so the time left plus the time since that reading is at least the full 60 s (a loaded
    // host can take far longer than 50 ms between readings); procfs counts in 10 ms ticks, hence the slack.
    const restarts = readings.flatMap((reading, i) => {
      const before = readings[i - 1];
      return before !== undefined && reading.remainingMs > before.remainingMs + 300
        ? [{ remainingMs: reading.remainingMs, sinceReadingBeforeMs: reading.time - before.time }]
        : [];
    });
    expect(restarts.length).toBeGreaterThanOrEqual(1);
    for (const restart of restarts) {
      expect(restart.remainingMs).toBeLessThanOrEqual(TCP_TIMEWAIT_LEN_MS);
      expect(restart.remainingMs + restart.sinceReadingBeforeMs).toBeGreaterThanOrEqual(
        TCP_TIMEWAIT_LEN_MS - PROCFS_TIMER_SLACK_MS,
      );
    }
    const [rule] = await target.dropRules();
    // Every retransmitted FIN drew a fresh ACK from the TIME_WAIT side (all dropped): one per FIN, and the first.
    expect(rule?.dropped).toBeGreaterThanOrEqual(restarts.length + 1);
    recordMeasurement({
      claims: ['C13'],
      name: 'TIME_WAIT timer restarts seen in 7 s',
      value: restarts.length,
    });
    recordVerdict({
      claim: 'C13',
      verdict: 'holds',
      finding: 'Each retransmitted FIN got a new ACK and reset TIME_WAIT to 60 s.',
    });
  });
});
