import type { Server } from 'node:http';
import type { AgentConfig } from './agent-config';
import { createAgentServer } from './agent-server';
import { agentRoutes } from './agent-routes';
import { CaptureRegistry } from './capture-registry';
import { Firewall } from './firewall';
import { ProgramRegistry } from './program-registry';
import { SocketRegistry } from './socket-registry';
import { TcpSampler } from './tcp-sampler';

export interface RunningAgent {
  readonly server: Server;
  readonly port: number;
  /** Closes the agent's sockets, kills its programs and stops serving; settled once every close() returned. */
  stop(): Promise<void>;
}

/** Starts the agent: sampling the socket table from the first moment, serving the API on config.port. */
export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  const sockets = new SocketRegistry();
  const programs = new ProgramRegistry();
  const sampler = new TcpSampler(config.sampleIntervalMs);
  const firewall = new Firewall();
  const captures = new CaptureRegistry();
  const server = createAgentServer({
    token: config.token,
    router: agentRoutes({ sockets, programs, sampler, firewall, captures }),
  });
  sampler.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    server,
    port,
    stop: async () => {
      sampler.stop();
      programs.stopAll();
      captures.stopAll();
      const closing = sockets.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closing;
    },
  };
}
