// The sockspec program (bin/sockspec.js runs it): the command line to `main`, its answer to the exit code.
import { main } from './command-line';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A harness step that hung says which; anything else is a bug of the command's, with its message.
    const what =
      (error as Error | undefined)?.name === 'HarnessStall'
        ? (error as Error).message
        : `sockspec: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${what}\n`);
    process.exitCode = 1;
  },
);
