import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { buildResults, type Results } from './results';
import { readRunData } from './run-data';

/** Builds index.html, results.json and README.md in the report folder from the records a run left there. */
export function writeReport(dir: string): Results {
  const run = readRunData(dir);
  const results = buildResults(run, new Date().toISOString());
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), renderMarkdown(results));
  writeFileSync(join(dir, 'index.html'), renderHtml(results, run.records));
  rmSync(join(dir, 'evidence'), { recursive: true, force: true });
  for (const kernel of results.kernels) {
    const file = join(dir, kernel.sysctlsFile);
    mkdirSync(dirname(file), { recursive: true });
    const lines = Object.entries(kernel.netSysctls).map(([name, value]) => `${name} = ${value}`);
    writeFileSync(file, `# ${kernel.uname}\n${lines.join('\n')}\n`);
  }
  return results;
}
