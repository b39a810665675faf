import type { Results } from './results';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown claims table for a repository page. */
export function renderMarkdown(results: Results): string {
  const rows = results.claims.map((claim) => {
    const measured = claim.measured
      .map((m) => `${m.name}: ${String(m.value)}${m.unit === undefined ? '' : ` ${m.unit}`}`)
      .join('; ');
    const said = claim.reason ?? claim.findings.join(' ');
    return `| ${claim.id} | ${cell(claim.claim)} | **${claim.verdict}** | ${cell(said)} | ${cell(measured)} |`;
  });
  return [
    '# sockspec report',
    '',
    `Kernel ${results.kernel}, target ${results.target}, run at ${results.time}. Pictures: [index.html](index.html).`,
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
