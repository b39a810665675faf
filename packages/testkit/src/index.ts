// What a spec author needs: targets, the sockets and programs in them, waits and spans, the claims' test functions
// and records. The runner's own parts (sweeps, labels, the agent client, Jest's setup) are @sockspec/testkit/runner.
export { describe, it } from './claim-tests';
export { startTarget } from './start-target';
export type { Capability, TargetOptions } from './target-options';
export type { RunOptions, StateWait, Target, WaitOptions } from './target';
export { TargetNetwork } from './target-network';
export { RemoteSocket, type ConnectOutcome } from './remote-socket';
export { RemoteProgram, type EventPredicate } from './remote-program';
export { closeInOrder, connectPair, type SocketPair } from './socket-pair';
export { assertMeasured, stateSpan, type StateSpan } from './state-span';
export { PROCFS_TIMER_SLACK_MS, TCP_TIMEWAIT_LEN_MS } from './tcp-timers';
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
