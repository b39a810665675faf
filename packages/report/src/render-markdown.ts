import { failureIds } from './anchors';
import { unconfirmedLabel } from './claim-cells';
import { measurementLine } from './measurement-text';
import type { ClaimResult, Results } from './results';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Findings of a claim that stands; else a line per failure linking to its whole message in index.html. */
function said(claim: ClaimResult, ids: ReadonlyMap<string, string>): string[] {
  if (claim.reason === undefined) return [claim.findings.join(' ')];
  const failures = claim.failures ?? [];
  if (failures.length === 0) return [claim.reason];
  return failures.map(
    (failure) =>
      `[${failure.file}](index.html#${ids.get(failure.where) ?? 'failures'}): ${failure.summary}`,
  );
}

/** A Markdown claims table for a repository page. */
export function renderMarkdown(results: Results): string {
  const ids = failureIds(results.claims);
  const rows = results.claims.map((claim) => {
    const measured = claim.measured.map(measurementLine).join('; ');
    // What a test that did not pass had read stays beside the failure, labelled, never under Measured.
    const unconfirmed = claim.unconfirmed.map(
      (m) => `_${unconfirmedLabel(m)}_: ${measurementLine(m)}`,
    );
    const shown = [...said(claim, ids), ...unconfirmed].map(cell).join('<br>');
    return `| ${claim.id} | ${cell(claim.claim)} | **${claim.verdict}** | ${shown} | ${cell(measured)} |`;
  });
  return [
    '# sockspec report',
    '',
    `Kernel ${results.kernel}, target ${results.target}, run at ${results.time}. Pictures: [index.html](index.html).`,
    'Measured: read by a test that passed. What a failed test had read is labelled so, beside its failure.',
    '',
    '| ID | The article says | Verdict | What the kernel did | Measured |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...results.kernels.map(
      (kernel) => `Kernel \`${kernel.uname}\`: [its net.* sysctls](${kernel.sysctlsFile}).`,
    ),
    '',
  ].join('\n');
}
