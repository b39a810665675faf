import { argsOf, UsageError, type Command } from '../command';

/** `sockspec run`: the scenarios against the kernel, with live progress, then the report. */
export const runCommand: Command = {
  name: 'run',
  summary:
    'run scenarios against the kernel (all, or those whose path holds a word given), then write the report',
  usage: `Usage: sockspec run [--config FILE] [--output progress|jest] [scenario...]

Runs the scenarios side by side against the kernel of the configured target (SOCKSPEC_TARGET: container, the
default, or vm:<series> such as vm:6.1), with a line per test and, every few seconds, what the kernel is being
waited on for. Then writes report/index.html, results.json and README.md. Ctrl-C stops the run and removes every
target it started.

  scenario...    only the spec files whose path contains one of these words (teardown, reuse, backlog)
  --config FILE  another Jest config for the scenarios
  --output jest  Jest's own output instead of the progress lines (npm test runs the scenarios so)
  --help         show this text
`,
  async run(args) {
    const parsed = argsOf(
      args,
      { config: { type: 'string' }, output: { type: 'string', default: 'progress' } },
      true,
    );
    const { config, output } = parsed.values;
    if (output !== 'progress' && output !== 'jest') {
      throw new UsageError(`--output must be progress or jest, not '${String(output)}'`);
    }
    // Loaded only when a run starts: `sockspec --help` and a usage mistake answer at once.
    const [{ reportDir }, { runSuite }] = await Promise.all([
      import('@sockspec/records'),
      import('../run-suite.js'),
    ]);
    const outcome = await runSuite({
      reportDir: reportDir(),
      filters: parsed.positionals,
      ...(typeof config === 'string' ? { jestConfig: config } : {}),
      output,
    });
    return outcome.code;
  },
};
