/**
 * A slow harness is not a kernel that differs.                                    Claims: none (trust)
 *
 * Each step of the harness (a target starting, a program printing its first line, an agent answering) waits as long
 * as the processes behind it keep moving: on a loaded machine they are slow, not wrong. A step whose processes show
 * no work for its budget is hung, and fails with a HarnessStall that says so: what it waited for, how long, and the
 * load average, never a sentence about the kernel. Here a program that never prints stands for a hung step, and a
 * program that computes for a while before it prints stands for a slow one.
 */
import { HarnessStall, startTarget, type Target } from '@sockspec/testkit';
import { HARNESS_CEILING_MS } from '@sockspec/testkit/runner';

/** The default budget of a wait on a program with nothing moving, on a container (RemoteProgram's). */
const IDLE_BUDGET_MS = 10_000;

describe('a wait on a program', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('fails with a harness message once a program that never prints shows no work for its budget', async () => {
    const silent = await target.run(['sleep', '600']);
    const started = Date.now();
    const failure = await silent.waitForEvent('listening').catch((error: unknown) => error);
    const waited = Date.now() - started;
    expect(failure).toBeInstanceOf(HarnessStall);
    expect((failure as Error).message).toMatch(
      /^harness: sleep 600: 1 'listening' event\(s\) \(saw 0\) did not happen: waited \d+\.\d s, and nothing behind it ran/,
    );
    expect((failure as Error).message).toMatch(/load average \d+\.\d\d \d+\.\d\d \d+\.\d\d/);
    expect((failure as Error).message).toContain('not the kernel under test');
    expect(waited).toBeGreaterThanOrEqual(IDLE_BUDGET_MS * (target.kind === 'vm' ? 4 : 1));
    expect(waited).toBeLessThan(HARNESS_CEILING_MS);
    await silent.stop();
  });

  it('goes on past its budget while the program works, and takes the line it prints in the end', async () => {
    // Three seconds of computing, then one line: the wait's budget with nothing moving is one second.
    const busy = await target.run([
      'node',
      '-e',
      'const t = Date.now(); while (Date.now() - t < 3000); console.log(JSON.stringify({ event: "listening" }))',
    ]);
    const started = Date.now();
    const line = await busy.waitForEvent('listening', 1_000);
    expect(line.event).toBe('listening');
    expect(Date.now() - started).toBeGreaterThan(2_000);
    await busy.waitForExit();
  });
});
