import type { ClaimVerdict, Results } from './results';
import { escapeXml } from './timeline-svg';

/** One column of the matrix: a target kind (container, vm:6.1, ...) and its run's results. */
export interface MatrixColumn {
  readonly target: string;
  readonly results: Results;
}

export interface MatrixCell {
  readonly verdict: ClaimVerdict;
  readonly measured: string;
}

export interface MatrixRow {
  readonly id: string;
  readonly claim: string;
  readonly cells: readonly MatrixCell[];
  /** The kernels that ran the claim did not all agree (verdict or measured value). */
  readonly differs: boolean;
}

/** Measured values that are timings differ from run to run; a difference worth showing is in the other values. */
function comparable(measured: Results['claims'][number]['measured']): string {
  return measured
    .filter((m) => m.unit !== 'ms')
    .map((m) => `${m.name}: ${String(m.value)}`)
    .join('; ');
}

/** Kernels x claims: each claim's verdict and measured values per target, and whether the targets differ. Pure. */
export function buildMatrix(columns: readonly MatrixColumn[]): MatrixRow[] {
  const first = columns[0]?.results.claims ?? [];
  return first.map((claim) => {
    const cells = columns.map((column) => {
      const result = column.results.claims.find((candidate) => candidate.id === claim.id);
      return {
        verdict: result?.verdict ?? 'not run',
        measured: (result?.measured ?? [])
          .map((m) => `${m.name}: ${String(m.value)}${m.unit === undefined ? '' : ` ${m.unit}`}`)
          .join('; '),
        comparable: result === undefined ? '' : comparable(result.measured),
      };
    });
    // A test that failed or did not run says nothing about the kernel: only the verdicts that stand are compared.
    const ran = cells.filter((cell) => cell.verdict !== 'not run' && cell.verdict !== 'failed');
    const differs = new Set(ran.map((cell) => `${cell.verdict}|${cell.comparable}`)).size > 1;
    return {
      id: claim.id,
      claim: claim.claim,
      cells: cells.map(({ verdict, measured }) => ({ verdict, measured })),
      differs,
    };
  });
}

/** The matrix as a self-contained HTML page; rows where kernels differ are highlighted. */
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
    .map(
      (row) =>
        `<tr class="${row.differs ? 'differs' : ''}"><td>${row.id}</td><td>${escapeXml(row.claim)}</td>${row.cells
          .map(
            (cell) =>
              `<td><b class="${cell.verdict}">${cell.verdict}</b><br><small>${escapeXml(cell.measured)}</small></td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sockspec: kernels x claims</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;font-size:12px;vertical-align:top}
tr.differs{background:#fff3cd}.holds{color:#2e7d32}.holds-with-nuance{color:#b26a00}.differs{color:#1565c0}.failed{color:#c62828}.not{color:#777}</style></head><body>
<h1>Kernels x claims</h1><p>Rows on yellow: the kernels did not all agree (verdict, or a measured value other than a timing).</p>
<table id="matrix"><tr><th>ID</th><th>The article says</th>${head}</tr>
${body}</table></body></html>
`;
}

export function renderMatrixMarkdown(
  columns: readonly MatrixColumn[],
  rows: readonly MatrixRow[],
): string {
  const header = `| ID | ${columns.map((column) => `${column.target} (${column.results.kernel})`).join(' | ')} |`;
  const rule = `| --- | ${columns.map(() => '---').join(' | ')} |`;
  const lines = rows.map(
    (row) =>
      `| ${row.differs ? `**${row.id}**` : row.id} | ${row.cells.map((cell) => cell.verdict).join(' | ')} |`,
  );
  return [
    '# Kernels x claims',
    '',
    'Bold IDs: the kernels did not all agree.',
    '',
    header,
    rule,
    ...lines,
    '',
  ].join('\n');
}
