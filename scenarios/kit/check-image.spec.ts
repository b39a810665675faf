/**
 * `sockspec check --image` against servers nobody here wrote.                  Claims: none (tooling)
 *
 * The images are built here from Debian packages (examples/images/build.sh, FROM the project's base image): nginx,
 * Python's http.server, and a leaky server of a few lines of Python that never closes a connection and binds
 * without SO_REUSEADDR. Each runs in the network namespace of a target's agent, which reads the table, the counters
 * and a capture. nginx leaves no CLOSE_WAIT and restarts beside its port's TIME_WAIT (it sets SO_REUSEADDR); its
 * SIGTERM (fast shutdown) ends every connection at once, its SIGQUIT (graceful, its image's STOPSIGNAL) closes the
 * idle ones and waits for the one in flight. The leaky server exits 1, naming CLOSE_WAIT and its restart's
 * EADDRINUSE. http.server's listen() backlog is 5, and a burst overflows it, over IPv4 and, bound to :: and
 * checked with `--host ::1`, over IPv6. Every server container carries the run's labels and is removed with its
 * target.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LABEL_RUN } from '@sockspec/testkit/runner';
import { SOCKSPEC_MAIN } from './child-run';

const IMAGES = join(__dirname, '..', '..', 'examples', 'images');
const CLIENTS = 5;
/** How long the check lets a signalled server end before it kills it (docker stop's default). */
const GRACE_MS = 10_000;

interface CheckRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface ConnectionEnd {
  readonly kind: 'idle' | 'in-flight';
  readonly end: string;
  readonly afterMs: number;
}

function sockspecCheck(args: readonly string[]): Promise<CheckRun> {
  const all = ['check', '--clients', String(CLIENTS), '--hold', '1', ...args];
  return new Promise((resolve, reject) => {
    // Images run in a container target's namespace: on a VM run too, this tooling spec checks on a container.
    const child = spawn(process.execPath, [SOCKSPEC_MAIN, ...all], {
      env: { ...process.env, SOCKSPEC_TARGET: 'container' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The run's JSON report, with the run itself beside it so that a failed expectation shows every number. */
function reportOf(run: CheckRun): { run: CheckRun; report: Record<string, unknown> } {
  return { run, report: JSON.parse(run.stdout) as Record<string, unknown> };
}

beforeAll(() => {
  const build = spawnSync('bash', [join(IMAGES, 'build.sh')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`examples/images/build.sh failed: ${build.stderr}`);
});

afterAll(async () => {
  // The check removes every server container with its target: none of this run's is left (other specs' targets
  // may still run beside this one).
  const left = await new Docker().listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABEL_RUN}=${process.env.SOCKSPEC_RUN_ID ?? ''}`] }),
  });
  const servers = left.filter((container) => container.Image.startsWith('sockspec-example-'));
  expect(servers.map((container) => `${container.Image} ${container.Id.slice(0, 12)}`)).toEqual([]);
});

describe('sockspec check --image on nginx, built here from Debian packages', () => {
  it('passes every check with its own stop signal, SIGQUIT: idle connections FIN at once, the one in flight waited for', async () => {
    const { run, report } = reportOf(
      await sockspecCheck(['--image', 'sockspec-example-nginx', '--json']),
    );
    expect({ code: run.code, report }).toMatchObject({
      code: 0,
      report: {
        port: 80,
        checks: ['close-wait', 'burst', 'restart', 'shutdown'],
        closeWait: { connected: CLIENTS, closeWait: 0, leaked: false },
        burst: { status: 'ok', backlog: 511, listenOverflows: 0 },
        restart: { signal: 'SIGQUIT', status: 'ok', listening: true, addressInUse: [] },
        shutdown: { signal: 'SIGQUIT', rst: 0 },
        faults: [],
        exitCode: 0,
      },
    });
    // SO_REUSEADDR: the restart listened beside the TIME_WAIT entries its stop left on port 80.
    const { timeWaitAtRestart } = report.restart as { timeWaitAtRestart: number };
    expect(timeWaitAtRestart).toBeGreaterThan(0);
    // Graceful: the idle connections end with FIN within the grace; the request in flight holds nginx until the
    // grace is over and it is killed, and then the kernel ends it with FIN.
    const shutdown = report.shutdown as { killed: boolean; connections: ConnectionEnd[] };
    const ends = shutdown.connections.map(({ kind, end, afterMs }) => ({
      kind,
      end,
      inGrace: afterMs < GRACE_MS,
    }));
    expect({ killed: shutdown.killed, ends, run }).toMatchObject({
      killed: true,
      ends: [
        { kind: 'idle', end: 'FIN', inGrace: true },
        { kind: 'idle', end: 'FIN', inGrace: true },
        { kind: 'idle', end: 'FIN', inGrace: true },
        { kind: 'in-flight', end: 'FIN', inGrace: false },
      ],
    });
  });

  it('ends every connection, the one in flight too, with FIN at once on SIGTERM (its fast shutdown)', async () => {
    const { run, report } = reportOf(
      await sockspecCheck([
        '--image',
        'sockspec-example-nginx',
        '--stop-signal',
        'SIGTERM',
        '--checks',
        'shutdown',
        '--json',
      ]),
    );
    const shutdown = report.shutdown as {
      killed: boolean;
      stoppedInMs: number;
      connections: ConnectionEnd[];
    };
    expect({ code: run.code, report }).toMatchObject({
      code: 0,
      report: { shutdown: { signal: 'SIGTERM', killed: false, fin: 4, rst: 0 } },
    });
    expect({ shutdown, run }).toMatchObject({
      shutdown: {
        connections: [
          { kind: 'idle', end: 'FIN' },
          { kind: 'idle', end: 'FIN' },
          { kind: 'idle', end: 'FIN' },
          { kind: 'in-flight', end: 'FIN' },
        ],
      },
    });
    expect(shutdown.connections.every(({ afterMs }) => afterMs >= 0 && afterMs < GRACE_MS)).toBe(
      true,
    );
  });
});

describe('sockspec check --image on servers in Python', () => {
  it('exits 1 naming CLOSE_WAIT for the leaky server, and its restart EADDRINUSE beside TIME_WAIT', async () => {
    const run = await sockspecCheck([
      '--image',
      'sockspec-example-python-leaky',
      '--checks',
      'close-wait,restart',
    ]);
    expect(run).toMatchObject({ code: 1 });
    expect(run.stdout).toContain(`CLOSE_WAIT:    ${CLIENTS} on the server's port (leaked)`);
    expect(run.stdout).toContain(
      `FAULT in close-wait, restart (LEAK: ${CLIENTS} connection(s) left in CLOSE_WAIT)`,
    );
    expect(run.stdout).toContain('EADDRINUSE:    OSError: [Errno 98] Address already in use');
    expect(run.stdout).toMatch(
      /FAULT: the restart met EADDRINUSE while port 9000 held [1-9]\d* TIME_WAIT/,
    );
  });

  it("reports http.server's backlog of 5 as the kernel holds it, and the burst that overflows it", async () => {
    const { run, report } = reportOf(
      await sockspecCheck([
        '--image',
        'sockspec-example-python-http',
        '--checks',
        'close-wait,burst',
        '--json',
      ]),
    );
    expect({ code: run.code, report }).toMatchObject({
      code: 1,
      report: {
        closeWait: { closeWait: 0 },
        burst: { backlog: 5, status: 'fault' },
        faults: ['burst'],
      },
    });
    // The fault is the counters' growth: ListenOverflows over the burst, read from the namespace's TcpExt.
    expect((report.burst as { listenOverflows: number }).listenOverflows).toBeGreaterThan(0);
  });

  it('checks http.server bound to :: over IPv6 (--host ::1): its tcp6 table, its backlog, its capture of ::1', async () => {
    const { run, report } = reportOf(
      await sockspecCheck([
        '--image',
        'sockspec-example-python-http',
        '--host',
        '::1',
        '--checks',
        'close-wait,burst,shutdown',
        '--json',
        '--',
        'python3',
        '-m',
        'http.server',
        '--bind',
        '::',
        '8000',
      ]),
    );
    expect({ code: run.code, report }).toMatchObject({
      code: 1,
      report: {
        host: '::1',
        port: 8000,
        closeWait: { connected: CLIENTS, closeWait: 0 },
        burst: { backlog: 5, status: 'fault' },
        faults: ['burst'],
      },
    });
    expect((report.burst as { listenOverflows: number }).listenOverflows).toBeGreaterThan(0);
    // HTTP/1.0: http.server closes each connection first, so its side holds TIME_WAIT, read from /proc/net/tcp6.
    const { timeWait } = report.closeWait as { timeWait: { server: number } };
    expect({ serverHoldsTimeWait: timeWait.server > 0, run }).toMatchObject({
      serverHoldsTimeWait: true,
    });
    // The capture of ::1 holds each connection's end: the idle ones closed before the signal, and the one in
    // flight ended by the kernel once the server, PID 1 ignoring SIGTERM, was killed after the grace.
    const shutdown = report.shutdown as { killed: boolean; connections: ConnectionEnd[] };
    expect({ shutdown, run }).toMatchObject({
      shutdown: {
        killed: true,
        connections: [
          { kind: 'idle', end: 'FIN' },
          { kind: 'idle', end: 'FIN' },
          { kind: 'idle', end: 'FIN' },
          { kind: 'in-flight', end: 'FIN' },
        ],
      },
    });
    const inFlight = shutdown.connections.find((connection) => connection.kind === 'in-flight');
    expect(inFlight?.afterMs).toBeGreaterThanOrEqual(GRACE_MS);
  });
});
