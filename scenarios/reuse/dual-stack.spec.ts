/**
 * A `::` listener beside a 0.0.0.0 listener on the same port.                               Claims: none
 *
 * Services listen on `::`, and readers ask whether an IPv4 listener can share its port. It depends on IPV6_V6ONLY:
 * off (net.ipv6.bindv6only=0, the default), a socket bound to `::` takes IPv4 peers too, as ::ffff:a.b.c.d, so its
 * address overlaps 0.0.0.0 and the second bind() fails with EADDRINUSE, whichever of the two came first; on, the
 * two addresses are apart and both listen. SO_REUSEADDR on both changes nothing here: it lets a bind share a port
 * with sockets that are not listening (a TIME_WAIT entry, a socket only bound), never with a live listener.
 *
 * Each case binds and listens the first socket, then binds the second (and listens it, if the bind succeeded), in
 * one target, a port per case. What the kernel answered is recorded per case. No claim of the article or its
 * readers covers it, so the spec declares no verdict: its answers are findings, kept in the run's measurements.
 */
import {
  describe,
  IPV4,
  IPV6,
  it,
  recordMeasurement,
  startTarget,
  TargetSocketError,
  type Family,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8150;

interface Case {
  readonly first: Family;
  readonly second: Family;
  readonly v6Only: boolean;
  readonly reuseAddr: boolean;
}

/** Every combination: which family binds first, IPV6_V6ONLY on the `::` socket, SO_REUSEADDR on both. */
const CASES: readonly Case[] = [false, true].flatMap((v6Only) =>
  [false, true].flatMap((reuseAddr) =>
    [
      [IPV6, IPV4],
      [IPV4, IPV6],
    ].map(([first, second]) => ({ first: first!, second: second!, v6Only, reuseAddr })),
  ),
);

/** `[::] (IPV6_V6ONLY off), then 0.0.0.0, SO_REUSEADDR on both`: a case as its title and its record name it. */
function caseName({ first, second, v6Only, reuseAddr }: Case): string {
  const bound = (family: Family): string =>
    family === IPV6 ? `[::] (IPV6_V6ONLY ${v6Only ? 'on' : 'off'})` : '0.0.0.0';
  return `${bound(first)}, then ${bound(second)}, SO_REUSEADDR ${reuseAddr ? 'on both' : 'on neither'}`;
}

/** A socket of the family with the case's options, bound to the family's wildcard address. */
async function bindWildcard(
  target: Target,
  family: Family,
  { v6Only, reuseAddr }: Case,
  port: number,
): Promise<Awaited<ReturnType<Target['socket']>>> {
  const socket = await target.socket(family.family);
  await socket.setOptions(family === IPV6 ? { reuseAddr, v6Only } : { reuseAddr });
  await socket.bind(family.any, port);
  return socket;
}

/** What the kernel answered the second socket: `listening`, or the call that failed and its errno. */
async function secondOutcome(target: Target, which: Case, port: number): Promise<string> {
  let step = 'bind';
  try {
    const second = await bindWildcard(target, which.second, which, port);
    step = 'listen';
    await second.listen(8);
    return 'listening';
  } catch (error) {
    if (error instanceof TargetSocketError) return `${step}: ${error.code}`;
    throw error;
  }
}

describe('a :: listener and a 0.0.0.0 listener on one port', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('starts from net.ipv6.bindv6only = 0: a socket bound to :: takes IPv4 peers unless it sets IPV6_V6ONLY', async () => {
    const value = await target.sysctl('net.ipv6.bindv6only');
    expect(value).toBe('0');
    recordMeasurement({
      claims: [],
      name: 'net.ipv6.bindv6only in a fresh namespace',
      value: value ?? 'missing',
      from: 'kernel',
    });
  });

  it.each(CASES.map((which, index) => ({ ...which, index, name: caseName(which) })))(
    '$name: the second listens only if IPV6_V6ONLY keeps the two addresses apart',
    async ({ index, ...which }) => {
      const port = BASE_PORT + index;
      const first = await bindWildcard(target, which.first, which, port);
      await first.listen(8);
      const options = await first.options();
      if (which.first === IPV6) expect(options.v6Only).toBe(which.v6Only);
      expect(options.reuseAddr).toBe(which.reuseAddr);
      const outcome = await secondOutcome(target, which, port);
      recordMeasurement({
        claims: [],
        name: `second listener: ${caseName(which)}`,
        value: outcome,
        from: 'kernel',
      });
      expect(outcome).toBe(which.v6Only ? 'listening' : 'bind: EADDRINUSE');
      const listeners = await target.sockets({ state: 'LISTEN', localPort: port });
      expect(listeners.map((entry) => entry.family).sort()).toEqual(
        which.v6Only ? ['ipv4', 'ipv6'] : [which.first.family],
      );
    },
  );
});
