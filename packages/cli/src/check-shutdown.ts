import type { Segment } from '@sockspec/testkit';
import { KILLED_HINT, type CheckStatus, type ServerStop } from './check-restart';

/** One connection open when the stop signal went: idle (its request answered) or in flight (a request half sent). */
export interface ShutdownConnection {
  readonly kind: 'idle' | 'in-flight';
  readonly clientPort: number;
}

/** What the shutdown check saw: connections open, the stop signal, the capture of the port, the listener's end. */
export interface ShutdownReading {
  readonly port: number;
  readonly signal: string;
  /** When the stop signal was sent (epoch ms). */
  readonly signalTime: number;
  readonly stop: ServerStop;
  readonly connections: readonly ShutdownConnection[];
  /** Every segment the capture of the port saw. */
  readonly segments: readonly Segment[];
  /**
   * The agent's sampler saw the port's last LISTEN socket go between `previousTime` and `time` (epoch ms);
   * undefined: it saw no listener go.
   */
  readonly listenerGone:
    { readonly time: number; readonly previousTime: number | null } | undefined;
}

/** How the server ended one connection: its first FIN or RST to the client, and when after the signal. */
export interface ConnectionEnd {
  readonly kind: ShutdownConnection['kind'];
  readonly clientPort: number;
  /** none: the capture holds neither. */
  readonly end: 'FIN' | 'RST' | 'none';
  /** Milliseconds from the signal to that segment (negative: the server had closed it before the signal). */
  readonly afterMs: number | undefined;
}

export interface ShutdownReport {
  readonly signal: string;
  readonly stoppedInMs: number;
  readonly killed: boolean;
  readonly graceMs: number;
  readonly connections: readonly ConnectionEnd[];
  /** Connections ended with FIN (drained) and with RST (dropped) at the shutdown. */
  readonly fin: number;
  readonly rst: number;
  /**
   * Whether the listener was gone before the server ended its first connection: yes, no, or undetermined (both
   * fell between the same two samples); unknown when the sampler saw no listener go.
   */
  readonly listenerClosedFirst: 'yes' | 'no' | 'undetermined' | 'unknown';
  /** Milliseconds from the signal to the sample that first showed no listener. */
  readonly listenerGoneMs: number | undefined;
  readonly status: CheckStatus;
}

/** Each connection's end from the capture, and the listener's against the first of them. Pure. */
export function shutdownReport(reading: ShutdownReading): ShutdownReport {
  const { port, signalTime, stop } = reading;
  const connections = reading.connections.map((connection): ConnectionEnd => {
    const ending = reading.segments.find(
      (segment) =>
        segment.from.port === port &&
        segment.to.port === connection.clientPort &&
        (segment.flags.includes('FIN') || segment.flags.includes('RST')),
    );
    if (ending === undefined) return { ...connection, end: 'none', afterMs: undefined };
    return {
      ...connection,
      end: ending.flags.includes('RST') ? 'RST' : 'FIN',
      afterMs: Math.round(ending.time - signalTime),
    };
  });
  const atShutdown = connections.filter(
    (connection) => connection.afterMs !== undefined && connection.afterMs >= 0,
  );
  const firstEnd = Math.min(...atShutdown.map((connection) => connection.afterMs as number));
  const gone = reading.listenerGone;
  const rst = atShutdown.filter((connection) => connection.end === 'RST').length;
  return {
    signal: reading.signal,
    stoppedInMs: stop.finishedAt - signalTime,
    killed: stop.killed,
    graceMs: stop.graceMs,
    connections,
    fin: atShutdown.filter((connection) => connection.end === 'FIN').length,
    rst,
    listenerClosedFirst: listenerFirst(gone, signalTime + firstEnd),
    listenerGoneMs: gone === undefined ? undefined : Math.round(gone.time - signalTime),
    status:
      rst > 0
        ? 'fault'
        : connections.some((connection) => connection.end === 'none')
          ? 'inconclusive'
          : 'ok',
  };
}

function listenerFirst(
  gone: ShutdownReading['listenerGone'],
  firstEnd: number,
): ShutdownReport['listenerClosedFirst'] {
  if (gone === undefined || !Number.isFinite(firstEnd)) return 'unknown';
  if (gone.time <= firstEnd) return 'yes';
  if (gone.previousTime !== null && gone.previousTime >= firstEnd) return 'no';
  return 'undetermined';
}

/** The check's lines for a terminal, its verdict last. */
export function shutdownLines(report: ShutdownReport): string[] {
  const stopped = report.killed
    ? `still ran ${report.graceMs / 1000} s after ${report.signal}: killed (SIGKILL), ended after ${report.stoppedInMs} ms`
    : `ended ${report.stoppedInMs} ms after ${report.signal}`;
  const ends = report.connections.map((connection) => {
    const when =
      connection.afterMs === undefined
        ? 'not in the capture'
        : connection.afterMs < 0
          ? `${-connection.afterMs} ms before the signal (closed already)`
          : `${connection.afterMs} ms after the signal`;
    return `  ${connection.kind.padEnd(9)} :${connection.clientPort}  ${connection.end === 'none' ? '-' : connection.end}, ${when}`;
  });
  const listener = {
    yes: 'before the first connection ended',
    no: 'after the first connection ended',
    undetermined: 'within the same sample as the first connection ended',
    unknown: 'not seen to close',
  }[report.listenerClosedFirst];
  const lines = [
    `shutdown: ${report.signal} with ${report.connections.length} connections open; the server ${stopped};`,
    ...(report.killed ? [`  ${KILLED_HINT}`] : []),
    ...ends,
    `  listener:      closed ${listener}${report.listenerGoneMs === undefined ? '' : ` (gone ${report.listenerGoneMs} ms after the signal)`}`,
  ];
  if (report.status === 'fault') {
    lines.push(
      `  FAULT: ${report.rst} connection(s) dropped with RST at shutdown, ${report.fin} drained with FIN. ` +
        'Hint: read what the clients sent and close each connection before exiting',
    );
  } else if (report.status === 'inconclusive') {
    lines.push('  not tested: the capture holds no FIN or RST for some connections');
  } else {
    lines.push(`  ok: ${report.fin} connection(s) ended with FIN, none with RST`);
  }
  return lines;
}
