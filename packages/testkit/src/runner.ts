// The runner's parts, for the sockspec command, Jest's setup and the kit's own specs: the kinds of target and their
// agent client, sweeps and labels, the harness's limits and configuration. Specs import @sockspec/testkit instead.
export { AgentClient, AgentRequestError, type RequestOptions } from './agent-client';
export { AgentUnreachable } from './agent-unreachable';
export { AgentTarget } from './agent-target';
export { ContainerTarget } from './container-target';
export { VmTarget } from './vm/vm-target';
export { kernelFor } from './vm/run-kernel';
export { isVmProcess, runningVms, sweepVms } from './vm/sweep-vms';
export { readVmPidRecords, vmPidDir, writeVmPidRecord, type VmPidRecord } from './vm/vm-pid-record';
export { VmKernel } from './vm/vm-kernel';
export { chooseAccelerator, probeKvm, type KvmProbe } from './vm/kvm-probe';
export { VmBridge } from './vm/vm-bridge';
export { DockerNetwork } from './docker-network';
export { qemuArguments, type VmBoot } from './vm/qemu-command';
export { LABEL_OWNER_PID, LABEL_PROJECT, LABEL_RUN, runLabels } from './labels';
export {
  selectedForSweep,
  sweepContainers,
  type SweepResult,
  type SweepSelection,
} from './sweep-containers';
export { HARNESS_CEILING_MS, ProgressWatch } from './harness-stall';
export { processAlive } from './process-alive';
export {
  testkitConfig,
  vmSeries,
  type Accelerator,
  type KernelHandle,
  type KvmMode,
  type TestkitConfig,
} from './testkit-config';
export { currentScenario } from './jest-state';
export { ensureTargetImage, IMAGE_REPOSITORY } from './image/target-image';
