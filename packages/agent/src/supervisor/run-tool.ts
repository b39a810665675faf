import { execFile } from 'node:child_process';
import { HttpError } from '../http-error';

/** Runs one of the kernel's tools (ip, nsenter) and answers its output; a failure is a 500 naming the command. */
export function runTool(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      const why = typeof code === 'string' ? code : stderr.trim() || error.message;
      reject(new HttpError(500, 'tool-failed', `${file} ${args.join(' ')}: ${why}`));
    });
  });
}

/** Runs a shell script inside the network namespace of a process (the target's agent). */
export function inNamespaceOf(
  pid: number,
  script: string,
  args: readonly string[] = [],
): Promise<string> {
  return runTool('nsenter', [
    '--target',
    String(pid),
    '--net',
    '--',
    'sh',
    '-c',
    script,
    'sh',
    ...args,
  ]);
}
