import type { TcpSocketEntry, TcpState } from '@sockspec/inspector';

/** What the close-wait check saw: clients that closed first, then the table and the counters after a hold. */
export interface CloseWaitReading {
  readonly port: number;
  readonly clients: number;
  readonly holdSeconds: number;
  /** Client connections that got through (an `error` event for each one that did not). */
  readonly connected: number;
  /** Each failed client connection's errno name (ECONNREFUSED, ...), at most one of each. */
  readonly clientErrors: readonly string[];
  /** The target's socket table after the hold. */
  readonly entries: readonly TcpSocketEntry[];
  /** TcpExt counters before the clients and after the hold. */
  readonly countersBefore: Readonly<Record<string, number>>;
  readonly countersAfter: Readonly<Record<string, number>>;
}

/** What the kernel showed on the server's port after the clients closed first. */
export interface CloseWaitReport {
  readonly clients: number;
  readonly holdSeconds: number;
  readonly connected: number;
  readonly clientErrors: readonly string[];
  /** Connections whose client closed and whose server side never did: a leak. */
  readonly closeWait: number;
  /** TIME_WAIT by side: the server's (local port = the port) and the clients' (remote port = the port). */
  readonly timeWait: {
    readonly server: number;
    readonly client: number;
    readonly holder: 'server' | 'client' | 'both' | 'none';
  };
  /** TcpExt ListenOverflows and ListenDrops over the check: connections the accept queue turned away. */
  readonly listenOverflows: number;
  readonly listenDrops: number;
  /** How many sockets of each state the server side (local port) and the client side (remote port) hold. */
  readonly states: {
    readonly server: Partial<Record<TcpState, number>>;
    readonly client: Partial<Record<TcpState, number>>;
  };
  readonly leaked: boolean;
  readonly fault: boolean;
}

/** Sums a reading up: which side holds what on the port, and whether the server leaked. Pure. */
export function closeWaitReport(reading: CloseWaitReading): CloseWaitReport {
  const { entries, port, countersBefore, countersAfter, ...rest } = reading;
  const server = countStates(entries.filter((entry) => entry.local.port === port));
  const client = countStates(entries.filter((entry) => entry.remote.port === port));
  const timeWait = { server: server.TIME_WAIT ?? 0, client: client.TIME_WAIT ?? 0 };
  const closeWait = server.CLOSE_WAIT ?? 0;
  const delta = (name: string): number => (countersAfter[name] ?? 0) - (countersBefore[name] ?? 0);
  return {
    ...rest,
    closeWait,
    timeWait: { ...timeWait, holder: holder(timeWait.server, timeWait.client) },
    listenOverflows: delta('ListenOverflows'),
    listenDrops: delta('ListenDrops'),
    states: { server, client },
    leaked: closeWait > 0,
    fault: closeWait > 0,
  };
}

/** The check's lines for a terminal, its verdict last. */
export function closeWaitLines(report: CloseWaitReport, port: number): string[] {
  const states = (counts: Partial<Record<TcpState, number>>): string =>
    Object.entries(counts)
      .map(([state, count]) => `${state} ${String(count)}`)
      .join(', ') || 'none';
  const failed =
    report.clientErrors.length > 0 ? `; failed: ${report.clientErrors.join(', ')}` : '';
  return [
    `close-wait: ${report.connected} of ${report.clients} clients connected, each sent a request and closed first${failed}; after ${report.holdSeconds} s:`,
    `  CLOSE_WAIT:    ${report.closeWait} on the server's port${report.closeWait > 0 ? ' (leaked)' : ''}`,
    `  TIME_WAIT:     ${report.timeWait.client} on the client side, ${report.timeWait.server} on the server side (held by: ${report.timeWait.holder})`,
    `  accept queue:  ListenOverflows +${report.listenOverflows}, ListenDrops +${report.listenDrops}`,
    `  server side:   ${states(report.states.server)}`,
    `  client side:   ${states(report.states.client)}`,
    report.leaked
      ? `  LEAK: ${report.closeWait} connection(s) left in CLOSE_WAIT on port ${port}: the clients closed, the server ` +
        'never closed its end. Hint: close the socket once a read returns end of file'
      : `  ok: no connection left in CLOSE_WAIT on port ${port}`,
  ];
}

function countStates(entries: readonly TcpSocketEntry[]): Partial<Record<TcpState, number>> {
  const counts: Partial<Record<TcpState, number>> = {};
  for (const entry of entries) counts[entry.state] = (counts[entry.state] ?? 0) + 1;
  return counts;
}

function holder(server: number, client: number): CloseWaitReport['timeWait']['holder'] {
  if (server > 0 && client > 0) return 'both';
  if (server > 0) return 'server';
  return client > 0 ? 'client' : 'none';
}
