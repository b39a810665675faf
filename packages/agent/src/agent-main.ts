#!/usr/bin/env node
import { agentConfigFromEnv } from './agent-config';
import { AGENT_PORT } from './protocol';
import { startAgent } from './agent';
import { runDaemon } from './daemon-main';

const USAGE = `Usage: sockspec-agent

The daemon inside a sockspec target. It owns sockets and processes there and answers HTTP+JSON on one port.

Environment:
  SOCKSPEC_AGENT_TOKEN   required: every request must carry "Authorization: Bearer <token>"
  SOCKSPEC_AGENT_PORT    port to listen on (default ${AGENT_PORT})
  SOCKSPEC_AGENT_HOST    address to listen on (default 0.0.0.0)
  SOCKSPEC_AGENT_SOCKET  listen on this Unix socket instead (a target on a VM kernel)
  SOCKSPEC_SAMPLE_MS     socket-table sampling interval in ms (default 10)
  SOCKSPEC_SAMPLING      on-demand (default: only while a wait, long poll, program or capture is open); adaptive
                         or always: the policies before, only to measure what they cost (npm run bench)
`;

runDaemon('sockspec-agent', USAGE, agentConfigFromEnv, async (config) => {
  const agent = await startAgent(config);
  return {
    listening: { event: 'agent-listening', port: agent.port, pid: process.pid },
    stop: () => agent.stop(),
  };
});
