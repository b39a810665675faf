import type { RunData } from '@sockspec/records';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { buildResults } from './results';

const CLOSE_WAIT = 'teardown/close-wait.spec.ts';
const TIME_WAIT = 'teardown/time-wait.spec.ts';
const FAILING = 'a server that never calls close() keeps CLOSE_WAIT (C8)';
const PASSING = 'TIME_WAIT lasts 60 s (C12)';

// What Jest keeps of a failed expect: coloured, then a stack of 60 frames.
const RED = '\u001b[31m';
const RESET = '\u001b[39m';
const FAILURE = [
  `Error: ${RED}expect(received).toBe(expected)${RESET} // Object.is equality`,
  '',
  `Expected: ${RED}"CLOSE_WAIT"${RESET}`,
  `Received: ${RED}"LAST_ACK"${RESET}`,
  ...Array.from(
    { length: 60 },
    (_, i) => `    at frame${i} (/work/main/scenarios/x.spec.ts:${i}:5)`,
  ),
].join('\n');

const run: RunData = {
  measurements: [
    {
      type: 'measurement',
      claims: ['C8'],
      name: 'CLOSE_WAIT held for',
      value: 12_785,
      unit: 'ms',
      from: 'clock',
      scenario: CLOSE_WAIT,
      test: FAILING,
    },
    {
      type: 'measurement',
      claims: ['C12'],
      name: 'TIME_WAIT length',
      value: 60_012,
      unit: 'ms',
      from: 'capture',
      timing: { by: ['capture', 'kernel-timer'], uncertaintyMs: 12 },
      scenario: TIME_WAIT,
      test: PASSING,
    },
  ],
  settings: [{ type: 'setting', name: 'hold', value: 12, unit: 's', scenario: CLOSE_WAIT }],
  verdicts: [
    {
      type: 'verdict',
      claim: 'C12',
      verdict: 'holds',
      finding: '60 s',
      scenario: TIME_WAIT,
      test: PASSING,
    },
  ],
  records: [],
  specs: [
    {
      file: CLOSE_WAIT,
      durationMs: 1,
      tests: [
        {
          ancestorTitles: [],
          title: FAILING,
          fullName: FAILING,
          status: 'failed',
          failure: FAILURE,
        },
      ],
    },
    {
      file: TIME_WAIT,
      durationMs: 1,
      tests: [{ ancestorTitles: [], title: PASSING, fullName: PASSING, status: 'passed' }],
    },
  ],
};

const results = buildResults(run, 'now');
const html = renderHtml(results, run.records);
const markdown = renderMarkdown(results);
/** The claims table's row of a claim, and one of its cells by class. */
const row = (id: string): string =>
  new RegExp(`<table id="claims">.*?(<tr class="claim" data-claim="${id}".*?</tr>)`, 's').exec(
    html,
  )?.[1] ?? '';
const cellOf = (id: string, cls: string): string =>
  new RegExp(`<td class="${cls}">(.*?)</td>`, 's').exec(row(id))?.[1] ?? '';
/** A cell's text as the browser lays it out in lines: a line per block or break. */
const linesOf = (cellHtml: string): string[] =>
  cellHtml
    .replace(/<br>|<\/div>|<\/li>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
const markdownRow = (id: string): string[] =>
  (markdown.split('\n').find((line) => line.startsWith(`| ${id} |`)) ?? '').split(' | ');

describe('a value read by a test that failed', () => {
  it('is not measured in results.json, but kept apart with its test and where it was read', () => {
    const c8 = JSON.parse(JSON.stringify(results)).claims.find(
      (claim: { id: string }) => claim.id === 'C8',
    );
    expect(c8.verdict).toBe('failed');
    expect(c8.measured).toEqual([]);
    expect(c8.unconfirmed).toEqual([
      {
        name: 'CLOSE_WAIT held for',
        value: 12_785,
        unit: 'ms',
        from: 'clock',
        file: CLOSE_WAIT,
        test: `${CLOSE_WAIT} > ${FAILING}`,
        status: 'failed',
      },
    ]);
  });

  it('is not in the Measured column of the HTML, but greyed as from a failed test with its source', () => {
    expect(cellOf('C8', 'measured')).toBe('');
    const said = cellOf('C8', 'said');
    expect(said).toMatch(
      /<ul class="unconfirmed"[^>]*><li>from a failed test: CLOSE_WAIT held for: <b>12,785 ms<\/b> <small class="from">from a clock<\/small>/,
    );
    expect(html).toMatch(/\.unconfirmed\{color:#888/);
  });

  it('is not in the Measured column of the Markdown, but labelled beside the failure', () => {
    const [, , , said, measured] = markdownRow('C8');
    expect(measured).toBe(' |');
    expect(said).toContain('_from a failed test_: CLOSE_WAIT held for: 12,785 ms, from a clock');
  });

  it('leaves a passing test’s value measured, with how it was timed and where it was read', () => {
    expect(cellOf('C12', 'measured')).toContain(
      'TIME_WAIT length: <b>60,012 ms</b> <span class="timing">± 12 ms (capture → kernel timer)</span> <small class="from">from a capture</small>',
    );
    expect(markdownRow('C12')[4]).toContain(
      'TIME_WAIT length: 60,012 ms ± 12 ms (capture → kernel timer), from a capture',
    );
  });

  it('leaves the settings with their spec, never under a claim', () => {
    expect(results.claims.flatMap((claim) => claim.measured).map((m) => m.name)).toEqual([
      'TIME_WAIT length',
    ]);
    expect(results.specs.find((spec) => spec.file === CLOSE_WAIT)?.settings).toEqual([
      { name: 'hold', value: 12, unit: 's' },
    ]);
  });
});

describe("a failed claim's failure in the claims table", () => {
  it('takes at most 3 lines: its first line, no colour codes or stack frames', () => {
    const reason = /<div class="reason">(.*?)<\/div><ul/s.exec(cellOf('C8', 'said'))?.[1] ?? '';
    const lines = linesOf(reason);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines).toEqual([
      `${CLOSE_WAIT}: Error: expect(received).toBe(expected) // Object.is equality`,
    ]);
    expect(row('C8')).not.toMatch(/\u001b|at frame|Received/);
    expect(markdownRow('C8')[3]?.split('<br>')).toEqual([
      `[${CLOSE_WAIT}](index.html#failure-1): Error: expect(received).toBe(expected) // Object.is equality`,
      '_from a failed test_: CLOSE_WAIT held for: 12,785 ms, from a clock',
    ]);
  });

  it('links to the whole message, kept once at the foot of the page without colour codes', () => {
    expect(row('C8')).toContain(`<a href="#failure-1" title="${CLOSE_WAIT} &#62; ${FAILING}">`);
    const full = /<div class="failure" id="failure-1">(.*?)<\/div>/s.exec(html)?.[1] ?? '';
    expect(full).toContain('Received: &#34;LAST_ACK&#34;');
    expect(full).toContain('at frame59');
    expect(full).not.toContain('\u001b');
    expect(html.match(/id="failure-1"/g)).toHaveLength(1);
  });
});
