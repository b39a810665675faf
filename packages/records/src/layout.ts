import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { recordsConfig } from './records-config';

/** The run's measurements, settings and declared verdicts, one JSON line each. */
export const MEASUREMENTS_FILE = 'measurements.jsonl';
/** One JSON file per target: its timeline. */
export const RECORDS_DIR = 'records';
/** Every spec file and test of the run and how it ended. */
export const TESTS_FILE = 'tests.json';
/** Each kernel's uname and sysctl list. */
export const EVIDENCE_DIR = 'evidence';
/** Packet captures as pcap files. */
export const CAPTURES_DIR = 'captures';
/** The consoles of the VM kernels a run booted (the report's evidence/ is derived anew; these are not). */
export const CONSOLES_DIR = 'consoles';
/** The report written from the records. */
export const REPORT_FILES = [
  'index.html',
  'results.json',
  'README.md',
  'junit.xml',
  'screenshot.png',
];

/** Whether a folder is the monorepo's root: its package.json declares the workspaces. */
function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  return (
    existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)
  );
}

/**
 * The project's root: the nearest folder upwards whose package.json declares workspaces (this repository), or,
 * in a project without workspaces, the nearest one with a package.json.
 */
export function projectRoot(from = process.cwd()): string {
  let dir = resolve(from);
  let nearest: string | undefined;
  for (;;) {
    if (isWorkspaceRoot(dir)) return dir;
    if (nearest === undefined && existsSync(join(dir, 'package.json'))) nearest = dir;
    const parent = dirname(dir);
    if (parent === dir) return nearest ?? resolve(from);
    dir = parent;
  }
}

/** Where a run's records go: SOCKSPEC_REPORT_DIR, or report/ at the project's root. */
export function reportDir(env: NodeJS.ProcessEnv = process.env): string {
  return recordsConfig(env).reportDir ?? join(projectRoot(), 'report');
}

/** A spec file's name in the records: its path relative to the folder Jest runs in. */
export function specFileOf(testPath: string, jestDir = process.cwd()): string {
  return relative(jestDir, testPath);
}

/** The record file of one target in one scenario. */
export function timelineFileName(scenario: string, target: string): string {
  return `${scenario.replace(/[^a-z0-9-]+/gi, '_')}--${target.replace(/[^a-z0-9-]+/gi, '_')}.json`;
}

/** Where a capture's pcap file goes, relative to the report folder: one per capture of a target. */
export function captureFileOf(scenario: string, target: string, port: number, id: number): string {
  return `${CAPTURES_DIR}/${timelineFileName(scenario, target).replace(/\.json$/, '')}--${port}-${id}.pcap`;
}

/** Where a kernel's net.* sysctl list goes, relative to the report folder. */
export function sysctlsFileOf(release: string): string {
  return `${EVIDENCE_DIR}/${release.replace(/[^a-zA-Z0-9._+-]/g, '_')}/net-sysctls.txt`;
}

/** Where a VM kernel's console (everything it printed while the run used it) goes, relative to the report folder. */
export function vmConsoleFileOf(release: string): string {
  return `${CONSOLES_DIR}/${release.replace(/[^a-zA-Z0-9._+-]/g, '_')}.log`;
}

/** The progress file of one run, where its waits are announced for `sockspec run` to show. */
export function progressFileOf(dir: string, runId: string): string {
  return join(dir, `progress-${runId}.jsonl`);
}

/** Where live targets leave how to reach them for `sockspec watch`: outside the report, readable by the user only. */
export function liveTargetsDir(): string {
  return join(tmpdir(), `sockspec-targets-${process.getuid?.() ?? 0}`);
}
