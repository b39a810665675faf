/**
 * SYN cookies: a SYN queue full of handshakes that never complete.                           Claims: X11
 *
 * The article's backlog is the accept queue. Before a connection gets there it waits in the SYN queue, one request
 * per SYN answered, until the client's ACK comes; a SYN flood fills that queue with requests whose ACK never comes.
 * Readers ask what then happens to real clients. With net.ipv4.tcp_syncookies=1 (the default) the listener keeps
 * no request for a new SYN: it encodes the request in its SYN-ACK's sequence number (a cookie) and rebuilds it from
 * the client's ACK, so new clients still connect. With 0 it drops their SYNs (X11).
 *
 * The target makes the flood from inside: clients bound to chosen ports, one more than the listener's backlog,
 * connect to it, and every segment the listener sends to those ports is dropped (nftables, NET_ADMIN), so their
 * handshakes never complete and the requests stay (procfs lists them as SYN_RECV) until the SYN queue is full. New
 * clients from other ports then connect, and the TcpExt counters say how each SYN was handled (TCPReqQFullDoCookies
 * or TCPReqQFullDrop: the queue was full).
 */
import {
  describe,
  describeFamilies,
  it,
  recordMeasurement,
  recordSetting,
  recordSysctlRefusal,
  recordVerdict,
  startTargetUnlessRefused,
  type SysctlRefusal,
  type ConnectOutcome,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8145;
/** The listener's backlog. Its SYN queue holds as many requests, or one more on kernels with the 2025 fix. */
const BACKLOG = 2;
/** The flooding clients' own ports, whose SYN-ACKs are dropped: enough to fill the SYN queue either way. */
const FLOOD_BASE_PORTS = [41001, 41002, 41003];
const NEW_CLIENTS = 2;
/** How long a new client gets: past its first two SYN retries (1 s, then 2 s later). */
const SETTLE_MS = 3_500;

/** A target with these sysctls, or the kernel's refusal when one is not its namespaces' own. */
const startWith = (sysctls: Record<string, number>): Promise<Target | SysctlRefusal> =>
  startTargetUnlessRefused({ capabilities: ['NET_ADMIN'], sysctls });

describeFamilies('a SYN queue full of handshakes that never complete (X11)', (family) => {
  const PORT = family.port(BASE_PORT);
  const ADDRESS = family.loopback;
  const FLOOD_PORTS = FLOOD_BASE_PORTS.map((port) => family.port(port));

  describe.each([{ cookies: 1 }, { cookies: 0 }])('tcp_syncookies = $cookies', ({ cookies }) => {
    let started: Awaited<ReturnType<typeof startWith>>;
    let target: Target;
    let queued: number;
    let outcomes: ConnectOutcome[];
    let newPorts: number[];
    let grew: (counter: string) => number;

    beforeAll(async () => {
      recordSetting({ name: 'net.ipv4.tcp_syncookies set to', value: cookies });
      recordSetting({ name: 'listen backlog', value: BACKLOG });
      recordSetting({ name: 'handshakes left unfinished', value: FLOOD_PORTS.length });
      recordSetting({ name: 'new clients after them', value: NEW_CLIENTS });
      started = await startWith({ 'net.ipv4.tcp_syncookies': cookies });
      if ('refused' in started) return;
      target = started;
      const listener = await target.socket(family.family);
      await listener.bind(ADDRESS, PORT);
      await listener.listen(BACKLOG);
      for (const port of FLOOD_PORTS) {
        await target.dropSegments({ sourcePort: PORT, destinationPort: port, segments: 'any' });
        const flooder = await target.socket(family.family);
        await flooder.bind(ADDRESS, port);
        await flooder.connect(ADDRESS, PORT);
      }
      await target.waitForState({ state: 'SYN_RECV', localPort: PORT }, { count: BACKLOG });
      queued = (await target.sockets({ state: 'SYN_RECV', localPort: PORT })).length;
      const before = await target.counters();
      const clients = [];
      for (let i = 0; i < NEW_CLIENTS; i += 1) {
        const client = await target.socket(family.family);
        await client.connect(ADDRESS, PORT);
        clients.push(client);
      }
      outcomes = [];
      newPorts = [];
      for (const client of clients) {
        outcomes.push(await client.settle(SETTLE_MS));
        newPorts.push((await client.localAddress()).port);
      }
      const after = await target.counters();
      grew = (counter) => (after[counter] ?? 0) - (before[counter] ?? 0);
    });
    afterAll(async () => {
      if (target !== undefined) await target.stop();
    });

    it(`${cookies === 1 ? 'still completes new connections, with cookies' : 'drops the SYNs of new clients'} (X11)`, async () => {
      if ('refused' in started) {
        // The kernel keeps one value for every namespace: what X11 says of it cannot be tried in a target.
        recordSysctlRefusal('X11', 'net.ipv4.tcp_syncookies', started);
        return;
      }
      expect(await target.sysctl('net.ipv4.tcp_syncookies')).toBe(String(cookies));
      // The flood's requests fill the SYN queue and stay there: the counters below say the queue was full.
      expect(queued).toBeGreaterThanOrEqual(BACKLOG);
      await expect(target).toHaveSocket({ state: 'SYN_RECV', localPort: PORT }, { count: queued });
      recordMeasurement({
        claims: ['X11'],
        name: `requests held in the SYN queue of a listen(fd, ${BACKLOG})`,
        value: queued,
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['X11'],
        name: `tcp_syncookies=${cookies}: new clients connected, of ${NEW_CLIENTS}`,
        value: outcomes.filter((outcome) => outcome === 'connected').length,
        from: 'kernel',
      });
      if (cookies === 1) {
        expect(outcomes).toEqual(Array(NEW_CLIENTS).fill('connected'));
        expect(grew('TCPReqQFullDoCookies')).toBeGreaterThanOrEqual(NEW_CLIENTS);
        expect(grew('SyncookiesSent')).toBeGreaterThanOrEqual(NEW_CLIENTS);
        expect(grew('SyncookiesRecv')).toBeGreaterThanOrEqual(NEW_CLIENTS);
        expect(grew('SyncookiesFailed')).toBe(0);
        for (const counter of ['SyncookiesSent', 'SyncookiesRecv', 'TCPReqQFullDoCookies']) {
          recordMeasurement({
            claims: ['X11'],
            name: `tcp_syncookies=1: ${counter} counted`,
            value: grew(counter),
            from: 'kernel',
          });
        }
        recordVerdict({
          claim: 'X11',
          verdict: 'holds',
          finding: `With the SYN queue full, ${NEW_CLIENTS} new clients connected on ${grew('SyncookiesRecv')} cookies.`,
        });
      } else {
        expect(outcomes).toEqual(Array(NEW_CLIENTS).fill('pending'));
        for (const localPort of newPorts)
          await expect(target).toHaveSocket({ state: 'SYN_SENT', localPort, remotePort: PORT });
        expect(grew('SyncookiesSent')).toBe(0);
        // Each new client's SYN and its retries, dropped because the queue was full.
        expect(grew('TCPReqQFullDrop')).toBeGreaterThanOrEqual(NEW_CLIENTS);
        recordMeasurement({
          claims: ['X11'],
          name: `tcp_syncookies=0: TCPReqQFullDrop counted in ${SETTLE_MS} ms`,
          value: grew('TCPReqQFullDrop'),
          from: 'kernel',
        });
        recordVerdict({
          claim: 'X11',
          verdict: 'holds',
          finding: `With the SYN queue full and no cookies, ${grew('TCPReqQFullDrop')} SYNs of new clients were dropped.`,
        });
      }
    });
  });
});
