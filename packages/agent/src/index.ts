export * from './api';
export { agentConfigFromEnv, DEFAULT_AGENT_PORT, type AgentConfig } from './agent-config';
export { startAgent, type RunningAgent } from './agent';
export { matchesFilter, filterEntries, describeFilter } from './socket-filter';
export { dropRuleArguments } from './firewall';
export { parseTcpdumpLine, flagText, type Segment, type TcpFlag } from './tcpdump-line';
