#!/usr/bin/env node
import { join } from 'node:path';
import { supervisorConfigFromEnv } from '../agent-config';
import { runDaemon } from '../daemon-main';
import { startSupervisor } from './supervisor';

const USAGE = `Usage: sockspec-supervisor

Runs in a VM kernel's first network namespace: makes targets (network namespaces, each with an agent), joins
them by bridges, and forwards each target's requests to its agent.

Environment:
  SOCKSPEC_AGENT_TOKEN   required: every request must carry "Authorization: Bearer <token>"
  SOCKSPEC_AGENT_PORT    port to listen on (default 7070)
  SOCKSPEC_SPARES        agents to keep started ahead (default 2)
`;

runDaemon('sockspec-supervisor', USAGE, supervisorConfigFromEnv, async (config) => {
  const supervisor = await startSupervisor({
    ...config,
    agentMain: join(__dirname, '..', 'agent-main.js'),
  });
  return {
    listening: { event: 'supervisor-listening', port: config.port },
    stop: () => supervisor.stop(),
  };
});
