import { hostPort, type CheckName } from './check-args';
import { burstLines, burstReport, type BurstReading, type BurstReport } from './check-burst';
import {
  closeWaitLines,
  closeWaitReport,
  type CloseWaitReading,
  type CloseWaitReport,
} from './check-close-wait';
import {
  restartLines,
  restartReport,
  type RestartReading,
  type RestartReport,
} from './check-restart';
import {
  shutdownLines,
  shutdownReport,
  type ShutdownReading,
  type ShutdownReport,
} from './check-shutdown';

/** What `sockspec check` ran, and what each check it made read from the kernel. */
export interface CheckReading {
  readonly target: string;
  readonly kernel: string;
  /** The image and its arguments, or the command run in the copied folder. */
  readonly server: string;
  /** The address the clients connected to. */
  readonly host: string;
  readonly port: number;
  readonly checks: readonly CheckName[];
  readonly closeWait?: CloseWaitReading;
  readonly burst?: BurstReading;
  readonly restart?: RestartReading;
  readonly shutdown?: ShutdownReading;
  /** Checks asked for that could not be made, and why (the server did not come back after a restart). */
  readonly notRun: readonly { readonly check: CheckName; readonly why: string }[];
}

/** The whole check: a field per check made, and the checks that found a fault or could not tell. */
export interface CheckReport {
  readonly target: string;
  readonly kernel: string;
  readonly server: string;
  readonly host: string;
  readonly port: number;
  readonly checks: readonly CheckName[];
  readonly closeWait?: CloseWaitReport;
  readonly burst?: BurstReport;
  readonly restart?: RestartReport;
  readonly shutdown?: ShutdownReport;
  readonly notRun: CheckReading['notRun'];
  /** The checks that found a fault. */
  readonly faults: readonly CheckName[];
  /** The checks that ran and could not tell (nothing to test against), or could not run. */
  readonly untested: readonly CheckName[];
}

/** Sums each check's reading up. Pure. */
export function checkReport(reading: CheckReading): CheckReport {
  const closeWait = reading.closeWait && closeWaitReport(reading.closeWait);
  const burst = reading.burst && burstReport(reading.burst);
  const restart = reading.restart && restartReport(reading.restart);
  const shutdown = reading.shutdown && shutdownReport(reading.shutdown);
  const status: Partial<Record<CheckName, string>> = {
    'close-wait': closeWait && (closeWait.fault ? 'fault' : 'ok'),
    burst: burst?.status,
    restart: restart?.status,
    shutdown: shutdown?.status,
  };
  const { target, kernel, server, host, port, checks, notRun } = reading;
  return {
    target,
    kernel,
    server,
    host,
    port,
    checks,
    notRun,
    ...(closeWait && { closeWait }),
    ...(burst && { burst }),
    ...(restart && { restart }),
    ...(shutdown && { shutdown }),
    faults: reading.checks.filter((check) => status[check] === 'fault'),
    untested: reading.checks.filter(
      (check) => status[check] === 'inconclusive' || status[check] === undefined,
    ),
  };
}

/** 0: every check clean; 1: a check found a fault; 3: no fault, but a check could not tell. */
export function checkExitCode(report: CheckReport): 0 | 1 | 3 {
  if (report.faults.length > 0) return 1;
  return report.untested.length > 0 ? 3 : 0;
}

/** The report as lines for a terminal: each check's, then the verdict naming the faulty checks. */
export function formatCheckReport(report: CheckReport): string {
  const lines = [
    `sockspec check: ${report.server} on ${report.target} (Linux ${report.kernel}), clients to ${hostPort(report.host, report.port)}`,
  ];
  if (report.closeWait) lines.push(...closeWaitLines(report.closeWait, report.port));
  if (report.burst) lines.push(...burstLines(report.burst, report.port));
  if (report.restart) lines.push(...restartLines(report.restart, report.port));
  if (report.shutdown) lines.push(...shutdownLines(report.shutdown));
  for (const { check, why } of report.notRun) lines.push(`${check}: not run: ${why}`);
  const leak =
    report.closeWait?.leaked === true
      ? ` (LEAK: ${report.closeWait.closeWait} connection(s) left in CLOSE_WAIT)`
      : '';
  if (report.faults.length > 0) {
    lines.push(`FAULT in ${report.faults.join(', ')}${leak}`);
  } else if (report.untested.length > 0) {
    lines.push(`no fault found, but not tested: ${report.untested.join(', ')}`);
  } else {
    lines.push(`ok: ${report.checks.join(', ')}: nothing wrong found`);
  }
  return `${lines.join('\n')}\n`;
}
