import { programSettingsFromEnv } from './program-config';
import { printEvent, type Emit, type ProgramHandle, type ProgramSettings } from './program-events';
import type { OptionsResult } from './server-options';

/**
 * The shared main of the two programs: parse, print usage on --help (exit 0) or bad usage (exit 2), run the loop,
 * and end it cleanly on SIGTERM or SIGINT, closing every socket.
 */
export function runProgram<T>(
  name: string,
  usage: string,
  parse: (argv: readonly string[]) => OptionsResult<T>,
  run: (options: T, emit: Emit, settings: ProgramSettings) => ProgramHandle,
): void {
  const parsed = parse(process.argv.slice(2));
  if (parsed.ok === 'help') {
    process.stdout.write(usage);
    return;
  }
  if (!parsed.ok) {
    process.stderr.write(`${name}: ${parsed.error}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  let settings: ProgramSettings;
  try {
    settings = programSettingsFromEnv();
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  // Handlers first: a signal sent as soon as 'listening' is printed must end the program cleanly too.
  const started: { handle?: ProgramHandle; early?: NodeJS.Signals } = {};
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () =>
      started.handle === undefined ? (started.early = signal) : started.handle.stop(signal),
    );
  }
  const handle = run(parsed.options, printEvent, settings);
  started.handle = handle;
  if (started.early !== undefined) handle.stop(started.early);
  void handle.done.then((code) => process.exit(code));
}
