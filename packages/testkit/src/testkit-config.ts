import { randomUUID } from 'node:crypto';

/** The test kit's settings, read from the environment in this one place. */
export interface TestkitConfig {
  /** The target image (built by docker/build-image.mjs). */
  readonly image: string;
  /** Which kind of target specs run on: `container` (the only kind so far). */
  readonly target: string;
  /** Identifies one test run: every container it makes carries it as a label, so teardown finds them all. */
  readonly runId: string;
  /** The process that owns the run; a sweep removes containers whose owner is gone. */
  readonly ownerPid: number;
  /** Milliseconds a target may take from creation to its agent answering. */
  readonly startupTimeoutMs: number;
  /** Where to announce long waits for a watching `sockspec run` (none: nobody watches). */
  readonly progressFile: string | undefined;
}

const PREFIX = 'SOCKSPEC_';

export function testkitConfig(env: NodeJS.ProcessEnv = process.env): TestkitConfig {
  const read = (name: string): string | undefined => env[PREFIX + name];
  return {
    image: read('IMAGE') ?? 'sockspec-target:latest',
    target: read('TARGET') ?? 'container',
    runId: read('RUN_ID') ?? fallbackRunId,
    ownerPid: Number(read('OWNER_PID') ?? process.pid),
    startupTimeoutMs: Number(read('STARTUP_TIMEOUT_MS') ?? 60_000),
    progressFile: read('PROGRESS_FILE'),
  };
}

const fallbackRunId = randomUUID();

/** The kernel series of a `vm:<series>` target (`vm:6.1` gives `6.1`), or undefined for any other kind. */
export function vmSeries(target: string): string | undefined {
  return /^vm:(\d+\.\d+)$/.exec(target)?.[1];
}
