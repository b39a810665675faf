/**
 * TIME_WAIT assassination: an RST that reaches a TIME_WAIT socket.                           Claims: X9
 *
 * TIME_WAIT is there to outlive stray segments of the connection, but an RST that arrives in it, in sequence, ends
 * it at once: RFC 1337 calls this TIME_WAIT assassination, and Linux does it unless net.ipv4.tcp_rfc1337=1, which
 * makes a TIME_WAIT socket ignore RSTs (X9).
 *
 * The RST comes from the kernel itself, as it does in the wild. After an ordinary teardown the client's end waits
 * in TIME_WAIT and the server's port is free. A new socket bound to the server's port connects to the client's
 * port: its SYN meets the TIME_WAIT socket, which answers with an ACK of what it last received (no listener on the
 * client's port takes the SYN). That ACK acknowledges nothing the connecting socket sent, so it answers with an RST
 * whose sequence number is that ACK's, exactly what the TIME_WAIT socket expects next. A capture (NET_RAW) shows the
 * three segments; procfs shows whether the TIME_WAIT socket outlived the RST.
 */
import {
  connectPair,
  describe,
  describeFamilies,
  finSequence,
  it,
  recordMeasurement,
  recordSetting,
  recordSysctlRefusal,
  recordVerdict,
  startTargetUnlessRefused,
  type SysctlRefusal,
  type ConnectOutcome,
  type Segment,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8141;
/** How long a TIME_WAIT socket that ignores RSTs is watched after the first one: past two SYN retries (1 s, 3 s). */
const WATCH_MS = 3_500;

/** A target with these sysctls, or the kernel's refusal when one is not its namespaces' own. */
const startWith = (sysctls: Record<string, number>): Promise<Target | SysctlRefusal> =>
  startTargetUnlessRefused({ capabilities: ['NET_RAW'], sysctls });

describeFamilies('an RST reaching a TIME_WAIT socket (X9)', (family) => {
  const PORT = family.port(BASE_PORT);
  const ADDRESS = family.loopback;

  describe.each([{ rfc1337: 0 }, { rfc1337: 1 }])('tcp_rfc1337 = $rfc1337', ({ rfc1337 }) => {
    let started: Awaited<ReturnType<typeof startWith>>;
    let target: Target;
    let clientPort: number;
    /** The sequence number the TIME_WAIT socket expects next: one past the server's FIN. */
    let expected: number;
    let timeLeftMs: number;
    let segments: readonly Segment[];
    let gone: boolean;
    let intruderOutcome: ConnectOutcome;

    beforeAll(async () => {
      recordSetting({ name: 'net.ipv4.tcp_rfc1337 set to', value: rfc1337 });
      started = await startWith({ 'net.ipv4.tcp_rfc1337': rfc1337 });
      if ('refused' in started) return;
      target = started;
      // Captured from the handshake on, so the report's ladder names the ends by it: the intruder comes later.
      const capture = await target.capture(PORT);
      const pair = await connectPair(target, PORT, ADDRESS);
      clientPort = pair.clientPort;
      await pair.client.close();
      await target.waitForState({ state: 'FIN_WAIT2', localPort: clientPort });
      await pair.server.close();
      await target.waitForAbsence({ localPort: PORT, remotePort: clientPort });
      await pair.listener.close();
      const [timeWait] = (
        await target.waitForState({ state: 'TIME_WAIT', localPort: clientPort }, { timeoutMs: 0 })
      ).entries;
      timeLeftMs = timeWait?.timer.remainingMs ?? NaN;
      // The intruder: the server's port, free again, connecting to the client's port.
      const intruder = await target.socket(family.family);
      await intruder.bind(ADDRESS, PORT);
      await intruder.connect(ADDRESS, clientPort);
      const watched = await target.tryWait(
        { state: 'TIME_WAIT', localPort: clientPort },
        { absent: true, timeoutMs: WATCH_MS },
      );
      gone = watched.satisfied;
      // Once the socket is gone, the intruder's SYN retry (after 1 s) finds nothing on the client's port.
      intruderOutcome = await intruder.settle(gone ? 3_000 : 0);
      await intruder.close();
      segments = await capture.stop();
      const serverFin = segments.find((s) => s.from.port === PORT && s.flags.includes('FIN'));
      expected = serverFin === undefined ? NaN : (finSequence(serverFin) + 1) % 2 ** 32;
    });
    afterAll(async () => {
      if (target !== undefined) await target.stop();
    });

    it(`gets an RST in sequence from a SYN it answered, and ${rfc1337 === 0 ? 'ends at once' : 'stays'} (X9)`, async () => {
      if ('refused' in started) {
        // The kernel keeps one value for every namespace: what X9 says of it cannot be tried in a target.
        recordSysctlRefusal('X9', 'net.ipv4.tcp_rfc1337', started);
        return;
      }
      expect(await target.sysctl('net.ipv4.tcp_rfc1337')).toBe(String(rfc1337));
      const syn = segments.findIndex(
        (s) => s.from.port === PORT && s.to.port === clientPort && s.flags.join('+') === 'SYN',
      );
      const answer = segments.findIndex(
        (s, i) =>
          i > syn &&
          s.from.port === clientPort &&
          s.flags.join('+') === 'ACK' &&
          s.ack === expected,
      );
      const rst = segments.findIndex(
        (s, i) => i > answer && s.from.port === PORT && s.flags.includes('RST'),
      );
      expect(syn).toBeGreaterThanOrEqual(0);
      expect(answer).toBeGreaterThan(syn);
      expect(rst).toBeGreaterThan(answer);
      // In sequence: the RST carries exactly the sequence number the TIME_WAIT socket expects next.
      expect(segments[rst]?.seq).toBe(expected);
      const rstTime = segments[rst]?.time ?? NaN;
      recordMeasurement({
        claims: ['X9'],
        name: `tcp_rfc1337=${rfc1337}: TIME_WAIT time left when the RST came (procfs, just before)`,
        value: timeLeftMs,
        unit: 'ms',
        from: 'kernel',
      });
      if (rfc1337 === 0) {
        expect(gone).toBe(true);
        await expect(target).not.toHaveSocket({ localPort: clientPort, remotePort: PORT });
        // With the TIME_WAIT socket gone, the intruder's retried SYN found nothing on the client's port.
        const refused = segments.find(
          (s) => s.time > rstTime && s.from.port === clientPort && s.flags.includes('RST'),
        );
        expect(refused).toBeDefined();
        expect(intruderOutcome).toEqual({ error: 'ECONNREFUSED' });
        recordMeasurement({
          claims: ['X9'],
          name: 'tcp_rfc1337=0: what the intruder then got',
          value: JSON.stringify(intruderOutcome),
          from: 'kernel',
        });
        recordVerdict({
          claim: 'X9',
          verdict: 'holds',
          finding: `An in-sequence RST ended TIME_WAIT with ${(timeLeftMs / 1000).toFixed(0)} s left.`,
        });
      } else {
        expect(gone).toBe(false);
        await expect(target).toHaveSocket({
          state: 'TIME_WAIT',
          localPort: clientPort,
          remotePort: PORT,
        });
        const rsts = segments.filter(
          (s) => s.from.port === PORT && s.to.port === clientPort && s.flags.includes('RST'),
        );
        expect(rsts.every((s) => s.seq === expected)).toBe(true);
        recordMeasurement({
          claims: ['X9'],
          name: `tcp_rfc1337=1: in-sequence RSTs ignored within ${WATCH_MS} ms`,
          value: rsts.length,
          from: 'capture',
        });
        recordVerdict({
          claim: 'X9',
          verdict: 'holds',
          finding: `With tcp_rfc1337=1 TIME_WAIT ignored ${rsts.length} in-sequence RSTs and stayed.`,
        });
      }
    });
  });
});
