// The daemon inside a target. Its wire contract is @sockspec/agent/protocol, which loads no libc.
export { agentConfigFromEnv, type AgentConfig } from './agent-config';
export { startAgent, type RunningAgent } from './agent';
export { dropRuleArguments } from './firewall';
export { parseTcpdumpLine } from './tcpdump-line';
