/**
 * The cap on TIME_WAIT sockets: net.ipv4.tcp_max_tw_buckets.                                 Claims: X10
 *
 * A TIME_WAIT socket is a small "bucket" the kernel keeps for 60 s, and a namespace keeps at most
 * net.ipv4.tcp_max_tw_buckets of them. The readers' question: what happens past the cap? The kernel skips
 * TIME_WAIT for each further closing socket and destroys it at once, counting it in TcpExt TCPTimeWaitOverflow (X10).
 *
 * The target sets the cap low and closes more connections than it, one after another, each the ordinary way (the
 * client first, then the server), so that each one's client end would wait in TIME_WAIT. procfs then lists the
 * TIME_WAIT sockets and the counters say how many overflowed.
 */
import {
  closeInOrder,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordSysctlRefusal,
  recordVerdict,
  startTargetUnlessRefused,
  type SysctlRefusal,
  type RemoteSocket,
  type Family,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8142;
const CAP = 4;
const CONNECTIONS = 10;

/** A target with these sysctls, or the kernel's refusal when one is not its namespaces' own. */
const startWith = (sysctls: Record<string, number>): Promise<Target | SysctlRefusal> =>
  startTargetUnlessRefused({ sysctls });

/** One connection to the listener, accepted: its client end and its server end. */
async function connectOnce(
  target: Target,
  listener: RemoteSocket,
  family: Family,
): Promise<[RemoteSocket, RemoteSocket]> {
  const client = await target.socket(family.family);
  await client.connect(family.loopback, family.port(BASE_PORT));
  const outcome = await client.settle(2_000);
  if (outcome !== 'connected') throw new Error(`connect: ${JSON.stringify(outcome)}`);
  for (let i = 0; i < 100; i += 1) {
    const server = await listener.accept();
    if (server !== null) return [client, server];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no connection to accept');
}

describeFamilies(
  `${CONNECTIONS} connections closed with tcp_max_tw_buckets = ${CAP} (X10)`,
  (family) => {
    const PORT = family.port(BASE_PORT);
    let started: Awaited<ReturnType<typeof startWith>>;
    let target: Target;
    let clientPorts: number[];
    let before: Record<string, number>;
    let after: Record<string, number>;

    beforeAll(async () => {
      recordSetting({ name: 'net.ipv4.tcp_max_tw_buckets set to', value: CAP });
      recordSetting({ name: 'connections closed, client first', value: CONNECTIONS });
      started = await startWith({ 'net.ipv4.tcp_max_tw_buckets': CAP });
      if ('refused' in started) return;
      target = started;
      const listener = await target.socket(family.family);
      await listener.bind(family.loopback, PORT);
      await listener.listen(CONNECTIONS);
      before = await target.counters();
      clientPorts = [];
      for (let i = 0; i < CONNECTIONS; i += 1) {
        const [client, server] = await connectOnce(target, listener, family);
        clientPorts.push((await client.localAddress()).port);
        await closeInOrder(target, client, server);
        // The server's end is gone once the client's final ACK came: the connection is through with its teardown.
        await target.waitForAbsence({ localPort: PORT, remotePort: clientPorts.at(-1) });
      }
      after = await target.counters();
    });
    afterAll(async () => {
      if (target !== undefined) await target.stop();
    });

    it(`keeps at most ${CAP} in TIME_WAIT, destroys the rest at once and counts them in TCPTimeWaitOverflow (X10)`, async () => {
      if ('refused' in started) {
        // The kernel keeps one value for every namespace: what X10 says of it cannot be tried in a target.
        recordSysctlRefusal('X10', 'net.ipv4.tcp_max_tw_buckets', started);
        return;
      }
      expect(await target.sysctl('net.ipv4.tcp_max_tw_buckets')).toBe(String(CAP));
      const timeWait = await target.sockets({ state: 'TIME_WAIT', remotePort: PORT });
      // Nothing else is left of any client end: the ones past the cap skipped TIME_WAIT altogether.
      const clientEnds = await target.sockets({ remotePort: PORT });
      const overflowed = (after.TCPTimeWaitOverflow ?? 0) - (before.TCPTimeWaitOverflow ?? 0);
      expect(timeWait).toHaveLength(CAP);
      expect(clientEnds).toHaveLength(CAP);
      expect(overflowed).toBe(CONNECTIONS - CAP);
      // The first ones closed got the buckets; every later one found the table full.
      expect(timeWait.map((entry) => entry.local.port).sort((a, b) => a - b)).toEqual(
        clientPorts.slice(0, CAP).sort((a, b) => a - b),
      );
      recordMeasurement({
        claims: ['X10'],
        name: `TIME_WAIT sockets after ${CONNECTIONS} closes`,
        value: timeWait.length,
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['X10'],
        name: 'TCPTimeWaitOverflow counted',
        value: overflowed,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'X10',
        verdict: 'holds',
        finding: `${CAP} of ${CONNECTIONS} closes got TIME_WAIT; the other ${overflowed} skipped it, counted in TCPTimeWaitOverflow.`,
      });
    });
  },
);
