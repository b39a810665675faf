// What a spec author needs: targets, the sockets and programs in them, waits and spans, the claims' test functions
// and records. The runner's own parts (sweeps, labels, the agent client, Jest's setup) are @sockspec/testkit/runner.
export { describe, it } from './claim-tests';
export { describeFamilies, FAMILIES, IPV4, IPV6, type Family } from './families';
export {
  recordSysctlRefusal,
  startTarget,
  startTargetUnlessRefused,
  type SysctlRefusal,
} from './start-target';
export { runImage } from './run-image';
export { FolderTooLarge } from './upload-files';
export {
  ImageServer,
  imageFacts,
  type ImageFacts,
  type ImageServerExit,
  type ImageServerOptions,
} from './image-server';
export type { Capability, TargetOptions } from './target-options';
export type { RunOptions, StateWait, Target, WaitOptions } from './target';
export { TargetNetwork } from './target-network';
export { RemoteSocket, type ConnectOutcome } from './remote-socket';
export { RemoteProgram, type EventPredicate } from './remote-program';
export { closeInOrder, connectPair, type SocketPair } from './socket-pair';
export { stateSpan, type StateSpan } from './state-span';
export { classifySegments, type ClassifiedSegment, type SegmentKind } from './segment-kinds';
export { TCP_TIMEWAIT_LEN_MS } from './tcp-timers';
// Durations timed by the kernel's clocks: a timer's deadline from procfs, a state's entry from the capture.
export { stateRemoval } from './state-span';
export {
  deadlineOf,
  kernelDeadline,
  timerRuns,
  type Interval,
  type TimerReading,
} from './kernel-deadline';
export { readKernelTimer, type TimerReadings } from './kernel-timer';
export { capturedSegment, finSequence, type SegmentMatch } from './captured-segment';
export {
  assertRemoval,
  assertTimerLength,
  durationBetween,
  KernelTimingMismatch,
  momentAt,
  removalAfterDeadline,
  timerLength,
  timingOf,
  type KernelTimedState,
  type KernelTimer,
  type TimedDuration,
} from './timed-span';
export {
  recordMeasurement,
  recordSetting,
  recordVerdict,
  type Measurement,
  type Setting,
  type Verdict,
} from './measurements';
export { HarnessStall } from './harness-stall';
export { StateWaitTimeout } from './state-wait-timeout';
export { TargetSocketError } from './target-socket-error';
export type { Segment, TcpChange } from '@sockspec/agent/protocol';
// Jest's expect(target).toHaveSocket(...): the matchers' types come with their options type.
export type { SocketCountOptions } from './socket-matchers';
