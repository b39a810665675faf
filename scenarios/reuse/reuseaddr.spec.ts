/**
 * Restarting a server while its old connections sit in TIME_WAIT.                         Claims: C16, C17
 *
 * The article's practical pain: a server that closed its connections first leaves them in TIME_WAIT on its own
 * port, and when it is restarted, bind() fails with EADDRINUSE (C16). SO_REUSEADDR lets the new server bind while
 * those entries still exist (C17). The kernel's rules, established here: only the new socket needs the option
 * (the old server never set it); it does not let two live listeners share an address and port, unlike BSD; and
 * once the TIME_WAIT entries expire, a plain bind works again.
 */
import { startTarget, type RemoteProgram, type Target } from '@sockspec/testkit';

const PORT = 8040;
const ADDRESS = '127.0.0.1';
const CONNECTIONS = 3;

/** Starts sockspec-server and answers with its first event: `listening`, or `error` with the errno. */
async function restart(
  target: Target,
  flags: readonly string[],
): Promise<{ program: RemoteProgram; first: string }> {
  const program = await target.startProgram('server', [String(PORT), ADDRESS, ...flags]);
  const first = await program.waitForEvent((event) => ['listening', 'error'].includes(event.event));
  return { program, first: first.event === 'error' ? String(first.code) : first.event };
}

describe('a server restarted on the port where its closed connections wait in TIME_WAIT (C16, C17)', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
    // The old server closes each connection 0.2 s after accepting it; the clients close once they read its FIN.
    const server = await target.startServer([String(PORT), ADDRESS, '--close-after', '0.2']);
    const clients = await target.startClient([
      ADDRESS,
      String(PORT),
      '--count',
      String(CONNECTIONS),
      '--close-after',
      '0.5',
    ]);
    await clients.waitForExit();
    await target.waitForState({ state: 'TIME_WAIT', localPort: PORT }, { count: CONNECTIONS });
    await server.stop();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('leaves the server-side ends in TIME_WAIT on its port, since the server closed first', async () => {
    await expect(target).toHaveSocket(
      { state: 'TIME_WAIT', localPort: PORT },
      { count: CONNECTIONS },
    );
    await expect(target).not.toHaveSocket({ state: 'LISTEN', localPort: PORT });
  });

  it('refuses the restarted server without SO_REUSEADDR: bind() fails with EADDRINUSE (C16)', async () => {
    const { program, first } = await restart(target, []);
    expect(first).toBe('EADDRINUSE');
    expect((await program.waitForExit()).code).toBe(1);
  });

  it('lets it listen with SO_REUSEADDR set on the new socket alone, the TIME_WAIT entries still there (C17)', async () => {
    const { program, first } = await restart(target, ['--reuseaddr']);
    expect(first).toBe('listening');
    await expect(target).toHaveSocket({ state: 'LISTEN', localPort: PORT }, { count: 1 });
    await expect(target).toHaveSocket(
      { state: 'TIME_WAIT', localPort: PORT },
      { count: CONNECTIONS },
    );

    // Two live listeners may not share the address and port, even when both set SO_REUSEADDR (C17).
    const second = await restart(target, ['--reuseaddr']);
    expect(second.first).toBe('EADDRINUSE');
    await program.stop();
  });

  it('binds without the option again once the TIME_WAIT entries have expired (C16)', async () => {
    await target.waitForAbsence({ state: 'TIME_WAIT', localPort: PORT }, { timeoutMs: 70_000 });
    const { program, first } = await restart(target, []);
    expect(first).toBe('listening');
    await program.stop();
  }, 90_000);
});
