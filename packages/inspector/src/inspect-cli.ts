import { existsSync } from 'node:fs';
import { formatTable } from './format-table';
import type { InspectOptions } from './inspect-options';
import { readTcpSocketsSync } from './read-tcp-sockets';
import { socketOwners } from './socket-owners';
import { StateTracker } from './state-tracker';
import type { TcpSocketEntry } from './tcp-socket-entry';

export function selectEntries(
  entries: readonly TcpSocketEntry[],
  options: InspectOptions,
): TcpSocketEntry[] {
  return entries.filter(
    (entry) =>
      (options.port === undefined ||
        entry.local.port === options.port ||
        entry.remote.port === options.port) &&
      (options.localPort === undefined || entry.local.port === options.localPort) &&
      (options.states === undefined || options.states.includes(entry.state)),
  );
}

/** One look at the table, printed as a table or JSON. */
export function printSnapshot(options: InspectOptions, write: (text: string) => void): void {
  const entries = selectEntries(readTcpSocketsSync({ pid: options.pid }), options);
  const owners = options.processes ? socketOwners() : undefined;
  if (options.json) {
    const rows = entries.map((entry) =>
      owners === undefined ? entry : { ...entry, owners: owners.get(entry.inode) ?? [] },
    );
    write(`${JSON.stringify(rows)}\n`);
  } else {
    write(`${formatTable(entries, { owners })}\n`);
  }
}

/**
 * Throws, as reading would (ENOENT), when process `pid` has no TCP table to read: the readers take a missing file
 * for a kernel without IPv6, and would print an empty table for a process that is not there.
 */
export function expectProcessTable(pid: number, procRoot = '/proc'): void {
  const table = `${procRoot}/${pid}/net/tcp`;
  if (existsSync(table)) return;
  const error: NodeJS.ErrnoException = new Error(`no process ${pid}: ${table} is not there`);
  error.code = 'ENOENT';
  throw error;
}

/**
 * Polls the table and prints each state change as it happens, timestamped: the article's netstat, rerun for it.
 * A reading that fails (the --pid process ended) stops the polling and goes to `fail`.
 */
export function watchChanges(
  options: InspectOptions & { watchMs: number },
  write: (text: string) => void,
  fail: (error: unknown) => void,
): () => void {
  const tracker = new StateTracker();
  tracker.update(selectEntries(readTcpSocketsSync({ pid: options.pid }), options), Date.now());
  const timer = setInterval(() => {
    const now = Date.now();
    let entries: TcpSocketEntry[];
    try {
      if (options.pid !== undefined) expectProcessTable(options.pid);
      entries = selectEntries(readTcpSocketsSync({ pid: options.pid }), options);
    } catch (error) {
      clearInterval(timer);
      fail(error);
      return;
    }
    for (const change of tracker.update(entries, now)) {
      if (options.json) {
        write(`${JSON.stringify({ ...change, time: new Date(now).toISOString() })}\n`);
      } else {
        const stamp = new Date(now).toISOString();
        write(
          `${stamp}  ${change.key.padEnd(60)}  ${change.from ?? '(new)'} -> ${change.to ?? '(gone)'}\n`,
        );
      }
    }
  }, options.watchMs);
  return () => clearInterval(timer);
}
