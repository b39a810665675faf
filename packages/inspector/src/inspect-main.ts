#!/usr/bin/env node
import { printSnapshot, watchChanges } from './inspect-cli';
import { INSPECT_USAGE, parseInspectArgs } from './inspect-options';

const parsed = parseInspectArgs(process.argv.slice(2));
const write = (text: string): void => {
  process.stdout.write(text);
};
if (parsed.ok === 'help') {
  write(INSPECT_USAGE);
} else if (!parsed.ok) {
  process.stderr.write(`sockspec-inspect: ${parsed.error}\n\n${INSPECT_USAGE}`);
  process.exitCode = 2;
} else if (parsed.options.watchMs !== undefined) {
  const stop = watchChanges({ ...parsed.options, watchMs: parsed.options.watchMs }, write);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
} else {
  try {
    printSnapshot(parsed.options, write);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    process.stderr.write(
      `sockspec-inspect: ${error instanceof Error ? error.message : String(error)}` +
        (code === 'ENOENT'
          ? '\nHint: is /proc mounted, and does the --pid process exist?\n'
          : '\n'),
    );
    process.exitCode = 1;
  }
}
