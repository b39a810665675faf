export { TCP_STATES, normalizeStateName, stateFromCode, type TcpState } from './tcp-state';
export type { Endpoint, TcpSocketEntry, TcpTimer, TimerKind } from './tcp-socket-entry';
export { formatIpv6Bytes, parseIpv4Hex, parseIpv6Hex, parseProcEndpoint } from './proc-address';
export {
  parseProcNetTcp,
  parseProcNetTcpLine,
  type ParseError,
  type ParseResult,
} from './parse-proc-net-tcp';
export {
  readTcpSockets,
  readTcpSocketsSync,
  tcp6InUse,
  uniqueEntries,
  type ReadOptions,
} from './read-tcp-sockets';
export { socketOwners, type SocketOwner } from './socket-owners';
export { TCP_SYSCTLS, readSysctl, readSysctlTree, readSysctls, sysctlPath } from './sysctl';
export {
  parseNetstat,
  readTcpCounters,
  readTcpExtCounters,
  type CounterSections,
} from './netstat-counters';
export { StateTracker, socketKey, type StateChange } from './state-tracker';
export { formatTable, type TableOptions } from './format-table';
export { parseInspectArgs, INSPECT_USAGE, type InspectOptions } from './inspect-options';
export { selectEntries } from './inspect-cli';
export {
  isBusyState,
  parseProcStat,
  parseSchedstat,
  readLoadAverage,
  readProcessWork,
  type ProcessWork,
} from './process-work';
