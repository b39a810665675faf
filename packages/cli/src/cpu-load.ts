import { spawn, type ChildProcess } from 'node:child_process';

/**
 * CPU-bound processes that run beside a suite, to soak it under the kind of load CI puts on it (where the
 * packages' unit tests, type checks and lints run in parallel with the scenarios on two cores). Each is a Node
 * process spinning on one core until stopped.
 */
export class CpuLoad {
  private readonly spinners: ChildProcess[] = [];

  constructor(readonly processes: number) {}

  start(): void {
    for (let i = this.spinners.length; i < this.processes; i += 1) {
      const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
      // A spinner that fails to start only makes the load lighter; the soak reports how many it asked for.
      spinner.on('error', () => undefined);
      this.spinners.push(spinner);
    }
  }

  /** The running spinners' process ids. */
  pids(): number[] {
    return this.spinners.flatMap((spinner) => (spinner.pid === undefined ? [] : [spinner.pid]));
  }

  stop(): void {
    for (const spinner of this.spinners.splice(0)) spinner.kill('SIGKILL');
  }
}
