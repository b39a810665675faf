#!/usr/bin/env node
import { join } from 'node:path';
import { supervisorConfigFromEnv } from '../agent-config';
import { startSupervisor } from './supervisor';

const USAGE = `Usage: sockspec-supervisor

Runs in a VM kernel's first network namespace: makes targets (network namespaces, each with an agent), joins
them by bridges, and forwards each target's requests to its agent.

Environment:
  SOCKSPEC_AGENT_TOKEN   required: every request must carry "Authorization: Bearer <token>"
  SOCKSPEC_AGENT_PORT    port to listen on (default 7070)
  SOCKSPEC_SPARES        agents to keep started ahead (default 2)
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const parsed = supervisorConfigFromEnv();
  if (!parsed.ok) {
    process.stderr.write(`sockspec-supervisor: ${parsed.error}\n\n${USAGE}`);
    process.exit(2);
  }
  const supervisor = await startSupervisor({
    ...parsed.config,
    agentMain: join(__dirname, '..', 'agent-main.js'),
  });
  console.log(JSON.stringify({ event: 'supervisor-listening', port: parsed.config.port }));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void supervisor.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sockspec-supervisor: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
