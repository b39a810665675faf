import { familyText, valueText } from './measurement-text';
import type { ClaimResult, ClaimVerdict, Results } from './results';
import { escapeXml } from './timeline-svg';

/** One column of the matrix: a target kind (container, vm:6.1, ...) and its run's results. */
export interface MatrixColumn {
  readonly target: string;
  readonly results: Results;
  /**
   * Other runs on the same target (a soak's, say): they show how far a value spreads on one kernel. Without them a
   * value that varies between columns cannot be told from noise, and only verdicts are compared.
   */
  readonly repeats?: readonly Results[];
}

export interface MatrixCell {
  readonly verdict: ClaimVerdict;
  readonly measured: string;
}

/** A value that varies between the columns but is not a difference between kernels, and why not. */
export interface ValueSpread {
  readonly name: string;
  /** 'within': no more than repeated runs on one kernel vary; 'unknown': no repeated runs of it to tell. */
  readonly spread: 'within' | 'unknown';
}

export interface MatrixRow {
  readonly id: string;
  readonly claim: string;
  readonly cells: readonly MatrixCell[];
  /** The kernels disagree: their verdicts differ, or a value differs by more than repeated runs on one kernel. */
  readonly differs: boolean;
  /** What they disagree on: `verdict`, and the names of values beyond their spread. */
  readonly differsOn: readonly string[];
  /** Values that vary between the columns without that counting as a disagreement. */
  readonly spread: readonly ValueSpread[];
}

type Value = ClaimResult['measured'][number]['value'];

/** A value's name as the matrix compares it: `IPv6: name` for one of two families, which are never compared. */
const keyOf = (m: ClaimResult['measured'][number]): string => `${familyText(m.family)}${m.name}`;

/** Each value a claim's measurement of that name took in one column: its run's, then its repeats'. */
function valuesOf(column: MatrixColumn, id: string, name: string): Value[] {
  return [column.results, ...(column.repeats ?? [])].flatMap((results) =>
    (results.claims.find((claim) => claim.id === id)?.measured ?? [])
      .filter((m) => keyOf(m) === name)
      .map((m) => m.value),
  );
}

/**
 * Whether a value's difference between columns is the kernels' or noise. A number differs when its range over all
 * columns exceeds the widest range one column shows over its repeats; any other value differs when no column's
 * repeats ever varied. With no column holding two values of it, nothing is known: spread, not a difference.
 */
function judgeValue(perColumn: readonly Value[][]): 'same' | 'differs' | ValueSpread['spread'] {
  const all = perColumn.flat();
  if (new Set(all.map(String)).size <= 1) return 'same';
  const repeated = perColumn.filter((values) => values.length > 1);
  if (repeated.length === 0) return 'unknown';
  if (all.every((value) => typeof value === 'number')) {
    const range = (values: readonly Value[]): number =>
      Math.max(...(values as number[])) - Math.min(...(values as number[]));
    const within = Math.max(...repeated.map(range));
    return range(all) > within ? 'differs' : 'within';
  }
  const varies = repeated.some((values) => new Set(values.map(String)).size > 1);
  return varies ? 'within' : 'differs';
}

/**
 * Kernels x claims: each claim's verdict and measured values per target, and where the kernels disagree. Only the
 * verdicts that stand are compared (a test that failed or did not run says nothing about a kernel). A measured value
 * that varies counts as a disagreement only where it varies more than repeated runs on one kernel show it varying
 * (MatrixColumn.repeats); without repeats, only verdicts count and varying values are listed as spread. Pure.
 */
export function buildMatrix(columns: readonly MatrixColumn[]): MatrixRow[] {
  const first = columns[0]?.results.claims ?? [];
  return first.map((claim) => {
    const results = columns.map((column) =>
      column.results.claims.find((candidate) => candidate.id === claim.id),
    );
    const cells = results.map((result) => ({
      verdict: result?.verdict ?? 'not run',
      measured: (result?.measured ?? []).map((m) => `${keyOf(m)}: ${valueText(m)}`).join('; '),
    }));
    // A test that failed or did not run says nothing about a kernel: only the verdicts that stand are compared.
    const standing = columns.flatMap((column, index) => {
      const result = results[index];
      return result === undefined || result.verdict === 'not run' || result.verdict === 'failed'
        ? []
        : [{ column, result }];
    });
    const differsOn: string[] = [];
    if (new Set(standing.map(({ result }) => result.verdict)).size > 1) differsOn.push('verdict');
    const spread: ValueSpread[] = [];
    const names = new Set(standing.flatMap(({ result }) => result.measured.map(keyOf)));
    for (const name of names) {
      const judged = judgeValue(standing.map(({ column }) => valuesOf(column, claim.id, name)));
      if (judged === 'differs') differsOn.push(name);
      else if (judged !== 'same') spread.push({ name, spread: judged });
    }
    return {
      id: claim.id,
      claim: claim.claim,
      cells,
      differs: differsOn.length > 0,
      differsOn,
      spread,
    };
  });
}

/** What the page says of its comparison: with or without repeated runs to tell spread from difference. */
function comparisonNote(columns: readonly MatrixColumn[]): string {
  const repeats = columns.some((column) => (column.repeats ?? []).length > 0);
  return repeats
    ? 'A value that varies counts only where it varies more between kernels than between repeated runs on one kernel; the rest is spread.'
    : 'No target ran more than once, so no value can be told from its own spread: only verdicts are compared, and values that vary are listed as spread.';
}

const spreadText = (row: MatrixRow): string =>
  row.spread
    .map(
      (s) =>
        `${s.name} (${s.spread === 'within' ? 'within the spread of repeated runs' : 'no repeated runs'})`,
    )
    .join('; ');

/** The matrix as a self-contained HTML page; rows where kernels disagree are highlighted. */
export function renderMatrixHtml(
  columns: readonly MatrixColumn[],
  rows: readonly MatrixRow[],
): string {
  const head = columns
    .map(
      (column) =>
        `<th>${escapeXml(column.target)}<br><small>${escapeXml(column.results.kernel)}</small></th>`,
    )
    .join('');
  const body = rows
    .map((row) => {
      const why = row.differs
        ? `<br><small class="differs-on">differ on: ${escapeXml(row.differsOn.join('; '))}</small>`
        : '';
      const spread =
        row.spread.length === 0
          ? ''
          : `<br><small class="spread">varies, not a difference: ${escapeXml(spreadText(row))}</small>`;
      return `<tr class="${row.differs ? 'differs' : ''}" data-claim="${row.id}"><td>${row.id}</td><td>${escapeXml(row.claim)}${why}${spread}</td>${row.cells
        .map(
          (cell) =>
            `<td><b class="${cell.verdict}">${cell.verdict}</b><br><small>${escapeXml(cell.measured)}</small></td>`,
        )
        .join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sockspec: kernels x claims</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;font-size:12px;vertical-align:top}
tr.differs{background:#fff3cd}.holds{color:#2e7d32}.holds-with-nuance{color:#b26a00}.differs{color:#1565c0}.failed{color:#c62828}.not{color:#777}.spread{color:#777}</style></head><body>
<h1>Kernels x claims</h1><p>Rows on yellow: the kernels disagree (verdicts that stand, or a value beyond its spread). ${escapeXml(comparisonNote(columns))}</p>
<table id="matrix"><tr><th>ID</th><th>The article says</th>${head}</tr>
${body}</table></body></html>
`;
}

export function renderMatrixMarkdown(
  columns: readonly MatrixColumn[],
  rows: readonly MatrixRow[],
): string {
  const header = `| ID | ${columns.map((column) => `${column.target} (${column.results.kernel})`).join(' | ')} | Varies, not a difference |`;
  const rule = `| --- | ${columns.map(() => '---').join(' | ')} | --- |`;
  const lines = rows.map(
    (row) =>
      `| ${row.differs ? `**${row.id}**` : row.id} | ${row.cells.map((cell) => cell.verdict).join(' | ')} | ${spreadText(row).replace(/\|/g, '\\|')} |`,
  );
  return [
    '# Kernels x claims',
    '',
    `Bold IDs: the kernels disagree (verdicts, or a value beyond its spread). ${comparisonNote(columns)}`,
    '',
    header,
    rule,
    ...lines,
    '',
  ].join('\n');
}
