// The records a run leaves in its report folder: where each lives, what it holds, and the one writer and reader.
export * from './record-types';
export { FAMILY_NAMES, familyInTitle, type AddressFamily } from './address-family';
export {
  CAPTURES_DIR,
  CONSOLES_DIR,
  EVIDENCE_DIR,
  MEASUREMENTS_FILE,
  RECORDS_DIR,
  REPORT_FILES,
  TESTS_FILE,
  captureFileOf,
  liveTargetsDir,
  progressFileOf,
  projectRoot,
  reportDir,
  specFileOf,
  sysctlsFileOf,
  vmConsoleFileOf,
  timelineFileName,
} from './layout';
export {
  announceLiveTarget,
  appendProgress,
  appendRecordLine,
  clearRunRecords,
  forgetDeadTargets,
  writeCaptureFile,
  writeTestOutcomes,
  writeTimelineRecordFile,
} from './record-writer';
export { readLiveTargets, readProgress, readRunData } from './record-reader';
export { recordsConfig, type RecordsConfig } from './records-config';
// The kernel-facing types a record holds, for readers that need no more of the agent or the inspector.
export type { Segment, TcpChange } from '@sockspec/agent/protocol';
export type { Endpoint, TcpSocketEntry } from '@sockspec/inspector';
