import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MEASUREMENTS_FILE, RECORDS_DIR, TESTS_FILE, liveTargetsDir } from './layout';
import type {
  LiveTarget,
  MeasurementLine,
  ProgressLine,
  RecordLine,
  RunData,
  SettingLine,
  SpecOutcome,
  TimelineRecord,
  VerdictLine,
} from './record-types';

/** Everything a run left in its report folder; a missing file reads as nothing recorded. */
export function readRunData(dir: string): RunData {
  const lines = existsSync(join(dir, MEASUREMENTS_FILE))
    ? readFileSync(join(dir, MEASUREMENTS_FILE), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as RecordLine)
    : [];
  const recordsDir = join(dir, RECORDS_DIR);
  const records = existsSync(recordsDir)
    ? readdirSync(recordsDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(join(recordsDir, name), 'utf8')) as TimelineRecord)
    : [];
  const testsFile = join(dir, TESTS_FILE);
  const specs = existsSync(testsFile)
    ? (JSON.parse(readFileSync(testsFile, 'utf8')) as { specs: SpecOutcome[] }).specs
    : [];
  return {
    measurements: lines.filter((line): line is MeasurementLine => line.type === 'measurement'),
    settings: lines.filter((line): line is SettingLine => line.type === 'setting'),
    verdicts: lines.filter((line): line is VerdictLine => line.type === 'verdict'),
    records,
    specs,
  };
}

/** The progress lines appended since `offset` (in characters), and the offset to read from next time. */
export function readProgress(
  file: string,
  offset: number,
): { lines: ProgressLine[]; offset: number } {
  if (!existsSync(file)) return { lines: [], offset };
  const text = readFileSync(file, 'utf8');
  const lines = text
    .slice(offset)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProgressLine);
  return { lines, offset: text.length };
}

/** The targets that say they are alive, newest first. */
export function readLiveTargets(): LiveTarget[] {
  const dir = liveTargetsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(dir, name), 'utf8')) as LiveTarget];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.started - a.started);
}
