import type { TcpSocketEntry } from '@sockspec/inspector';
import type { LiveTarget } from '@sockspec/records';
import { argsOf, UsageError, type Command } from '../command';

const EVERY_MS = 100;

/** `sockspec watch`: the live socket table of a running target, and each change as it happens. */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'show the live socket table of a running target (the newest, if none is named)',
  usage: `Usage: sockspec watch [target]

Shows the socket table of a target a run has started, then each state change with its time, read by the target's
own agent every ${EVERY_MS} ms: a container or a namespace on a VM kernel alike. Without a name, the newest target;
with one, the target whose name (container:<id> or vm:<kernel>/<n>) contains it. Ctrl-C stops watching; the
target is not touched.

  target   part of a target's name
  --list   list the running targets instead
  --help   show this text
`,
  async run(args) {
    const { values, positionals } = argsOf(args, { list: { type: 'boolean' } }, true);
    if (positionals.length > 1)
      throw new UsageError(`watch takes one target at most, not '${positionals[1] ?? ''}'`);
    const { readLiveTargets } = await import('@sockspec/records');
    const live = readLiveTargets();
    if (values.list === true) {
      for (const target of live)
        process.stdout.write(`${target.name.padEnd(28)} ${target.scenario ?? ''}\n`);
      return 0;
    }
    const wanted = positionals[0];
    const target = live.find(
      (candidate) => wanted === undefined || candidate.name.includes(wanted),
    );
    if (target === undefined) {
      process.stderr.write(
        `sockspec watch: ${wanted === undefined ? 'no running target' : `no running target named like '${wanted}'`}. ` +
          'Hint: start one with `sockspec run` in another terminal, and list them with `sockspec watch --list`\n',
      );
      return 1;
    }
    return follow(target);
  },
};

/** Prints the table, then each change, until the target goes away or Ctrl-C. */
async function follow(target: LiveTarget): Promise<number> {
  const [{ StateTracker, formatTable }, { AgentClient }, { PATHS }] = await Promise.all([
    import('@sockspec/inspector'),
    import('@sockspec/testkit/runner'),
    import('@sockspec/agent/protocol'),
  ]);
  const agent = new AgentClient(target.agentUrl, target.token);
  const tracker = new StateTracker();
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  let first = true;
  while (!stopped) {
    let snapshot: { time: number; entries: TcpSocketEntry[] };
    try {
      snapshot = await agent.get(PATHS.tcp);
    } catch {
      process.stdout.write(`sockspec watch: ${target.name} is gone\n`);
      return 0;
    }
    const changes = tracker.update(snapshot.entries, snapshot.time);
    if (first) {
      process.stdout.write(
        `sockspec: socket table of ${target.name} (${target.scenario ?? ''}), live (Ctrl-C to stop)\n`,
      );
      process.stdout.write(`${formatTable(snapshot.entries)}\n`);
      first = false;
    } else {
      for (const change of changes) {
        const at = new Date(change.time).toISOString().slice(11, 23);
        process.stdout.write(
          `${at}  ${change.local.address}:${change.local.port} -> ${change.remote.address}:${change.remote.port}  ` +
            `${change.from ?? '(new)'} -> ${change.to ?? '(gone)'}\n`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
  }
  return 0;
}
