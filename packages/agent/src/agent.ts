import type { Server } from 'node:http';
import type { Socket } from 'node:net';
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
  /** The port the agent listens on; config.port 0 gets one from the kernel. */
  let port = config.port;
  // The sampler and the programs know each other: a running program calls for dense samples, its exit for a
  // look at what it closed.
  const sampler: TcpSampler = new TcpSampler({
    intervalMs: config.sampleIntervalMs,
    mode: config.sampling,
    agentPort: () => port,
    programsRunning: () => programs.anyRunning(),
  });
  const programs = new ProgramRegistry(() => sampler.settle());
  const firewall = new Firewall();
  const captures = new CaptureRegistry();
  const server = createAgentServer({
    token: config.token,
    router: agentRoutes({ sockets, programs, sampler, firewall, captures }),
    beforeChange: () => sampler.touch(),
    afterChange: () => sampler.settle(),
  });
  // Every connection, also those Node's HTTP server no longer tracks (a CONNECT, a client error answered on the
  // raw socket, a connection whose last answer said close): stop() ends them all, so it cannot wait on one.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  sampler.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    server,
    port,
    stop: async () => {
      sampler.stop();
      programs.stopAll();
      captures.stopAll();
      const closing = sockets.closeAll();
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closing;
    },
  };
}
