// The agent's wire contract, for the agent that serves it and the test kit that calls it: types, paths and the
// socket filter, and nothing that loads libc.
export * from './api';
export { AGENT_PORT, API_PREFIX, PATHS, pathTo } from './routes';
export { describeFilter, filterEntries, matchesFilter } from './socket-filter';
export { flagText, type Segment, type TcpFlag } from './segment';
export * from './supervisor';
