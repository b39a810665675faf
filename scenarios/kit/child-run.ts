/**
 * Helpers of the kit's specs (not a spec): the sockspec command as npm links it, a real run started as a child
 * process on a fixture of kit/fixtures/ (cleanup.spec.ts), and what Docker still holds of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { jestBin, suiteEnvironment } from '@sockspec/cli';
import { LABEL_OWNER_PID, LABEL_PROJECT, LABEL_RUN } from '@sockspec/testkit/runner';

const docker = new Docker();

export const SCENARIOS_DIR = join(__dirname, '..');
export const FIXTURE_CONFIG = join(__dirname, 'fixtures', 'jest.fixture.config.js');
/** The sockspec command as npm links it. */
export const SOCKSPEC_MAIN = join(
  dirname(require.resolve('@sockspec/cli/package.json')),
  'bin',
  'sockspec.js',
);

/** Who runs the fixture: Jest itself, or `sockspec run` (which runs Jest through npx). */
export type Runner = 'jest' | 'sockspec';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One child run. Its process leads a process group of its own, so a signal can reach it as Ctrl-C would. */
export class ChildRun {
  private text = '';
  readonly exited: Promise<Exit>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
  }

  /**
   * Starts `fixture` (a file name under kit/fixtures/) with the fixture config. The environment is this process's
   * without anything that names this suite's run (its run id, owner pid, progress file), so the child is a run of
   * its own: `runId` for Jest (`sockspec run` always makes its own), and the child's own pid as owner.
   */
  static start(
    runner: Runner,
    fixture: string,
    options: { readonly runId?: string; readonly reportDir: string; readonly target?: string },
  ): ChildRun {
    // Nothing of this suite's own run (its id, owner, progress file) goes on: the child is a run of its own.
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(base)) {
      if (name.startsWith('SOCKSPEC_') && name !== 'SOCKSPEC_IMAGE') delete base[name];
    }
    delete base.JEST_WORKER_ID;
    const env = suiteEnvironment({
      base,
      runId: options.runId,
      reportDir: options.reportDir,
      target: options.target ?? 'container',
    });
    const args =
      runner === 'jest'
        ? [jestBin(), '--config', FIXTURE_CONFIG, fixture]
        : [SOCKSPEC_MAIN, 'run', '--config', FIXTURE_CONFIG, fixture];
    const child = spawn(process.execPath, args, {
      cwd: SCENARIOS_DIR,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ChildRun(child);
  }

  /** The runner's pid: the owner pid on everything the run makes (Jest's own, or that of `sockspec run`). */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the child run did not start');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the run printed so far, stdout and stderr together. */
  get output(): string {
    return this.text;
  }

  /** Sends a signal to the runner alone, or to its whole process group (what a terminal does on Ctrl-C). */
  signal(signal: NodeJS.Signals, to: 'runner' | 'group'): void {
    try {
      process.kill(to === 'group' ? -this.pid : this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Waits for the run to print a line matching `pattern`; fails if it ends first or takes longer than `ms`. */
  async waitForOutput(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = pattern.exec(this.text);
      if (found !== null) return found;
      if (!this.running || Date.now() > deadline) {
        throw new Error(
          `the child run ${this.running ? `printed no ${pattern} within ${ms} ms` : 'ended'}:\n${this.text}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Its exit within `ms`, or `undefined` if it is still running then. */
  async exitWithin(ms: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills whatever is left of the run's process group and waits (briefly) for the runner to end. */
  async kill(): Promise<void> {
    this.signal('SIGKILL', 'group');
    if (this.running) await this.exitWithin(5_000);
  }
}

export interface Leftovers {
  /** Short ids and states of the containers, running or not. */
  readonly containers: readonly string[];
  readonly networks: readonly string[];
}

/** The sockspec containers (any state) and networks that carry a label, e.g. `sockspec.run=<id>`. */
export async function leftovers(label: string): Promise<Leftovers> {
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=true`, label] });
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return {
    containers: containers.map((info) => `${info.Id.slice(0, 12)} (${info.State})`),
    networks: networks.map((info) => info.Name),
  };
}

export const runLabel = (runId: string): string => `${LABEL_RUN}=${runId}`;
export const ownerLabel = (pid: number): string => `${LABEL_OWNER_PID}=${pid}`;

/** Removes every container and network with a label: the spec's own clean-up, whatever its assertions said. */
export async function removeAll(label: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=true`, label] });
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
  for (const info of await docker.listNetworks({ filters })) {
    await docker
      .getNetwork(info.Id)
      .remove()
      .catch(() => undefined);
  }
}

/** The labels of a container (by id or short id), or `undefined` once it is gone. */
export async function containerLabels(id: string): Promise<Record<string, string> | undefined> {
  try {
    return (await docker.getContainer(id).inspect()).Config.Labels;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
