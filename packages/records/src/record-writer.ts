import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CAPTURES_DIR,
  CONSOLES_DIR,
  EVIDENCE_DIR,
  MEASUREMENTS_FILE,
  RECORDS_DIR,
  REPORT_FILES,
  TESTS_FILE,
  liveTargetsDir,
  timelineFileName,
} from './layout';
import type {
  LiveTarget,
  ProgressLine,
  RecordLine,
  SpecOutcome,
  TimelineRecord,
} from './record-types';

/** Appends one measurement, setting or verdict to the run's records. */
export function appendRecordLine(dir: string, line: RecordLine & { readonly time?: string }): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, MEASUREMENTS_FILE), `${JSON.stringify(line)}\n`);
}

/** Writes one target's timeline as records/<scenario>--<target>.json. */
export function writeTimelineRecordFile(dir: string, record: TimelineRecord): void {
  const records = join(dir, RECORDS_DIR);
  mkdirSync(records, { recursive: true });
  writeFileSync(
    join(records, timelineFileName(record.scenario, record.target)),
    JSON.stringify(record),
  );
}

/** Writes a capture's pcap file at `file`, relative to the report folder (captureFileOf names it). */
export function writeCaptureFile(dir: string, file: string, pcap: Uint8Array): void {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pcap);
}

/** Writes how every spec file and test of the run ended. */
export function writeTestOutcomes(dir: string, specs: readonly SpecOutcome[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, TESTS_FILE), `${JSON.stringify({ specs }, null, 1)}\n`);
}

/**
 * Clears what an earlier run left in the folder, its records and the report made of them, before a run starts: a
 * run that fails before it writes anything then leaves no report that could pass for its own.
 */
export function clearRunRecords(dir: string): void {
  for (const name of [
    RECORDS_DIR,
    MEASUREMENTS_FILE,
    TESTS_FILE,
    EVIDENCE_DIR,
    CAPTURES_DIR,
    CONSOLES_DIR,
    ...REPORT_FILES,
  ]) {
    rmSync(join(dir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

/** Appends a progress line; a watcher that has gone away makes this a no-op, not an error. */
export function appendProgress(file: string, line: ProgressLine): void {
  try {
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  } catch {
    // nobody watches any more; the run goes on
  }
}

/** Leaves how to reach a live target, for `sockspec watch`; the returned call removes it again. */
export function announceLiveTarget(target: LiveTarget): () => void {
  const dir = liveTargetsDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${target.pid}-${target.name.replace(/[^a-z0-9-]+/gi, '_')}.json`);
  writeFileSync(file, JSON.stringify(target), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** Removes the live-target files of processes that no longer run. */
export function forgetDeadTargets(alive: (pid: number) => boolean): void {
  const dir = liveTargetsDir();
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const file of files) {
    const pid = Number(file.split('-')[0]);
    if (!alive(pid)) rmSync(join(dir, file), { force: true });
  }
}
