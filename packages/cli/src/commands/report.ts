import { join } from 'node:path';
import { argsOf, type Command } from '../command';

/** `sockspec report`: the report written again from the last run's records. */
export const reportCommand: Command = {
  name: 'report',
  summary: "write the report again from the last run's records",
  usage: `Usage: sockspec report

Writes report/index.html, results.json and README.md again from the records the last run left in report/
(SOCKSPEC_REPORT_DIR for another folder), without running anything.

  --help   show this text
`,
  async run(args) {
    argsOf(args, {}, false);
    const [{ reportDir }, { writeReport }] = await Promise.all([
      import('@sockspec/records'),
      import('../write-report.js'),
    ]);
    const dir = reportDir();
    const results = writeReport(dir);
    process.stdout.write(
      `sockspec: wrote ${join(dir, 'index.html')} (${results.claims.length} claims)\n`,
    );
    return 0;
  },
};
