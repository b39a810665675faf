import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ScenarioFile {
  /** Path relative to scenarios/, e.g. `teardown/time-wait.spec.ts`. */
  readonly file: string;
  readonly claims: readonly string[];
  /** The first line of the spec's opening comment: what it is about. */
  readonly title: string;
  /** The address families its tests run over: both where it runs each over IPv4 and IPv6. */
  readonly families: readonly string[];
}

/** A spec that runs over both families says so by the test kit's helpers for it; any other runs over IPv4. */
const BOTH_FAMILIES = /\b(describeFamilies|FAMILIES|IPV6)\b/;

/**
 * Reads a spec's opening comment: its first line as a title, and the IDs after `Claims:`; and the families it runs
 * over. Pure.
 */
export function describeSpec(text: string): {
  title: string;
  claims: string[];
  families: string[];
} {
  const header = /\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  const first =
    header
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trim())
      .find((line) => line !== '') ?? '';
  const claims = /Claims:\s*([A-Z0-9, ]+)/.exec(first)?.[1] ?? '';
  return {
    title: first.replace(/\s*Claims:.*$/, '').trim(),
    claims: claims
      .split(',')
      .map((id) => id.trim())
      .filter((id) => /^[CX]\d+$/.test(id)),
    families: BOTH_FAMILIES.test(text) ? ['IPv4', 'IPv6'] : ['IPv4'],
  };
}

/** Every spec under the scenarios folder, in path order. */
export function listScenarios(scenariosDir: string): ScenarioFile[] {
  const found: ScenarioFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.spec.ts')) {
        found.push({
          file: relative(scenariosDir, path),
          ...describeSpec(readFileSync(path, 'utf8')),
        });
      }
    }
  };
  walk(scenariosDir);
  return found;
}
