/**
 * When close() sends RST instead of FIN.                                                   Claims: X1, X2
 *
 * The article's readers ask about the two ways to skip the FIN exchange. With SO_LINGER set to {on, 0 s}, close()
 * aborts the connection: one RST, no FIN, and no TIME_WAIT on either side (X1). And close() on a socket whose
 * receive buffer still holds unread data also sends RST, as RFC 2525 asks, so the peer's next call fails with
 * ECONNRESET (X2). A capture in the target (NET_RAW) shows the segments; the TcpExt counters name the reason.
 */
import {
  connectPair,
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordVerdict,
  startTarget,
  TargetSocketError,
  type Target,
} from '@sockspec/testkit';

/** The errno of the peer's next call, or what it got instead: an answer, or nothing within a second. */
async function nextCallFailure(call: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    try {
      const answer = (await call()) as { wouldBlock?: boolean };
      if (answer?.wouldBlock !== true) return 'no error: the call answered';
    } catch (error) {
      if (error instanceof TargetSocketError) return error.code;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return 'no error: the call still would block after 100 tries, 10 ms apart';
}

describe('close() with SO_LINGER {on, 0} (X1)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(8050);

    it('sends one RST and no FIN, leaves no TIME_WAIT on either side, and the peer sees ECONNRESET', async () => {
      const pair = await connectPair(target, PORT, family.loopback);
      const capture = await target.capture(PORT);
      const before = await target.counters();
      await pair.client.setOptions({ linger: { enabled: true, seconds: 0 } });
      await pair.client.close();
      await target.waitForAbsence({ localPort: PORT, remotePort: pair.clientPort });
      const segments = await capture.stop();
      const seen = segments.map(
        (segment) =>
          `${segment.from.port === PORT ? 'server' : 'client'} ${segment.flags.join('+')}`,
      );
      expect(seen).toEqual(['client RST+ACK']);
      await expect(target).not.toHaveSocket({ state: 'TIME_WAIT' });
      await expect(target).not.toHaveSocket({
        localPort: pair.clientPort,
        remotePort: pair.serverPort,
      });
      expect(await nextCallFailure(() => pair.server.recv())).toBe('ECONNRESET');
      const after = await target.counters();
      // The kernel counts a zero-linger close under TCPAbortOnData (tcp_close checks it after the unread-data case).
      const counted = (after.TCPAbortOnData ?? 0) - (before.TCPAbortOnData ?? 0);
      expect(counted).toBeGreaterThan(0);
      recordMeasurement({
        claims: ['X1'],
        name: 'segments sent by close() with SO_LINGER 0',
        value: seen.join(', '),
        from: 'capture',
      });
      recordMeasurement({
        claims: ['X1'],
        name: 'TCPAbortOnData counted',
        value: counted,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'X1',
        verdict: 'holds',
        finding: 'One RST, no FIN, no TIME_WAIT; the peer got ECONNRESET.',
      });
    });
  });
});

describe('close() with unread data in the receive buffer (X2)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(8051);

    it('sends RST instead of FIN, and the peer gets ECONNRESET on its next call', async () => {
      const pair = await connectPair(target, PORT, family.loopback);
      await pair.client.send('unread');
      // The data has arrived once the server end's receive queue holds it.
      await target.waitForState({
        localPort: PORT,
        remotePort: pair.clientPort,
        state: 'ESTABLISHED',
      });
      let unread = 0;
      for (let i = 0; i < 100 && unread === 0; i += 1) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 10));
        const [entry] = await target.sockets({ localPort: PORT, remotePort: pair.clientPort });
        unread = entry?.rxQueue ?? 0;
      }
      if (unread === 0) {
        throw new Error(
          "the 6 bytes the client sent never showed in the server end's receive queue (100 reads, 10 ms apart)",
        );
      }
      const capture = await target.capture(PORT);
      const before = await target.counters();
      await pair.server.close();
      await target.waitForAbsence({ localPort: pair.clientPort, remotePort: PORT });
      const segments = await capture.stop();
      const flags = segments.map((segment) => segment.flags.join('+'));
      expect(flags).toEqual(['RST+ACK']);
      expect(segments[0]?.from.port).toBe(PORT);
      await expect(target).not.toHaveSocket({ state: 'TIME_WAIT' });
      expect(await nextCallFailure(() => pair.client.recv())).toBe('ECONNRESET');
      const after = await target.counters();
      const counted = (after.TCPAbortOnClose ?? 0) - (before.TCPAbortOnClose ?? 0);
      expect(counted).toBeGreaterThan(0);
      recordMeasurement({
        claims: ['X2'],
        name: 'segments sent by close() with unread data',
        value: flags.join(', '),
        from: 'capture',
      });
      recordMeasurement({
        claims: ['X2'],
        name: 'TCPAbortOnClose counted',
        value: counted,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'X2',
        verdict: 'holds',
        finding: 'close() with unread data sent RST; the peer got ECONNRESET.',
      });
    });
  });
});
