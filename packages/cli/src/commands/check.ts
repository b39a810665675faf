import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FOLDER_BYTES } from '@sockspec/agent/protocol';
import type { CheckPlan } from '../check-args';
import { UsageError, type Command } from '../command';

/** The most the folder mode copies, node_modules included (the agent takes no more). */
const FOLDER_CAP_MIB = MAX_FOLDER_BYTES / 1024 / 1024;

/** `docker stop`'s grace, as the checks give it. */
const STOP_GRACE_SECONDS = 10;

/** Exit code of a check that could not be made (no Docker, the server never listened), apart from 1 (a fault). */
const CHECK_FAILED = 3;

/** `sockspec check`: your own server in a target, the teardown checks, and what the kernel showed in each. */
export const checkCommand: Command = {
  name: 'check',
  summary:
    'check your own server (a Docker image, or a command) for CLOSE_WAIT leaks, restarts, shutdowns and bursts',
  usage: `Usage: sockspec check --port P [options] -- <command...>
       sockspec check --image IMAGE [--port P] [--stop-signal SIG] [options] [-- args...]

With --image, runs the image (its own entrypoint and CMD, or the args after --) as the server, in the network
namespace of a fresh container target's agent: the agent sees the server's sockets, counters and captures, and a
restarted server comes back into the same namespace. Without it, copies the current folder with its node_modules
(at most ${FOLDER_CAP_MIB} MiB; a larger server runs with --image) and without .git into a fresh target and runs the
command there (a container, or a namespace on a VM kernel with SOCKSPEC_TARGET=vm:6.1; --image needs a container
target). Clients run beside the agent and connect to --host:P. Each check prints what the kernel showed, with
numbers:

  close-wait   N clients each send a request and close first; after S seconds, connections left in CLOSE_WAIT
               (a leak), which side holds TIME_WAIT, ListenOverflows and ListenDrops
  burst        --burst connects at once; the listener's backlog as the kernel holds it (ss Send-Q) against
               net.core.somaxconn, and ListenOverflows, ListenDrops, SYN cookies over the burst
  restart      stops the server with its stop signal while connections are open, starts it again at once: the
               TIME_WAIT entries its port held, the time from the signal to a listening restart, any EADDRINUSE
  shutdown     idle connections and one in flight, then the stop signal: per connection FIN (drained) or RST
               (dropped) from a capture, and whether the listener closed first
  (restart and shutdown need --image; a server still running ${STOP_GRACE_SECONDS} s after the signal is killed)

  --image IMAGE      the server's Docker image (it must be here: build or pull it first)
  --port P           the port the server listens on (default with --image: the image's one exposed port)
  --host ADDR        the address the clients connect to: 127.0.0.1 (default), ::1 (IPv6, turned on in the
                     target for it), or another address the server listens on
  --stop-signal SIG  the signal that stops it (default: the image's STOPSIGNAL, else SIGTERM)
  --checks LIST      some of close-wait,burst,restart,shutdown (default: all that apply)
  --clients N        close-wait clients, each sends a request and closes (default 20)
  --hold S           seconds to wait after they closed (default 5)
  --burst N          connects of the burst (default 200)
  --json             print the result as one JSON object, a field per check
  --help             show this text

Exit codes: 0 nothing wrong found, 1 a check found a fault (1 connections left in CLOSE_WAIT, EADDRINUSE at a
restart, RST at shutdown, an overflowing accept queue; the text names the check), 2 bad usage, 3 the check could
not be made (or a check had nothing to test against).

Examples: sockspec check --image nginx --port 80
          sockspec check --image nginx --port 80 --host ::1
          sockspec check --port 8080 -- node server.js --port 8080
`,
  async run(args) {
    const { checkPlan } = await import('../check-args.js');
    const plan = checkPlan(args);
    const json = plan.json;
    if (plan.server.kind === 'image') {
      const { testkitConfig } = await import('@sockspec/testkit/runner');
      const kind = testkitConfig().target;
      if (kind !== 'container') {
        process.stderr.write(
          `sockspec check: --image runs the server's container in a container target's network namespace; ` +
            `SOCKSPEC_TARGET=${kind} is a VM kernel, which runs no Docker images. Hint: unset SOCKSPEC_TARGET, or ` +
            "check the server's command on the VM without --image\n",
        );
        return 2;
      }
    }
    const [{ checkServer, CheckFailed }, { checkReport, checkExitCode, formatCheckReport }] =
      await Promise.all([import('../check-server.js'), import('../check-report.js')]);
    // A check writes no records into the project: its target's timeline goes to a folder removed afterwards.
    const records = mkdtempSync(join(tmpdir(), 'sockspec-check-'));
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    let stopTarget: (() => Promise<void>) | undefined;
    const interrupted = (): void => {
      process.stderr.write('sockspec check: interrupted; removing the target\n');
      void (stopTarget?.() ?? Promise.resolve()).finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      const { port, stopSignal } = await serverFacts(plan);
      const reading = await checkServer(
        {
          plan,
          port,
          stopSignal,
          folder: process.cwd(),
          reportDir: records,
          log: (line) => {
            if (!json) process.stderr.write(`sockspec check: ${line}\n`);
          },
        },
        (target) => (stopTarget = () => target.stop()),
      );
      const report = checkReport(reading);
      process.stdout.write(
        json
          ? `${JSON.stringify({ ...report, exitCode: checkExitCode(report) })}\n`
          : formatCheckReport(report),
      );
      return checkExitCode(report);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const message = (error as Error).message;
      const known = error instanceof CheckFailed;
      process.stderr.write(`sockspec check: ${known ? message : `the check failed: ${message}`}\n`);
      if (json)
        process.stdout.write(`${JSON.stringify({ error: message, exitCode: CHECK_FAILED })}\n`);
      return CHECK_FAILED;
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      rmSync(records, { recursive: true, force: true });
    }
  },
};

/** The port and stop signal: the plan's, else the image's (its one exposed port, its STOPSIGNAL, else SIGTERM). */
async function serverFacts(plan: CheckPlan): Promise<{ port: number; stopSignal: string }> {
  if (plan.server.kind === 'folder') {
    return { port: plan.port as number, stopSignal: plan.stopSignal ?? 'SIGTERM' };
  }
  const { imageFacts } = await import('@sockspec/testkit');
  const facts = await imageFacts(plan.server.image);
  const [exposed, ...more] = facts.tcpPorts;
  const port = plan.port ?? (more.length === 0 ? exposed : undefined);
  if (port === undefined) {
    throw new UsageError(
      `--port is required: ${plan.server.image} exposes ${facts.tcpPorts.length === 0 ? 'no TCP port' : `ports ${facts.tcpPorts.join(', ')}`}`,
    );
  }
  return { port, stopSignal: plan.stopSignal ?? facts.stopSignal };
}
