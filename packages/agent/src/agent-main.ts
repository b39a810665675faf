#!/usr/bin/env node
import { agentConfigFromEnv } from './agent-config';
import { AGENT_PORT } from './protocol';
import { startAgent } from './agent';

const USAGE = `Usage: sockspec-agent

The daemon inside a sockspec target. It owns sockets and processes there and answers HTTP+JSON on one port.

Environment:
  SOCKSPEC_AGENT_TOKEN   required: every request must carry "Authorization: Bearer <token>"
  SOCKSPEC_AGENT_PORT    port to listen on (default ${AGENT_PORT})
  SOCKSPEC_AGENT_HOST    address to listen on (default 0.0.0.0)
  SOCKSPEC_AGENT_SOCKET  listen on this Unix socket instead (a target on a VM kernel)
  SOCKSPEC_SAMPLE_MS     socket-table sampling interval in ms (default 10)
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const parsed = agentConfigFromEnv();
  if (!parsed.ok) {
    process.stderr.write(`sockspec-agent: ${parsed.error}\n\n${USAGE}`);
    process.exit(2);
  }
  const agent = await startAgent(parsed.config);
  console.log(JSON.stringify({ event: 'agent-listening', port: agent.port, pid: process.pid }));
  // As PID 1 in a container, node has no default handler for these: stop cleanly ourselves.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void agent.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sockspec-agent: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
