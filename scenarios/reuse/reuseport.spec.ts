/**
 * SO_REUSEPORT: the real rules.                                                             Claims: C18, X7
 *
 * The article says SO_REUSEPORT lets several sockets bind and listen on one address and port, "for different
 * services, in any state" (C18). The kernel is stricter: every socket in the group must set the option, and all
 * must belong to the same effective user; it then spreads incoming connections across the listeners by a hash of
 * the connection's addresses and ports. Readers then ask what happens to the connections waiting in one listener's
 * accept queue when that listener closes: reset, unless net.ipv4.tcp_migrate_req=1 (upstream Linux 5.14 on) moves
 * them to another listener of the group (X7). Whether a kernel has the sysctl is read from that kernel, and what it
 * did with the queue is counted on the clients: each either reset or still connected, nothing in between. Each story
 * records which of the two it saw and asserts what the kernel must do then. Only a kernel that has tcp_migrate_req
 * can show the migration: on one without it, both stories assert the reset, and X7 is left without a verdict (not
 * run), since what it says of tcp_migrate_req=1 could not be tried.
 */
import {
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  type RemoteSocket,
  type Target,
} from '@sockspec/testkit';

describe('two processes binding one port (C18)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['SETUID', 'SETGID'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const ADDRESS = family.loopback;

    it.each([
      { first: ['--reuseport'], second: ['--reuseport'], outcome: 'listening', port: 8030 },
      { first: [], second: ['--reuseport'], outcome: 'EADDRINUSE', port: 8031 },
      { first: ['--reuseport'], second: [], outcome: 'EADDRINUSE', port: 8032 },
    ])(
      'first $first, second $second: the second gets $outcome',
      async ({ first, second, outcome, port: basePort }) => {
        const port = family.port(basePort);
        const one = await target.startProgram('server', [String(port), ADDRESS, ...first]);
        expect(await one.listenOutcome()).toBe('listening');
        const two = await target.startProgram('server', [String(port), ADDRESS, ...second]);
        expect(await two.listenOutcome()).toBe(outcome);
        await Promise.all([one.stop(), two.stop()]);
      },
    );

    it('refuses a second listener of another effective user, even with SO_REUSEPORT on both', async () => {
      const port = String(family.port(8033));
      const root = await target.startProgram('server', [port, ADDRESS, '--reuseport']);
      expect(await root.listenOutcome()).toBe('listening');
      const other = await target.startProgram('server', [port, ADDRESS, '--reuseport'], {
        uid: 1000,
      });
      expect(await other.listenOutcome()).toBe('EADDRINUSE');
      recordVerdict({
        claim: 'C18',
        verdict: 'differs',
        finding:
          'Not any sockets in any state: every socket must set SO_REUSEPORT, under one effective user.',
      });
      await root.stop();
    });
  });
});

describe('connections spread across two SO_REUSEPORT listeners (C18)', () => {
  const CONNECTIONS = 300;
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const ADDRESS = family.loopback;
    const PORT = String(family.port(8034));

    it(`gives each listener a share of ${CONNECTIONS} connections from as many source ports`, async () => {
      const servers = await Promise.all(
        [0, 1].map(() =>
          target.startServer([
            PORT,
            ADDRESS,
            '--reuseport',
            '--backlog',
            '512',
            '--close-after',
            '0',
          ]),
        ),
      );
      const clients = await target.startClient([
        ADDRESS,
        PORT,
        '--count',
        String(CONNECTIONS),
        '--close-after',
        '0.2',
      ]);
      await clients.waitForExit(30_000);
      const shares: number[] = [];
      for (const server of servers) {
        await server.refresh();
        shares.push(server.events.filter((event) => event.event === 'accepted').length);
      }
      recordSetting({ name: 'client connections spread over two listeners', value: CONNECTIONS });
      expect(shares[0]! + shares[1]!).toBe(CONNECTIONS);
      // The hash spreads the 4-tuples like fair coin flips: each share is 150 +- 8.7 (one standard deviation), so
      // below 100 (5.7 deviations) would mean the kernel is not spreading them at all.
      for (const share of shares) expect(share).toBeGreaterThanOrEqual(CONNECTIONS / 3);
      recordMeasurement({
        claims: ['C18'],
        name: `accepted by each of 2 listeners, of ${CONNECTIONS}`,
        value: shares.join(' / '),
        from: 'kernel',
      });
      await Promise.all(servers.map((server) => server.stop()));
    });
  });
});

const BASE_PORT = 8035;

describe.each([{ migrate: 0 }, { migrate: 1 }])(
  'a listener closing with connections in its accept queue, tcp_migrate_req = $migrate (X7)',
  ({ migrate }) => {
    const CLIENTS = 16;
    let target: Target;

    beforeAll(async () => {
      recordSetting({ name: 'clients queued on two SO_REUSEPORT listeners', value: CLIENTS });
      // Set where the target's kernel has it (upstream 5.14 on); the test reads what the kernel then says.
      target = await startTarget({ sysctlsIfPresent: { 'net.ipv4.tcp_migrate_req': migrate } });
    });
    afterAll(async () => {
      await target?.stop();
    });

    describeFamilies('', (family) => {
      const ADDRESS = family.loopback;
      const PORT = family.port(BASE_PORT);

      it("resets the closed listener's queued connections, or with tcp_migrate_req=1 hands every one of them to the other listener, and says which", async () => {
        // Read from the kernel: a kernel without tcp_migrate_req has nothing to migrate with, and resets.
        const sysctl = await target.sysctl('net.ipv4.tcp_migrate_req');
        if (sysctl !== undefined) expect(sysctl).toBe(String(migrate));
        const listeners: RemoteSocket[] = [];
        for (let i = 0; i < 2; i += 1) {
          const listener = await target.socket(family.family);
          await listener.setOptions({ reusePort: true });
          await listener.bind(ADDRESS, PORT);
          await listener.listen(CLIENTS);
          listeners.push(listener);
        }
        const clients: RemoteSocket[] = [];
        for (let i = 0; i < CLIENTS; i += 1) {
          const client = await target.socket(family.family);
          await client.connect(ADDRESS, PORT);
          expect(await client.settle(1_000)).toBe('connected');
          clients.push(client);
        }
        const [closing, staying] = listeners as [RemoteSocket, RemoteSocket];
        const closingInode = (await closing.status()).inode;
        const queues = await target.sockets({ state: 'LISTEN', localPort: PORT });
        const waitingInClosing = queues.find((entry) => entry.inode === closingInode)?.rxQueue ?? 0;
        expect(waitingInClosing).toBeGreaterThan(0);
        await closing.close();

        // A reset shows on the client as a pending ECONNRESET; a migrated connection stays open.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const errors = await Promise.all(
          clients.map(async (client) => (await client.status()).pendingError),
        );
        const reset = errors.filter((error) => error === 'ECONNRESET').length;
        const [remaining] = await target.sockets({ state: 'LISTEN', localPort: PORT });
        // The kernel either resets the whole closed queue or hands all of it to the other listener.
        const outcome = reset === 0 ? 'moved to the other listener' : 'reset';
        if (outcome === 'reset') {
          expect(reset).toBe(waitingInClosing);
          expect(remaining?.rxQueue).toBe(CLIENTS - waitingInClosing);
        } else {
          expect(remaining?.rxQueue).toBe(CLIENTS);
          let accepted = 0;
          while ((await staying.accept()) !== null) accepted += 1;
          expect(accepted).toBe(CLIENTS);
        }
        // Without tcp_migrate_req=1 in force (0, or a kernel without it) there is nothing to migrate with.
        if (sysctl !== '1') expect(outcome).toBe('reset');
        recordMeasurement({
          claims: ['X7'],
          name: `net.ipv4.tcp_migrate_req in the target (story ${migrate})`,
          value: sysctl ?? 'absent: the kernel has no such sysctl',
          from: 'kernel',
        });
        recordMeasurement({
          claims: ['X7'],
          name: `tcp_migrate_req=${sysctl ?? 'absent'}: of ${waitingInClosing} queued on the closed listener, reset`,
          value: reset,
          from: 'kernel',
        });
        recordMeasurement({
          claims: ['X7'],
          name: `tcp_migrate_req=${sysctl ?? 'absent'}: what became of the closed listener's queue`,
          value: outcome,
          from: 'kernel',
        });
        // The story with tcp_migrate_req=1 in force declares what this kernel did with it. Where the kernel has no
        // tcp_migrate_req, the migration could not be tried: no verdict, so X7 reads not run with the values above.
        if (migrate === 0 || sysctl === undefined) return;
        recordVerdict(
          outcome === 'reset'
            ? {
                claim: 'X7',
                verdict: 'differs',
                finding:
                  "This kernel has tcp_migrate_req and it was 1, yet the closed listener's queue was reset, not moved.",
              }
            : {
                claim: 'X7',
                verdict: 'holds',
                finding:
                  'Queued connections of a closed listener were reset; with tcp_migrate_req=1 they moved to the other.',
              },
        );
      });
    });
  },
);
