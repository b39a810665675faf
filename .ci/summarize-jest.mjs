#!/usr/bin/env node
// Sums the "Tests: ..." lines of every Jest run in a log into one closing line: "N passed, N failed".
import { readFileSync } from 'node:fs';

/** Pure: the totals of every Jest summary line in the text, or null when there is none. */
export function sumJestSummaries(text) {
  const totals = { passed: 0, failed: 0, skipped: 0, runs: 0 };
  for (const line of text.split('\n')) {
    const match = /Tests:\s+(.*\d+ total)/.exec(line);
    if (match === null) continue;
    totals.runs += 1;
    for (const [, count, kind] of match[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      if (kind === 'todo') totals.skipped += Number(count);
      else totals[kind] += Number(count);
    }
  }
  return totals.runs === 0 ? null : totals;
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('Usage: node .ci/summarize-jest.mjs LOG\n');
  process.exit(2);
}
const totals = sumJestSummaries(readFileSync(file, 'utf8'));
if (totals === null) {
  console.log('no Jest summary found in the log');
  process.exit(1);
}
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
