/**
 * Lost ACKs in the teardown: who retransmits, and what TIME_WAIT does about it.   Claims: C13, C14, C15
 *
 * The article: if the ACK of a FIN never comes, the FIN_WAIT_1 side sends its FIN again (C15); if the final ACK
 * is lost, the LAST_ACK side sends its FIN again (C14); and a TIME_WAIT side that receives such a retransmitted FIN
 * answers it with another ACK and starts its wait over (C13) - which is why TIME_WAIT exists at all.
 *
 * The target drops the chosen ACKs on arrival with nftables (NET_ADMIN), and counts them; a capture (NET_RAW) times
 * every resent FIN. C13's restarted wait is timed by the kernel's clocks: from the resent FIN, as the capture stamps
 * it, to the deadline the kernel then set on the TIME_WAIT entry, as procfs shows it (kernel-deadline.ts). Retransmissions also show in procfs: the `retransmits` column of the waiting socket, its timer
 * kind `retransmit`. On loopback the first resend may be a tail loss probe, about 200 ms after the FIN, which procfs
 * does not count; the retransmission timer then starts at the minimum RTO of 200 ms and doubles each time.
 */
import {
  capturedSegment,
  assertTimerLength,
  connectPair,
  describe,
  describeFamilies,
  it,
  kernelDeadline,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  TCP_TIMEWAIT_LEN_MS,
  timerLength,
  timerRuns,
  timingOf,
  type KernelTimer,
  type Segment,
  type Target,
  type TimerReading,
} from '@sockspec/testkit';

/** How long the TIME_WAIT side's timer is read after the final ACKs start being lost. */
const WATCH_TIME_WAIT_MS = 7_000;

/**
 * The gaps between one sender's FINs in a capture: the first retransmission after the FIN, the second after the
 * first, and so on (ms). Each must carry the same sequence number: the same FIN sent again.
 */
function finGaps(segments: readonly Segment[], fromPort: number): number[] {
  const fins = segments.filter(
    (segment) => segment.flags.includes('FIN') && segment.from.port === fromPort,
  );
  expect(new Set(fins.map((fin) => fin.seq)).size).toBe(1);
  return fins.slice(1).map((fin, i) => fin.time - (fins[i]?.time ?? NaN));
}

/**
 * Resends back off: the first may be a tail loss probe, due about TCP_RTO_MIN (200 ms) after the FIN on loopback, and
 * the retransmission timer then doubles its wait each time. So nothing is resent sooner than about 200 ms, and the
 * last wait is at least half again the one before it (twice it, less the timer wheel's rounding).
 */
function expectBackingOff(gaps: readonly number[]): void {
  expect(gaps.length).toBeGreaterThanOrEqual(3);
  expect(gaps[0]).toBeGreaterThanOrEqual(190);
  const last = gaps.length - 1;
  expect(gaps[last]).toBeGreaterThanOrEqual(1.5 * (gaps[last - 1] ?? NaN));
}

/** Records (once asserted) the resend gaps and how many resends were tail loss probes (resends the kernel does not count). */
function recordResends(
  claim: 'C14' | 'C15',
  state: string,
  gaps: readonly number[],
  retransmits: number,
): void {
  recordMeasurement({
    claims: [claim],
    name: `${state}: gaps between the FIN and each resend of it`,
    value: gaps.map((gap) => gap.toFixed(0)).join(', '),
    unit: 'ms',
    from: 'capture',
    // Both ends of each gap are the capture's stamps, to the microsecond.
    timing: { by: ['capture', 'capture'], uncertaintyMs: 0 },
  });
  recordMeasurement({
    claims: [claim],
    name: `${state}: resends that were tail loss probes (not counted as retransmits in procfs)`,
    value: gaps.length - retransmits,
    from: 'kernel',
  });
}

describe('the ACK of the client FIN is lost', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(8060);

    it('keeps the client in FIN_WAIT1, retransmitting its FIN on a backing-off timer (C15)', async () => {
      const pair = await connectPair(target, PORT, family.loopback);
      const capture = await target.capture(PORT);
      await target.dropSegments({
        sourcePort: PORT,
        destinationPort: pair.clientPort,
        segments: 'ack-only',
      });
      await pair.client.close();
      await target.waitForState({
        state: 'FIN_WAIT1',
        localPort: pair.clientPort,
        remotePort: pair.serverPort,
      });
      // Three retransmissions, the last about 1.7 s after the FIN: well within the loop's 5 s.
      const waited = await target.tryWait(
        { state: 'FIN_WAIT1', localPort: pair.clientPort, remotePort: pair.serverPort },
        { timeoutMs: 0 },
      );
      expect(waited.entries[0]?.timer.kind).toBe('retransmit');
      let retransmits = 0;
      for (let i = 0; i < 100 && retransmits < 3; i += 1) {
        const [entry] = await target.sockets({
          state: 'FIN_WAIT1',
          localPort: pair.clientPort,
          remotePort: pair.serverPort,
        });
        retransmits = entry?.retransmits ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(retransmits).toBeGreaterThanOrEqual(3);
      // Each retransmitted FIN was answered with an ACK that the target dropped.
      const rule = (await target.dropRules()).find((each) => each.sourcePort === PORT);
      expect(rule?.dropped).toBeGreaterThanOrEqual(retransmits);
      const gaps = finGaps(await capture.stop(), pair.clientPort);
      expectBackingOff(gaps);
      recordResends('C15', 'FIN_WAIT1', gaps, retransmits);
      recordVerdict({
        claim: 'C15',
        verdict: 'holds',
        finding: 'FIN_WAIT1 retransmitted its FIN while its ACK was lost.',
      });
    });
  });
});

describe('the final ACK is lost', () => {
  let target: Target;

  beforeAll(async () => {
    recordSetting({
      name: "TIME_WAIT side's timer read for",
      value: WATCH_TIME_WAIT_MS,
      unit: 'ms',
    });
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(8061);
    let clientPort: number;
    let capture: Awaited<ReturnType<Target['capture']>>;

    beforeAll(async () => {
      const pair = await connectPair(target, PORT, family.loopback);
      clientPort = pair.clientPort;
      capture = await target.capture(PORT);
      await pair.client.close();
      await target.waitForState({ state: 'FIN_WAIT2', localPort: clientPort, remotePort: PORT });
      await target.dropSegments({
        sourcePort: clientPort,
        destinationPort: PORT,
        segments: 'ack-only',
      });
      await pair.server.close();
      await target.waitForState({ state: 'LAST_ACK', localPort: PORT });
    });

    it('keeps the server in LAST_ACK, retransmitting its FIN (C14)', async () => {
      let retransmits = 0;
      for (let i = 0; i < 100 && retransmits < 3; i += 1) {
        const [entry] = await target.sockets({ state: 'LAST_ACK', localPort: PORT });
        expect(entry?.timer.kind).toBe('retransmit');
        retransmits = entry?.retransmits ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(retransmits).toBeGreaterThanOrEqual(3);
      const gaps = finGaps(await capture.stop(), PORT);
      expectBackingOff(gaps);
      recordResends('C14', 'LAST_ACK', gaps, retransmits);
      recordVerdict({
        claim: 'C14',
        verdict: 'holds',
        finding: 'LAST_ACK retransmitted its FIN while the final ACK was lost.',
      });
    });

    it('has the TIME_WAIT side ACK every retransmitted FIN and start its 60 s over (C13)', async () => {
      // Read the client's TIME_WAIT timer every 50 ms across the next retransmissions (backing off: 3.2 s, 6.4 s),
      // while a capture stamps each resent FIN.
      const resent = await target.capture(PORT);
      const readings: TimerReading[] = [];
      const until = Date.now() + WATCH_TIME_WAIT_MS;
      while (Date.now() < until) {
        const reading = await target.tryWait(
          { state: 'TIME_WAIT', localPort: clientPort, remotePort: PORT },
          { timeoutMs: 0 },
        );
        const entry = reading.entries[0];
        if (reading.satisfied && entry !== undefined && reading.start !== undefined)
          readings.push({
            start: reading.start,
            end: reading.time,
            remainingMs: entry.timer.remainingMs,
          });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const segments = await resent.stop();
      // Each run of readings that agree on one deadline is one timer; a new run is the kernel starting it over.
      const runs = timerRuns(readings);
      let previousFin = -Infinity;
      const restarts = runs.slice(1).map((run) => {
        const first = run[0] as TimerReading;
        // The FIN that restarted it was captured before the first reading of the new timer ended: the last one
        // resent by then, after the one that restarted the timer before. Not "after the old timer's last reading":
        // the capture stamps a segment as it is sent, and a read of the table can still show the old timer until
        // the receiver's softirq has processed it, which a loaded machine delays.
        const window = segments.filter(
          (segment) => segment.time > previousFin && segment.time <= first.end,
        );
        const fin = capturedSegment(
          [...window].reverse(),
          { from: PORT, to: clientPort, flag: 'FIN' },
          'the resent FIN that restarted the TIME_WAIT timer',
        );
        previousFin = fin.time;
        const timer: KernelTimer = {
          entered: fin.time,
          timerSetBy: first.end,
          deadline: kernelDeadline(run),
        };
        return timer;
      });
      expect(restarts.length).toBeGreaterThanOrEqual(1);
      for (const restart of restarts) {
        assertTimerLength(restart, TCP_TIMEWAIT_LEN_MS, 'TIME_WAIT started over by a resent FIN');
      }
      const rule = (await target.dropRules()).find((each) => each.destinationPort === PORT);
      // Every retransmitted FIN drew a fresh ACK from the TIME_WAIT side (all dropped): one per FIN, and the first.
      expect(rule?.dropped).toBeGreaterThanOrEqual(restarts.length + 1);
      recordMeasurement({
        claims: ['C13'],
        name: 'TIME_WAIT timer restarts seen',
        value: restarts.length,
        from: 'kernel',
      });
      const length = timerLength(restarts[0] as KernelTimer);
      recordMeasurement({
        claims: ['C13'],
        name: "TIME_WAIT timer after a restart: from the resent FIN to the kernel's new deadline",
        value: Math.round(length.valueMs),
        unit: 'ms',
        from: 'kernel',
        timing: timingOf(length),
      });
      recordVerdict({
        claim: 'C13',
        verdict: 'holds',
        finding: 'Each retransmitted FIN got a new ACK and reset TIME_WAIT to 60 s.',
      });
    });
  });
});
