import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVIDENCE_DIR, readRunData } from '@sockspec/records';
import { buildResults, renderHtml, renderMarkdown, type Results } from '@sockspec/report';
import { cliConfig } from './cli-config';

/**
 * Builds index.html, results.json, README.md and each kernel's evidence file in the report folder from the records a
 * run left there; on GitHub Actions, appends the claims table to the step summary.
 */
export function writeReport(dir: string): Results {
  const run = readRunData(dir);
  const results = buildResults(run, new Date().toISOString());
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(join(dir, 'README.md'), markdown);
  writeFileSync(join(dir, 'index.html'), renderHtml(results, run.records));
  rmSync(join(dir, EVIDENCE_DIR), { recursive: true, force: true });
  for (const kernel of results.kernels) {
    const file = join(dir, kernel.sysctlsFile);
    mkdirSync(dirname(file), { recursive: true });
    const lines = Object.entries(kernel.netSysctls).map(([name, value]) => `${name} = ${value}`);
    writeFileSync(file, `# ${kernel.uname}\n${lines.join('\n')}\n`);
  }
  const summary = cliConfig().stepSummary;
  if (summary !== undefined) appendFileSync(summary, `${withoutRelativeLinks(markdown)}\n`);
  return results;
}

/** Markdown with its relative links as plain text: a CI step summary has no report folder beside it to link into. */
export function withoutRelativeLinks(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:)[^)]*\)/gi, '$1');
}
