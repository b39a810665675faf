/**
 * Running out of ephemeral ports to TIME_WAIT.                                                   Claims: X3
 *
 * Readers ask what TIME_WAIT costs a client that opens many short connections to one server address and port:
 * each connection it closes first keeps its local port in TIME_WAIT for 60 s, and once every port of
 * net.ipv4.ip_local_port_range is held so, connect() fails with EADDRNOTAVAIL. net.ipv4.tcp_tw_reuse lets a new
 * connection take over a TIME_WAIT port once that entry is at least one second old (by its timestamps). Its
 * default, 2, allows that for loopback traffic only, so this story uses two targets on the run's own internal
 * network: a client target with its port range narrowed to a handful of ports, and a server target.
 *
 * The client connects, the client closes first, the server closes, and again, as fast as it can. When connect()
 * fails with EADDRNOTAVAIL the client keeps retrying for a few seconds: without reuse the ports stay held for 60 s;
 * with tcp_tw_reuse=1 they come free one second after their TIME_WAIT began.
 */
import {
  ContainerTarget,
  TargetNetwork,
  TargetSocketError,
  recordMeasurement,
  recordVerdict,
  targetSupports,
  type RemoteSocket,
} from '@sockspec/testkit';

const PORT = 8010;
const RANGE = { low: 40_000, high: 40_007 };
const PORTS = RANGE.high - RANGE.low + 1;
const ATTEMPTS = PORTS * 3;
/** How long one connect may keep retrying EADDRNOTAVAIL: well past the 1 s tcp_tw_reuse waits for, far short of 60 s. */
const RETRY_MS = 3_000;

interface Loop {
  readonly completed: number;
  readonly firstFailure?: string;
}

/** Short connections from the client target to the server target, each closed client first. */
async function shortConnections(
  client: ContainerTarget,
  server: ContainerTarget,
  listener: RemoteSocket,
): Promise<Loop> {
  const address = server.networkAddress as string;
  let completed = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const deadline = Date.now() + RETRY_MS;
    let socket: RemoteSocket | undefined;
    let failure: string | undefined;
    while (socket === undefined) {
      const candidate = await client.socket();
      try {
        await candidate.connect(address, PORT);
        socket = candidate;
      } catch (error) {
        await candidate.close();
        if (!(error instanceof TargetSocketError) || error.code !== 'EADDRNOTAVAIL') throw error;
        failure = error.code;
        if (Date.now() > deadline) return { completed, firstFailure: failure };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(await socket.settle(2_000)).toBe('connected');
    let accepted = await listener.accept();
    for (let i = 0; accepted === null && i < 100; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      accepted = await listener.accept();
    }
    await socket.close();
    await accepted?.close();
    completed += 1;
  }
  return { completed };
}

// Two hosts on one network: container targets only. On other kinds the report lists X3 as not run.
const describeWithTwoHosts = targetSupports('second-host') ? describe : describe.skip;

describeWithTwoHosts.each([
  { reuse: 0, expectation: 'stops, with EADDRNOTAVAIL, once the ports it uses all hold TIME_WAIT' },
  {
    reuse: 1,
    expectation: `completes all ${ATTEMPTS}, reusing ports whose TIME_WAIT is a second old`,
  },
])('short connections from a client with tcp_tw_reuse = $reuse (X3)', ({ reuse, expectation }) => {
  let network: TargetNetwork;
  let client: ContainerTarget;
  let server: ContainerTarget;

  beforeAll(async () => {
    network = await TargetNetwork.create();
    [client, server] = await Promise.all([
      ContainerTarget.start({
        network,
        sysctls: {
          'net.ipv4.ip_local_port_range': `${RANGE.low} ${RANGE.high}`,
          'net.ipv4.tcp_tw_reuse': reuse,
        },
      }),
      ContainerTarget.start({ network }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([client?.stop(), server?.stop()]);
    await network?.remove();
  });

  it(`with ${PORTS} ephemeral ports, ${expectation}`, async () => {
    expect(await client.sysctl('net.ipv4.ip_local_port_range')).toBe(`${RANGE.low}\t${RANGE.high}`);
    const listener = await server.socket();
    await listener.bind('0.0.0.0', PORT);
    await listener.listen(64);
    const loop = await shortConnections(client, server, listener);
    recordMeasurement({
      claims: ['X3'],
      name: `connections completed with ${PORTS} ports, tcp_tw_reuse=${reuse}`,
      value: loop.completed,
    });
    if (reuse === 0) {
      // connect() gives up once every port it will use holds a TIME_WAIT entry towards this server.
      expect(loop.firstFailure).toBe('EADDRNOTAVAIL');
      expect(loop.completed).toBeGreaterThan(0);
      expect(loop.completed).toBeLessThanOrEqual(PORTS);
      const held = await client.sockets({ state: 'TIME_WAIT', remotePort: PORT });
      expect(held).toHaveLength(loop.completed);
      const unused = Array.from({ length: PORTS }, (_, i) => RANGE.low + i).filter(
        (port) => !held.some((entry) => entry.local.port === port),
      );
      recordMeasurement({
        claims: ['X3'],
        name: 'ports of the range that connect() left unused',
        value: unused.join(' ') || 'none',
      });
    } else {
      expect(loop).toEqual({ completed: ATTEMPTS });
      recordVerdict({
        claim: 'X3',
        verdict: 'holds',
        finding:
          'TIME_WAIT ran the narrowed port range dry (EADDRNOTAVAIL); tcp_tw_reuse=1 reused second-old entries.',
      });
    }
  }, 90_000);
});
