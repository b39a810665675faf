/**
 * A full accept queue with net.ipv4.tcp_abort_on_overflow.                                       Claims: X5
 *
 * Readers ask whether a server can refuse loudly instead of silently when its accept queue is full: with
 * tcp_abort_on_overflow=1 the kernel answers with RST. The kernel's rule has a nuance the question hides: a SYN
 * that arrives while the queue is full is dropped before any of this (the client waits in SYN_SENT either way, see
 * the backlog spec); the option acts on the handshake's final ACK, when that ACK finds the queue full. So the
 * story here lets client A's handshake start while there is room, holds A's final ACK back (nftables), fills the
 * queue with clients B and C, and then lets A's ACK through, on the server's next SYN-ACK retransmission.
 *
 * With the option off, the server drops A's ACK and retries its SYN-ACK; A, which believes it is connected, hears
 * nothing. With it on, A gets RST and its socket fails with ECONNRESET.
 *
 * The listener has listen(fd, 1), room for two, not listen(fd, 0): a kernel before the 2025 fix "allow a connection
 * when sk_max_ack_backlog is zero" (Debian's 5.10 among them) counts the SYN queue of a backlog-0 listener as full
 * from the start, so it answers even A's first SYN with a SYN cookie and keeps no request that could retransmit
 * its SYN-ACK. With a backlog of 1 it keeps A's request there too; the SYN cookies each kernel sent while B and C
 * filled the queue are recorded (none where the request queue has room, two where it counts as full).
 */
import {
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8020;
const CLIENT_A_BASE_PORT = 40_001;
/** listen(fd, BACKLOG): room for BACKLOG + 1 connections in the accept queue, never accepted. */
const BACKLOG = 1;
/** Time for a retransmitted SYN-ACK, the client's ACK and the server's answer to cross loopback and be seen. */
const ANSWER_MS = 1_500;

// Each family gets its own targets: ListenOverflows counts for the whole namespace.
describeFamilies('a full accept queue (X5)', (family) => {
  const ADDRESS = family.loopback;
  const PORT = family.port(BASE_PORT);
  const CLIENT_A_PORT = family.port(CLIENT_A_BASE_PORT);

  describe.each([
    { abort: 1, fate: 'gets a RST: its socket fails with ECONNRESET' },
    { abort: 0, fate: 'hears nothing: its ACK is dropped and its socket stays ESTABLISHED' },
  ])('tcp_abort_on_overflow = $abort', ({ abort }) => {
    let target: Target;

    beforeAll(async () => {
      recordSetting({ name: 'listen() backlog', value: BACKLOG });
      target = await startTarget({
        capabilities: ['NET_ADMIN'],
        sysctls: { 'net.ipv4.tcp_abort_on_overflow': abort },
      });
    });
    afterAll(async () => {
      await target?.stop();
    });

    it(`leaves a client whose final ACK meets a full accept queue ${abort === 1 ? 'reset' : 'hanging'}`, async () => {
      const listener = await target.socket(family.family);
      await listener.bind(ADDRESS, PORT);
      await listener.listen(BACKLOG);
      const hold = await target.dropSegments({
        sourcePort: CLIENT_A_PORT,
        destinationPort: PORT,
        segments: 'ack-only',
      });
      const a = await target.socket(family.family);
      await a.bind(ADDRESS, CLIENT_A_PORT);
      await a.connect(ADDRESS, PORT);
      // A got the SYN-ACK and counts itself connected; the server has only a request waiting for A's ACK.
      expect(await a.settle(1_000)).toBe('connected');
      const beforeFillers = await target.counters();
      for (let filler = 0; filler < BACKLOG + 1; filler += 1) {
        const client = await target.socket(family.family);
        await client.connect(ADDRESS, PORT);
        expect(await client.settle(1_000)).toBe('connected');
      }
      const [listening] = await target.sockets({ state: 'LISTEN', localPort: PORT });
      expect(listening?.rxQueue).toBe(BACKLOG + 1);
      const before = await target.counters();
      const cookies = (before.SyncookiesSent ?? 0) - (beforeFillers.SyncookiesSent ?? 0);
      await target.removeDropRule(hold.handle);

      // The server retransmits its SYN-ACK to A on a doubling timer (1 s, 2 s, 4 s, ...); A answers the next one
      // with its ACK, which finds the queue full. When that is, the request's own timer says (a slow target may
      // already have spent the first retransmits while the ACKs were dropped).
      const [request] = await target.sockets({ localPort: PORT, remotePort: CLIENT_A_PORT });
      const deadline = Date.now() + (request?.timer.remainingMs ?? 1_000) + ANSWER_MS;
      let overflows = 0;
      while (overflows < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        overflows =
          ((await target.counters()).ListenOverflows ?? 0) - (before.ListenOverflows ?? 0);
      }
      // Whatever the client makes of the server's answer, give it the time for it.
      await new Promise((resolve) => setTimeout(resolve, ANSWER_MS));
      const status = await a.status();
      expect(overflows).toBeGreaterThanOrEqual(1);
      if (abort === 1) {
        expect(status.pendingError).toBe('ECONNRESET');
        await expect(target).not.toHaveSocket({ localPort: CLIENT_A_PORT });
      } else {
        expect(status.pendingError).toBeNull();
        await expect(target).toHaveSocket({ state: 'ESTABLISHED', localPort: CLIENT_A_PORT });
      }
      recordMeasurement({
        claims: ['X5'],
        name: `SYN cookies sent while ${BACKLOG + 1} clients filled listen(fd, ${BACKLOG})'s queue`,
        value: cookies,
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['X5'],
        name: `client A's fate with tcp_abort_on_overflow=${abort}`,
        value: status.pendingError ?? 'no error, still connected',
        from: 'kernel',
      });
      if (abort === 1) {
        recordVerdict({
          claim: 'X5',
          verdict: 'holds-with-nuance',
          finding:
            'RST when the final ACK meets a full queue; SYNs that meet a full queue are still dropped silently.',
        });
      }
    });
  });
});
