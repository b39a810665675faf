/**
 * Restarting a server while its old connections sit in TIME_WAIT.                         Claims: C16, C17
 *
 * The article's practical pain: a server that closed its connections first leaves them in TIME_WAIT on its own
 * port, and when it is restarted, bind() fails with EADDRINUSE (C16). SO_REUSEADDR lets the new server bind while
 * those entries still exist (C17). Which sockets must carry the option? On Linux, both servers: a connection
 * accepted from a listener inherits the listener's SO_REUSEADDR, keeps it into TIME_WAIT, and bind() conflicts with
 * a TIME_WAIT entry unless the entry and the new socket both have it. So the old server's choice decides whether a
 * restart can ever succeed early. The option never lets two live listeners share an address and port (unlike BSD),
 * and once the TIME_WAIT entries expire, a plain bind works again.
 */
import {
  describe,
  describeFamilies,
  FAMILIES,
  it,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  HarnessStall,
  startTarget,
  type Family,
  type RemoteProgram,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8040;
const CONNECTIONS = 3;

/** Starts sockspec-server and answers with its first event: `listening`, or `error` with the errno. */
async function restart(
  target: Target,
  family: Family,
  flags: readonly string[],
): Promise<{ program: RemoteProgram; first: string }> {
  const port = String(family.port(BASE_PORT));
  const program = await target.startProgram('server', [port, family.loopback, ...flags]);
  return { program, first: await program.listenOutcome() };
}

/**
 * A restart meant to meet the old TIME_WAIT entries: when it listened, at least `needed` of them must still be there
 * afterwards (they only ever go away), or the program started so late that they had expired, which says nothing
 * about the kernel.
 */
async function restartWhileTimeWait(
  target: Target,
  family: Family,
  flags: readonly string[],
  needed = 1,
): Promise<{ program: RemoteProgram; first: string }> {
  const asked = Date.now();
  const outcome = await restart(target, family, flags);
  const PORT = family.port(BASE_PORT);
  if (outcome.first === 'listening') {
    const left = await target.sockets({ state: 'TIME_WAIT', localPort: PORT });
    if (left.length < needed) {
      await outcome.program.stop();
      throw new HarnessStall(
        `sockspec-server ${flags.join(' ')} binding while the old TIME_WAIT entries held port ${PORT}`,
        Date.now() - asked,
        `the program started only after ${left.length === 0 ? 'the' : 'some of the'} entries had expired`,
      );
    }
  }
  return outcome;
}

/** An old server that closes each connection first, then exits, leaving TIME_WAIT entries on its port. */
async function oldServerLeavesTimeWait(
  target: Target,
  family: Family,
  flags: readonly string[],
): Promise<void> {
  const PORT = family.port(BASE_PORT);
  const ADDRESS = family.loopback;
  // The old server closes each connection 0.2 s after accepting it; each client closes once it has read that FIN,
  // so the server side closes first however late a loaded machine runs the programs.
  const server = await target.startServer([
    String(PORT),
    ADDRESS,
    '--close-after',
    '0.2',
    ...flags,
  ]);
  const clients = await target.startClient([
    ADDRESS,
    String(PORT),
    '--count',
    String(CONNECTIONS),
    '--close-on-eof',
  ]);
  // Each connection read the server's FIN, then closed: a client that failed says so here, not as a missing entry.
  const exit = await clients.waitForExit();
  if (exit.code !== 0) throw new Error(`the clients failed: ${JSON.stringify(clients.events)}`);
  await target.waitForState({ state: 'TIME_WAIT', localPort: PORT }, { count: CONNECTIONS });
  await server.stop();
}

/** One target for both families, whose old servers leave their TIME_WAIT entries side by side. */
async function targetWithTimeWait(flags: readonly string[]): Promise<Target> {
  recordSetting({ name: 'connections the old server closes first', value: CONNECTIONS });
  const target = await startTarget();
  await Promise.all(FAMILIES.map((family) => oldServerLeavesTimeWait(target, family, flags)));
  return target;
}

describe('restarting a server that never set SO_REUSEADDR', () => {
  let target: Target;

  beforeAll(async () => {
    target = await targetWithTimeWait([]);
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(BASE_PORT);

    it('leaves the server-side ends in TIME_WAIT on its port, since the server closed first (C16)', async () => {
      await expect(target).toHaveSocket(
        { state: 'TIME_WAIT', localPort: PORT },
        { count: CONNECTIONS },
      );
      await expect(target).not.toHaveSocket({ state: 'LISTEN', localPort: PORT });
    });

    it('refuses the restarted server: bind() fails with EADDRINUSE (C16)', async () => {
      const { program, first } = await restartWhileTimeWait(target, family, []);
      expect(first).toBe('EADDRINUSE');
      expect((await program.waitForExit()).code).toBe(1);
      recordMeasurement({
        claims: ['C16'],
        name: 'restart without SO_REUSEADDR, TIME_WAIT present',
        value: first,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C16',
        verdict: 'holds',
        finding: 'bind() failed with EADDRINUSE while TIME_WAIT entries held the port.',
      });
    });

    it('refuses it even with SO_REUSEADDR on the new socket: the old connections lack it (C17)', async () => {
      const { first } = await restartWhileTimeWait(target, family, ['--reuseaddr']);
      expect(first).toBe('EADDRINUSE');
      recordMeasurement({
        claims: ['C17'],
        name: 'restart with SO_REUSEADDR, old server without it',
        value: first,
        from: 'kernel',
      });
    });
  });

  // After both families' refusals: both families' entries expire at about the same time.
  describeFamilies('', (family) => {
    const PORT = family.port(BASE_PORT);

    it('binds without the option once the TIME_WAIT entries have expired (C16)', async () => {
      await target.waitForAbsence({ state: 'TIME_WAIT', localPort: PORT }, { timeoutMs: 70_000 });
      const { program, first } = await restart(target, family, []);
      expect(first).toBe('listening');
      await program.stop();
    });
  });
});

describe('restarting a server that set SO_REUSEADDR', () => {
  let target: Target;

  beforeAll(async () => {
    target = await targetWithTimeWait(['--reuseaddr']);
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(BASE_PORT);

    it('still refuses a restart without the option (C16)', async () => {
      const { first } = await restartWhileTimeWait(target, family, []);
      expect(first).toBe('EADDRINUSE');
    });

    it('lets a restart with the option listen while the TIME_WAIT entries are still there (C17)', async () => {
      const { program, first } = await restartWhileTimeWait(
        target,
        family,
        ['--reuseaddr'],
        CONNECTIONS,
      );
      expect(first).toBe('listening');
      await expect(target).toHaveSocket({ state: 'LISTEN', localPort: PORT }, { count: 1 });
      await expect(target).toHaveSocket(
        { state: 'TIME_WAIT', localPort: PORT },
        { count: CONNECTIONS },
      );

      // Two live listeners may not share the address and port, even when both set SO_REUSEADDR (C17).
      const second = await restart(target, family, ['--reuseaddr']);
      expect(second.first).toBe('EADDRINUSE');
      recordMeasurement({
        claims: ['C17'],
        name: 'restart with SO_REUSEADDR, old server with it',
        value: first,
        from: 'kernel',
      });
      recordMeasurement({
        claims: ['C17'],
        name: 'a second live listener with SO_REUSEADDR on both',
        value: second.first,
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C17',
        verdict: 'holds-with-nuance',
        finding:
          'It works only if the old server set SO_REUSEADDR too (its connections inherit it), and never for two live listeners.',
      });
      await program.stop();
    });
  });
});
