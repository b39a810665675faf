import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a command and answers its standard output; a non-zero exit throws with the command and its stderr. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, [...args], {
      cwd: options.cwd,
      timeout: options.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; code?: number | string };
    throw new Error(
      `${file} ${args.join(' ')} failed (${String(failed.code ?? 'error')}): ${(failed.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`,
    );
  }
}

/** Whether a command exits 0. */
export async function succeeds(
  file: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<boolean> {
  try {
    await runCommand(file, args, { timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/** Runs `producer | consumer`, both as argument lists, and resolves once both have exited 0. */
export function pipeCommands(
  producer: readonly [string, ...string[]],
  consumer: readonly [string, ...string[]],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = spawn(producer[0], producer.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    const to = spawn(consumer[0], consumer.slice(1), { stdio: ['pipe', 'ignore', 'inherit'] });
    from.stdout.pipe(to.stdin);
    let pending = 2;
    const done = (name: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${name} exited with ${String(code)}`));
      else if ((pending -= 1) === 0) resolve();
    };
    from.on('close', done(producer[0]));
    to.on('close', done(consumer[0]));
    from.on('error', reject);
    to.on('error', reject);
  });
}
