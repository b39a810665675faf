import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argsOf, UsageError, wholeNumber, type Command } from '../command';

/** Exit code of a check that could not be made (no Docker, the server never listened), apart from 1 (a leak). */
const CHECK_FAILED = 3;

/** `sockspec check`: your own server in a target, clients that close first, and what the kernel shows after. */
export const checkCommand: Command = {
  name: 'check',
  summary:
    "check your own server for connections left in CLOSE_WAIT (a leak) on the kernel's table",
  usage: `Usage: sockspec check --port P [--clients N] [--hold S] [--json] -- <command...>

Copies the current folder (without node_modules and .git) into a fresh target, starts the command there, opens N
client connections to 127.0.0.1:P inside the target that each send a line and close first, waits S seconds, and
prints what the kernel shows on port P: how many connections sit in CLOSE_WAIT (the server never closed them: a
leak), which side holds TIME_WAIT, and the accept queue's ListenOverflows and ListenDrops over the check. The
target is a container, or a namespace on a VM kernel with SOCKSPEC_TARGET=vm:6.1; it is removed afterwards.

  --port P       the port the command listens on (required)
  --clients N    client connections, each sends a line and closes (default 20)
  --hold S       seconds to wait after the clients closed (default 5)
  --json         print the result as one JSON object
  --help         show this text

Exit codes: 0 nothing leaked, 1 connections left in CLOSE_WAIT, 2 bad usage, 3 the check could not be made.

Example: sockspec check --port 8080 -- node server.js --port 8080
`,
  async run(args) {
    const { values, positionals } = argsOf(
      args,
      {
        port: { type: 'string' },
        clients: { type: 'string' },
        hold: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (values.port === undefined) throw new UsageError('--port is required');
    const port = wholeNumber(values.port, 'port', { min: 1, max: 65535, fallback: 0 });
    const clients = wholeNumber(values.clients, 'clients', { min: 1, max: 10_000, fallback: 20 });
    const holdSeconds = wholeNumber(values.hold, 'hold', { min: 0, max: 3600, fallback: 5 });
    if (positionals.length === 0) {
      throw new UsageError(
        "missing the server's command after --, e.g. -- node server.js --port 8080",
      );
    }
    const json = values.json === true;
    const [{ checkServer, CheckFailed }, { checkReport, checkExitCode, formatCheckReport }] =
      await Promise.all([import('../check-server.js'), import('../check-report.js')]);
    // A check writes no records into the project: its target's timeline goes to a folder removed afterwards.
    const records = mkdtempSync(join(tmpdir(), 'sockspec-check-'));
    process.env.SOCKSPEC_REPORT_DIR = records;
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    let stopTarget: (() => Promise<void>) | undefined;
    const interrupted = (): void => {
      process.stderr.write('sockspec check: interrupted; removing the target\n');
      void (stopTarget?.() ?? Promise.resolve()).finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      const reading = await checkServer(
        {
          port,
          clients,
          holdSeconds,
          command: positionals,
          folder: process.cwd(),
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
