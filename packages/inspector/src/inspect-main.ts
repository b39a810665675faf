#!/usr/bin/env node
import { expectProcessTable, printSnapshot, watchChanges } from './inspect-cli';
import { INSPECT_USAGE, parseInspectArgs } from './inspect-options';

// A reader that stops early (`sockspec-inspect | head`) closes the pipe: that ends the output, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const parsed = parseInspectArgs(process.argv.slice(2));
const write = (text: string): void => {
  process.stdout.write(text);
};

/** A reading that failed: what and why on stderr (a hint where one helps), exit code 1, no stack trace. */
function fail(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  process.stderr.write(
    `sockspec-inspect: ${error instanceof Error ? error.message : String(error)}` +
      (code === 'ENOENT' ? '\nHint: is /proc mounted, and does the --pid process exist?\n' : '\n'),
  );
  process.exitCode = 1;
}

if (parsed.ok === 'help') {
  write(INSPECT_USAGE);
} else if (!parsed.ok) {
  process.stderr.write(`sockspec-inspect: ${parsed.error}\n\n${INSPECT_USAGE}`);
  process.exitCode = 2;
} else {
  const { options } = parsed;
  try {
    if (options.pid !== undefined) expectProcessTable(options.pid);
    if (options.watchMs !== undefined) {
      const stop = watchChanges({ ...options, watchMs: options.watchMs }, write, fail);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
    } else {
      printSnapshot(options, write);
    }
  } catch (error) {
    fail(error);
  }
}
