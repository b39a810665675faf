/**
 * A peer that vanishes without a word: keepalive and TCP_USER_TIMEOUT.                       Claims: X12
 *
 * The article's teardown needs both ends alive to say goodbye. Its readers ask how a connection ends when the peer
 * is simply gone (unplugged, powered off, its packets lost): an idle connection never finds out unless it probes.
 * With SO_KEEPALIVE the kernel sends a probe after TCP_KEEPIDLE seconds of silence, then one every TCP_KEEPINTVL
 * seconds, and after TCP_KEEPCNT unanswered probes drops the connection: its owner reads ETIMEDOUT. A connection
 * with data the peer has not acknowledged retransmits instead, for about 15 minutes by net.ipv4.tcp_retries2;
 * TCP_USER_TIMEOUT bounds that wait to the time it names (X12).
 *
 * The peer vanishes by the target dropping what would tell the client it is there (nftables, NET_ADMIN): its answers
 * to the probes, or everything the client sends it. A capture (NET_RAW) times the probes and retransmissions, and
 * the sampler times the end of the client's socket.
 */
import {
  connectPair,
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  type SocketPair,
  type Target,
} from '@sockspec/testkit';

const KEEPALIVE_CLIENT_BASE_PORT = 41020;
const KEEPALIVE = { enabled: true, idleSeconds: 2, intervalSeconds: 1, count: 3 };
const USER_TIMEOUT_MS = 3_000;
/**
 * How late a kernel timer of a second or two may fire, as the capture times it: the timer wheel rounds such timers
 * up to its 8-tick granularity (32 ms at HZ=250), and a loaded machine adds its own delay.
 */
const TIMER_SLACK_MS = 500;

/** Every segment from the client to the server dropped from now on: the server is gone as far as the client knows. */
async function vanish(target: Target, pair: SocketPair): Promise<void> {
  await target.dropSegments({
    sourcePort: pair.clientPort,
    destinationPort: pair.serverPort,
    segments: 'any',
  });
}

describe('a peer that vanishes silently (X12)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const ADDRESS = family.loopback;
    const KEEPALIVE_CLIENT_PORT = family.port(KEEPALIVE_CLIENT_BASE_PORT);

    it('is found on an idle connection by keepalive after KEEPIDLE + KEEPINTVL x KEEPCNT, the owner reading ETIMEDOUT (X12)', async () => {
      const port = family.port(8146);
      const { idleSeconds, intervalSeconds, count } = KEEPALIVE;
      recordSetting({
        name: 'TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT',
        value: `${idleSeconds} s, ${intervalSeconds} s, ${count}`,
      });
      // Set before connect(), keepalive's idle time counts from the connection's start, the SYN-ACK's arrival; the
      // server's later answers (bare ACKs) are dropped from the start, so the probes go unanswered.
      const capture = await target.capture(port);
      const listener = await target.socket(family.family);
      await listener.bind(ADDRESS, port);
      await listener.listen(1);
      await target.dropSegments({
        sourcePort: port,
        destinationPort: KEEPALIVE_CLIENT_PORT,
        segments: 'ack-only',
      });
      const client = await target.socket(family.family);
      await client.bind(ADDRESS, KEEPALIVE_CLIENT_PORT);
      await client.setOptions({ keepalive: KEEPALIVE });
      expect((await client.options()).keepalive).toEqual(KEEPALIVE);
      await client.connect(ADDRESS, port);
      expect(await client.settle(2_000)).toBe('connected');
      const pair = { client, clientPort: KEEPALIVE_CLIENT_PORT };
      const expectedMs = (idleSeconds + intervalSeconds * count) * 1000;
      await target.waitForAbsence(
        { localPort: pair.clientPort, remotePort: port },
        { timeoutMs: expectedMs + 10_000 },
      );
      const { pendingError } = await pair.client.status();
      expect(pendingError).toBe('ETIMEDOUT');
      const segments = await capture.stop();
      const synAck = segments.find((s) => s.from.port === port && s.flags.includes('SYN'));
      const fromClient = segments.filter((s) => s.from.port === pair.clientPort);
      // After the SYN and the handshake's ACK, every bare ACK the client sent is a probe.
      const probes = fromClient.slice(2).filter((s) => s.flags.join('+') === 'ACK');
      const reset = fromClient.find((s) => s.flags.includes('RST'));
      expect(synAck).toBeDefined();
      expect(fromClient[0]?.flags).toEqual(['SYN']);
      expect(probes).toHaveLength(count);
      expect(reset).toBeDefined();
      // The server's SYN-ACK is the last the client heard of it: the idle time counts from there.
      const idleMs = probes[0]!.time - synAck!.time;
      expect(idleMs).toBeGreaterThanOrEqual(idleSeconds * 1000 - 5);
      expect(idleMs).toBeLessThan(idleSeconds * 1000 + TIMER_SLACK_MS);
      const gaps = probes.slice(1).map((probe, i) => probe.time - (probes[i]?.time ?? NaN));
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(intervalSeconds * 1000 - 5);
        expect(gap).toBeLessThan(intervalSeconds * 1000 + TIMER_SLACK_MS);
      }
      const probingMs = reset!.time - probes[0]!.time;
      expect(probingMs).toBeGreaterThanOrEqual(intervalSeconds * count * 1000 - 5);
      expect(probingMs).toBeLessThan(intervalSeconds * count * 1000 + TIMER_SLACK_MS);
      recordMeasurement({
        claims: ['X12'],
        name: 'keepalive probes sent, then the reset',
        value: `${probes.length} probes, ${gaps.map((gap) => gap.toFixed(0)).join(' / ')} ms apart; RST ${probingMs.toFixed(0)} ms after the first`,
        from: 'capture',
      });
      recordMeasurement({
        claims: ['X12'],
        name: 'silence before the first keepalive probe',
        value: idleMs.toFixed(0),
        unit: 'ms',
        from: 'capture',
      });
      recordMeasurement({
        claims: ['X12'],
        name: 'what the owner of the dropped connection read (SO_ERROR)',
        value: pendingError ?? 'nothing',
        from: 'kernel',
      });
    });

    it('with unacknowledged data, ends after TCP_USER_TIMEOUT instead of retrying by tcp_retries2 (X12)', async () => {
      const port = family.port(8147);
      recordSetting({ name: 'TCP_USER_TIMEOUT', value: USER_TIMEOUT_MS, unit: 'ms' });
      const bounded = await connectPair(target, port, ADDRESS);
      const unbounded = await connectPair(target, port + 1, ADDRESS);
      const capture = await target.capture(port);
      await bounded.client.setOptions({ userTimeoutMs: USER_TIMEOUT_MS });
      expect((await bounded.client.options()).userTimeoutMs).toBe(USER_TIMEOUT_MS);
      await vanish(target, bounded);
      await vanish(target, unbounded);
      await bounded.client.send('never acknowledged');
      await unbounded.client.send('never acknowledged');
      const gone = await target.waitForAbsence(
        { localPort: bounded.clientPort, remotePort: port },
        { timeoutMs: USER_TIMEOUT_MS + 10_000 },
      );
      expect((await bounded.client.status()).pendingError).toBe('ETIMEDOUT');
      const segments = await capture.stop();
      const sent = segments.filter((s) => s.from.port === bounded.clientPort && s.length > 0);
      expect(sent.length).toBeGreaterThanOrEqual(3);
      // From the data's first send to the socket's end, on the target's clock (capture and sampler alike). The kernel
      // counts the time from a retransmission's send (tp->retrans_stamp), not the first send: from the first
      // resend at the latest if that was a retransmission, from the second if the first was a tail loss probe.
      const lastedMs = gone.time - sent[0]!.time;
      const afterFirstResendMs = gone.time - sent[1]!.time;
      const afterSecondResendMs = gone.time - sent[2]!.time;
      expect(lastedMs).toBeGreaterThanOrEqual(USER_TIMEOUT_MS - 5);
      expect(afterSecondResendMs).toBeLessThan(USER_TIMEOUT_MS + TIMER_SLACK_MS);
      // The same loss without TCP_USER_TIMEOUT: still retrying, as tcp_retries2 allows for many minutes yet.
      const [still] = await target.sockets({
        state: 'ESTABLISHED',
        localPort: unbounded.clientPort,
      });
      expect(still?.timer.kind).toBe('retransmit');
      expect(still?.retransmits).toBeGreaterThanOrEqual(1);
      const retries2 = await target.sysctl('net.ipv4.tcp_retries2');
      recordMeasurement({
        claims: ['X12'],
        name: `data unacknowledged, TCP_USER_TIMEOUT ${USER_TIMEOUT_MS} ms: from first send to the socket's end`,
        value: lastedMs.toFixed(0),
        unit: 'ms',
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['X12'],
        name: "the same, from the first and from the second resend to the socket's end",
        value: `${afterFirstResendMs.toFixed(0)} / ${afterSecondResendMs.toFixed(0)}`,
        unit: 'ms',
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['X12'],
        name: `the same without TCP_USER_TIMEOUT (tcp_retries2=${retries2 ?? '?'}): retransmits so far, still ESTABLISHED`,
        value: still?.retransmits ?? NaN,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'X12',
        verdict: 'holds',
        finding: `Keepalive dropped a silent peer after ${KEEPALIVE.idleSeconds} + ${KEEPALIVE.intervalSeconds} x ${KEEPALIVE.count} s (ETIMEDOUT); TCP_USER_TIMEOUT ended unacknowledged data after ${(lastedMs / 1000).toFixed(1)} s.`,
      });
    });
  });
});
