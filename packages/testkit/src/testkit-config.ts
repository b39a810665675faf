import { randomUUID } from 'node:crypto';
import { HARNESS_CEILING_MS } from './harness-stall';

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
  /**
   * The most a target may take from creation to its agent answering, while it still moves (a start that shows no
   * work for a while fails sooner); a slower kind of target stretches it.
   */
  readonly startupCeilingMs: number;
  /** Where to announce long waits for a watching `sockspec run` (none: nobody watches). */
  readonly progressFile: string | undefined;
  /** VM targets use KVM (SOCKSPEC_KVM=1) rather than emulating every instruction (TCG). */
  readonly kvm: boolean;
  /**
   * Settings handed on to every target's agent and programs, where given: SOCKSPEC_SAMPLING (`always`: sample the
   * socket table every 10 ms whatever happens) and SOCKSPEC_PROGRAM_WAKE_MS (programs wake on a timer), which
   * `npm run bench` uses to measure what a target cost before it slept while idle.
   */
  readonly targetEnvironment: Readonly<Record<string, string>>;
  /** The base the target image builds FROM (SOCKSPEC_BASE_IMAGE); undefined: the public Node.js image, or one made offline. */
  readonly baseImage: string | undefined;
  /** The Debian mirror the offline base and VM kernels come from. */
  readonly debianMirror: string;
}

/** The variables of `targetEnvironment`. */
const TARGET_VARIABLES = ['SAMPLING', 'PROGRAM_WAKE_MS'] as const;

const PREFIX = 'SOCKSPEC_';

export function testkitConfig(env: NodeJS.ProcessEnv = process.env): TestkitConfig {
  const read = (name: string): string | undefined => env[PREFIX + name];
  return {
    image: read('IMAGE') ?? 'sockspec-target:latest',
    target: read('TARGET') ?? 'container',
    runId: read('RUN_ID') ?? fallbackRunId,
    ownerPid: Number(read('OWNER_PID') ?? process.pid),
    startupCeilingMs: Number(read('STARTUP_CEILING_MS') ?? HARNESS_CEILING_MS),
    progressFile: read('PROGRESS_FILE'),
    kvm: read('KVM') === '1',
    baseImage: read('BASE_IMAGE') || undefined,
    debianMirror: read('DEBIAN_MIRROR') ?? 'http://deb.debian.org/debian',
    targetEnvironment: Object.fromEntries(
      TARGET_VARIABLES.flatMap((name) => {
        const value = read(name);
        return value === undefined || value === '' ? [] : [[PREFIX + name, value]];
      }),
    ),
  };
}

const fallbackRunId = randomUUID();

/** The kernel series of a `vm:<series>` target (`vm:6.1` gives `6.1`), or undefined for any other kind. */
export function vmSeries(target: string): string | undefined {
  return /^vm:(\d+\.\d+)$/.exec(target)?.[1];
}
