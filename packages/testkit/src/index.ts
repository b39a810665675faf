export { AgentClient, AgentRequestError } from './agent-client';
export { AgentTarget } from './agent-target';
export { AgentUnreachable } from './agent-unreachable';
export {
  ContainerTarget,
  targetSupports,
  type Capability,
  type ContainerTargetOptions,
  type TargetFeature,
} from './container-target';
export { startTarget } from './start-target';
export { sweepVms, TargetUnsupported, VmTarget } from './vm-target';
export { qemuArguments, type VmBoot } from './qemu-command';
export { LABEL_OWNER_PID, LABEL_PROJECT, LABEL_RUN, runLabels } from './labels';
export {
  recordMeasurement,
  recordSetting,
  recordVerdict,
  type Measurement,
  type Setting,
  type Verdict,
  type VerdictRecord,
} from './measurements';
export { describe, it } from './claim-tests';
export { currentScenario, reportDir, repoRoot } from './report-dir';
export { writeTimelineRecord, type TimelineRecord } from './timeline-record';
export { PacketCapture } from './packet-capture';
export { processAlive } from './process-alive';
export { RemoteProgram, type EventPredicate } from './remote-program';
export { RemoteSocket, type ConnectOutcome } from './remote-socket';
export { closeInOrder, connectPair, type SocketPair } from './socket-pair';
export { socketMatchers, type SocketCountOptions } from './socket-matchers';
export { assertMeasured, SAMPLING_DOUBT_MS, stateSpan, type StateSpan } from './state-span';
export { PROCFS_TIMER_SLACK_MS, TCP_TIMEWAIT_LEN_MS } from './tcp-timers';
export { StateWaitTimeout } from './state-wait-timeout';
export { HARNESS_CEILING_MS, HarnessStall } from './harness-stall';
export {
  selectedForSweep,
  sweepContainers,
  type SweepResult,
  type SweepSelection,
} from './sweep-containers';
export type { StateWait, Target, WaitOptions } from './target';
export { TargetNetwork } from './target-network';
export { TargetSocketError } from './target-socket-error';
export { testkitConfig, vmSeries, type TestkitConfig } from './testkit-config';
