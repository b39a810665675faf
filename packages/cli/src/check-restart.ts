import type { TcpSocketEntry } from '@sockspec/inspector';

/** How a stopped server ended: Docker's exit code and end time, and whether it outlived the grace and was killed. */
export interface ServerStop {
  readonly code: number;
  /** When Docker saw the process end (epoch ms). */
  readonly finishedAt: number;
  /** It still ran `graceMs` after the stop signal, and was killed (SIGKILL). */
  readonly killed: boolean;
  readonly graceMs: number;
}

/** What the restart check saw: the server stopped with connections open, then started again at once. */
export interface RestartReading {
  readonly port: number;
  readonly signal: string;
  /** When the stop signal was sent (epoch ms). */
  readonly signalTime: number;
  readonly stop: ServerStop;
  /** The table just before the restart, after the old server ended. */
  readonly entriesAtRestart: readonly TcpSocketEntry[];
  /** When the agent's sampler first saw the restarted server's LISTEN on the port (epoch ms); undefined: never. */
  readonly listenTime: number | undefined;
  /** How long the restart was given to listen. */
  readonly listenWithinMs: number;
  /** The restarted server's exit code, if it ended without listening. */
  readonly restartExitCode: number | undefined;
  /** What the restarted server printed. */
  readonly restartOutput: string;
}

export type CheckStatus = 'ok' | 'fault' | 'inconclusive';

export interface RestartReport {
  readonly signal: string;
  /** From the signal to the old server's end (Docker's clock). */
  readonly stoppedInMs: number;
  readonly killed: boolean;
  /** TIME_WAIT entries on the server's port when the new server started: what its bind() met. */
  readonly timeWaitAtRestart: number;
  readonly listening: boolean;
  /** From the signal to the restarted server's LISTEN, as the agent's sampler saw it. */
  readonly restartMs: number | undefined;
  /** From the old server's end to that LISTEN: the start alone. */
  readonly startMs: number | undefined;
  /** Lines the restarted server printed about its address being in use (EADDRINUSE, errno 98). */
  readonly addressInUse: readonly string[];
  readonly restartExitCode: number | undefined;
  readonly status: CheckStatus;
}

/** Why a server may outlive its stop signal in a container, said where it did. */
export const KILLED_HINT =
  'Hint: it was still draining, or it does not handle the signal: as PID 1 of its container it then gets no ' +
  'default action for it (docker run --init gives it one)';

const ADDRESS_IN_USE = /EADDRINUSE|address already in use|errno 98\b|\(98: /i;

/** Sums a restart up: the fault is a restart that met EADDRINUSE or never listened. Pure. */
export function restartReport(reading: RestartReading): RestartReport {
  const timeWaitAtRestart = reading.entriesAtRestart.filter(
    (entry) => entry.state === 'TIME_WAIT' && entry.local.port === reading.port,
  ).length;
  const addressInUse = reading.restartOutput
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => ADDRESS_IN_USE.test(line));
  const listening = reading.listenTime !== undefined;
  const fault = !listening || addressInUse.length > 0;
  return {
    signal: reading.signal,
    stoppedInMs: reading.stop.finishedAt - reading.signalTime,
    killed: reading.stop.killed,
    timeWaitAtRestart,
    listening,
    restartMs: listening ? (reading.listenTime as number) - reading.signalTime : undefined,
    startMs: listening ? (reading.listenTime as number) - reading.stop.finishedAt : undefined,
    addressInUse,
    restartExitCode: reading.restartExitCode,
    status: fault ? 'fault' : timeWaitAtRestart === 0 ? 'inconclusive' : 'ok',
  };
}

/** The check's lines for a terminal, its verdict last. */
export function restartLines(report: RestartReport, port: number): string[] {
  const stopped = report.killed
    ? `still ran after the grace, killed (SIGKILL) ${report.stoppedInMs} ms after ${report.signal}`
    : `ended ${report.stoppedInMs} ms after ${report.signal}`;
  const restarted = report.listening
    ? `listening again ${report.restartMs} ms after ${report.signal} (${report.startMs} ms after the old one ended)`
    : `never listened again${report.restartExitCode === undefined ? '' : ` (exited ${report.restartExitCode})`}`;
  const lines = [
    `restart: the server, stopped with ${report.signal} with connections open, ${stopped};`,
    ...(report.killed ? [`  ${KILLED_HINT}`] : []),
    `  TIME_WAIT:     ${report.timeWaitAtRestart} on port ${port} when it started again`,
    `  restart:       ${restarted}`,
    `  EADDRINUSE:    ${report.addressInUse.length === 0 ? 'none printed' : report.addressInUse.slice(0, 3).join(' | ')}`,
  ];
  if (report.status === 'fault') {
    lines.push(
      `  FAULT: the restart ${report.addressInUse.length > 0 ? 'met EADDRINUSE' : 'did not listen'} while port ${port} ` +
        `held ${report.timeWaitAtRestart} TIME_WAIT entr${report.timeWaitAtRestart === 1 ? 'y' : 'ies'}. ` +
        'Hint: set SO_REUSEADDR on the listening socket before bind()',
    );
  } else if (report.status === 'inconclusive') {
    lines.push(
      `  not tested: port ${port} held no TIME_WAIT when the server started again, so its bind() met none`,
    );
  } else {
    lines.push(`  ok: it listened again beside ${report.timeWaitAtRestart} TIME_WAIT entries`);
  }
  return lines;
}
