import type { Segment, TcpChange } from '@sockspec/agent/protocol';
import type { AddressFamily } from './address-family';

/** A value a scenario read from the kernel, a capture or a clock, with the claims it bears on. */
export interface MeasurementLine {
  readonly type: 'measurement';
  readonly claims: readonly string[];
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
  /** Where the value was read: kernel, capture or clock. */
  readonly from?: string;
  /** For a duration or a moment: how it was timed, and how far off it can be. */
  readonly timing?: MeasurementTiming;
  /** The address family the test ran over, for a spec that runs over both (`over IPv6` in its describe). */
  readonly family?: AddressFamily;
  readonly scenario?: string;
  readonly test?: string;
}

/**
 * The clocks a duration can be read from: the kernel's own timer as procfs shows it, a capture's timestamps (taken by
 * the kernel as a segment passes), the sock:inet_sock_set_state tracepoint, or the sampler's samples of the table.
 */
export type TimedBy = 'kernel-timer' | 'capture' | 'tracepoint' | 'sampler';

/** How a duration was timed: its two ends' sources, in order, and the most the true value can be off by (ms, +-). */
export interface MeasurementTiming {
  readonly by: readonly TimedBy[];
  readonly uncertaintyMs: number;
}

/** One of a scenario's own settings (a hold time, a client count), recorded as it ran. */
export interface SettingLine {
  readonly type: 'setting';
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string;
  readonly scenario?: string;
  readonly test?: string;
}

/** How a claim compares with what the kernel did, as a passing spec declares it for this run. */
export type DeclaredVerdict = 'holds' | 'holds-with-nuance' | 'differs';

export interface VerdictLine {
  readonly type: 'verdict';
  readonly claim: string;
  readonly verdict: DeclaredVerdict;
  readonly finding: string;
  /** The address family the declaring test ran over, for a spec that runs over both. */
  readonly family?: AddressFamily;
  readonly scenario?: string;
  readonly test?: string;
}

/** One line of the run's measurements file. */
export type RecordLine = MeasurementLine | SettingLine | VerdictLine;

/** A drop rule a spec installed in a target, and while it was in force (epoch ms). */
export interface DropRecord {
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly segments: 'fin' | 'ack-only' | 'rst' | 'any';
  readonly from: number;
  readonly until?: number;
}

/** A packet capture a spec took in a target, saved as a pcap file beside the report. */
export interface CaptureRecord {
  readonly port: number;
  /** The pcap file, relative to the report folder (captures/...pcap); absent when it could not be saved. */
  readonly pcap?: string;
}

/** Everything a target saw during a scenario, as the report draws it. */
export interface TimelineRecord {
  readonly scenario: string;
  readonly target: string;
  readonly kind: string;
  readonly kernel: string;
  /** `uname -a` of the target's kernel: the evidence for what the record says of it. */
  readonly uname?: string;
  /** The TCP sysctls the scenarios touch, as the target had them. */
  readonly sysctls: Readonly<Record<string, string | undefined>>;
  /** Every net.* sysctl the target's kernel has, with its value in the target. */
  readonly netSysctls?: Readonly<Record<string, string>>;
  /** The sysctls the spec asked this target for. */
  readonly requestedSysctls?: Readonly<Record<string, string | number>>;
  readonly started: number;
  readonly stopped: number;
  /** State changes of the scenario's sockets (the agent's own control connections left out). */
  readonly changes: readonly TcpChange[];
  readonly segments: readonly Segment[];
  /** The segments some rule held back. */
  readonly drops?: readonly DropRecord[];
  readonly captures?: readonly CaptureRecord[];
  /** CPU time (ms) the target's agent had spent as it stopped, as the agent read it of itself (`npm run bench`). */
  readonly agentCpuMs?: number;
}

/** One test of a spec file and how it ended, as Jest reported it. */
export interface TestOutcome {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  /** The describe titles and the test's own, joined by spaces (Jest's fullName). */
  readonly fullName: string;
  /** passed, failed, or one of Jest's ways of not running a test (skipped, pending, todo, disabled). */
  readonly status: string;
  /** The first lines of the failure message, for a failed test. */
  readonly failure?: string;
}

/** One spec file of the run: how long it took and its tests. */
export interface SpecOutcome {
  /** Relative to the folder Jest ran in. */
  readonly file: string;
  readonly durationMs: number;
  /** Why the file failed outside its tests (it did not compile, a hook outside any describe threw). */
  readonly failure?: string;
  /** The claims its opening comment lists: what a file that failed before its tests would have checked. */
  readonly claims?: readonly string[];
  readonly tests: readonly TestOutcome[];
}

/** Everything a run left in its report folder. */
export interface RunData {
  readonly measurements: readonly MeasurementLine[];
  readonly settings: readonly SettingLine[];
  readonly verdicts: readonly VerdictLine[];
  readonly records: readonly TimelineRecord[];
  /** Every spec file and test that ran; empty when the run wrote none. */
  readonly specs: readonly SpecOutcome[];
}

/** A line of a run's progress file: a wait on the kernel starting, or ending. */
export type ProgressLine =
  | {
      readonly id: string;
      readonly scenario?: string;
      readonly what: string;
      readonly timeoutMs: number;
      readonly start: number;
    }
  | { readonly id: string; readonly end: number };

/** A live target of a run, for `sockspec watch`: its name and how to reach its agent. */
export interface LiveTarget {
  readonly name: string;
  readonly kind: string;
  readonly scenario?: string;
  readonly agentUrl: string;
  readonly token: string;
  readonly started: number;
  readonly pid: number;
}
