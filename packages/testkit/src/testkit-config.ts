import { randomUUID } from 'node:crypto';
import { HARNESS_CEILING_MS } from './harness-stall';

/** The test kit's settings, read from the environment in this one place. */
export interface TestkitConfig {
  /** The target image (built by `sockspec image`, or by a run before its first target). */
  readonly image: string;
  /** Which kind of target specs run on: `container`, or `vm:<series>` (a namespace on a booted kernel). */
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
  /**
   * Whether VM kernels run under KVM (SOCKSPEC_KVM): `auto` (unset) uses it only where a probe boot succeeds, `on`
   * (1) insists and fails with the probe's reason, `off` (0) always emulates every instruction (TCG).
   */
  readonly kvm: KvmMode;
  /**
   * Settings handed on to every target's agent and programs, where given: SOCKSPEC_SAMPLING (`always`: sample the
   * socket table every interval whatever happens), SOCKSPEC_PROGRAM_WAKE_MS (programs wake on a timer), which
   * `npm run bench` uses to measure what a target cost before it slept while idle, and SOCKSPEC_SAMPLE_MS (the
   * sampling interval: 10 ms, on an emulated VM kernel 40).
   */
  readonly targetEnvironment: Readonly<Record<string, string>>;
  /** The base the target image builds FROM (SOCKSPEC_BASE_IMAGE); undefined: the public Node.js image, or one made offline. */
  readonly baseImage: string | undefined;
  /** The Debian mirror the offline base and VM kernels come from. */
  readonly debianMirror: string;
  /** The VM kernel the run booted for its targets (SOCKSPEC_VM_KERNEL, set by the run's globalSetup). */
  readonly vmKernel: KernelHandle | undefined;
}

export type KvmMode = 'auto' | 'on' | 'off';

/** How a VM kernel's instructions run: on the CPU through KVM, or emulated one by one (TCG). */
export type Accelerator = 'kvm' | 'tcg';

/** What a worker needs to reach the run's booted kernel (handed on in SOCKSPEC_VM_KERNEL). */
export interface KernelHandle {
  readonly series: string;
  readonly release: string;
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  readonly accelerator: Accelerator;
}

/** The variables of `targetEnvironment`. */
const TARGET_VARIABLES = ['SAMPLING', 'PROGRAM_WAKE_MS', 'SAMPLE_MS'] as const;

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
    kvm: kvmMode(read('KVM')),
    baseImage: read('BASE_IMAGE') || undefined,
    debianMirror: read('DEBIAN_MIRROR') ?? 'http://deb.debian.org/debian',
    vmKernel: kernelHandle(read('VM_KERNEL')),
    targetEnvironment: Object.fromEntries(
      TARGET_VARIABLES.flatMap((name) => {
        const value = read(name);
        return value === undefined || value === '' ? [] : [[PREFIX + name, value]];
      }),
    ),
  };
}

const fallbackRunId = randomUUID();

function kvmMode(text: string | undefined): KvmMode {
  if (text === undefined || text === '' || text === 'auto') return 'auto';
  if (text === '1') return 'on';
  if (text === '0') return 'off';
  throw new Error(
    `SOCKSPEC_KVM=${text} is not 1 (KVM), 0 (TCG) or unset (KVM where a probe boot works)`,
  );
}

function kernelHandle(text: string | undefined): KernelHandle | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as KernelHandle;
  } catch {
    throw new Error('SOCKSPEC_VM_KERNEL is not the JSON a run hands its workers; unset it');
  }
}

/** The kernel series of a `vm:<series>` target (`vm:6.1` gives `6.1`), or undefined for any other kind. */
export function vmSeries(target: string): string | undefined {
  return /^vm:(\d+\.\d+)$/.exec(target)?.[1];
}
