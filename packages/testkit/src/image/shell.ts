import { $, ProcessOutput, type ProcessPromise } from 'zx';

/**
 * zx's `$` for the testkit's shell work: what a command prints is captured for its caller, not echoed, and it reads
 * nothing. Its stdin is not inherited: bash started with a socket for stdin and no SHLVL takes itself for a remote
 * shell and sources ~/.bashrc, which on some machines never returns (seen under turbo, whose tasks have no SHLVL).
 */
export const shell = $({ quiet: true, stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * A command's standard output once it exits 0. A failure throws an Error naming the command, its exit code (or the
 * signal that ended it) and the last lines of its stderr (of its stdout when stderr is empty): zx's own message
 * does not name the command.
 */
export async function outputOf(command: ProcessPromise): Promise<string> {
  try {
    return (await command).stdout;
  } catch (error) {
    if (!(error instanceof ProcessOutput)) throw error;
    const status = error.exitCode ?? error.signal ?? 'error';
    // Some tools (debootstrap) print their errors on stdout: then its last lines say what went wrong.
    const said = error.stderr.trim() || error.stdout.trim();
    throw new Error(`${command.cmd} failed (${String(status)}): ${lastLines(said, 5)}`);
  }
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}

/** Whether a command exits 0. */
export async function succeeds(command: ProcessPromise): Promise<boolean> {
  return (await command.nothrow()).ok;
}
