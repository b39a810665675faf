import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { enterNewNetworkNamespace } from '@sockspec/sockets';
import type { AgentConfig } from './agent-config';
import { createAgentServer } from './agent-server';
import { agentRoutes } from './agent-routes';
import { CaptureRegistry } from './capture-registry';
import { FileRegistry } from './file-registry';
import { Firewall } from './firewall';
import { badRequest } from './http-error';
import { ProgramRegistry } from './program-registry';
import type { Router } from './router';
import { SocketRegistry } from './socket-registry';
import { TcpSampler } from './tcp-sampler';

export interface RunningAgent {
  readonly server: Server;
  readonly port: number;
  /** Closes the agent's sockets, kills its programs and stops serving; settled once every close() returned. */
  stop(): Promise<void>;
}

/** What the agent holds for one target: its sockets, programs, captures, drop rules and table samples. */
interface Parts {
  readonly sockets: SocketRegistry;
  readonly programs: ProgramRegistry;
  readonly sampler: TcpSampler;
  readonly firewall: Firewall;
  readonly captures: CaptureRegistry;
  readonly files: FileRegistry;
  readonly router: Router;
}

/** Starts the agent: sampling the socket table from the first moment, serving the API on config.port. */
export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  /** The port the agent listens on; config.port 0 gets one from the kernel. */
  let port = config.port;
  let token = config.token;
  const makeParts = (cpuSince: NodeJS.CpuUsage): Parts => {
    const sockets = new SocketRegistry();
    // The sampler and the programs know each other: a running program calls for dense samples, its exit for a
    // look at what it closed. A running capture calls for samples too.
    const sampler: TcpSampler = new TcpSampler({
      intervalMs: config.sampleIntervalMs,
      mode: config.sampling,
      agentPort: () => port,
      programsRunning: () => programs.anyRunning(),
      captureRunning: () => captures.anyRunning(),
    });
    const programs = new ProgramRegistry(() => sampler.settle());
    const captures = new CaptureRegistry();
    const firewall = new Firewall();
    const files = new FileRegistry();
    const router = agentRoutes({
      sockets,
      programs,
      sampler,
      firewall,
      captures,
      files,
      renew,
      cpuSince,
    });
    return { sockets, programs, sampler, firewall, captures, files, router };
  };
  /** Ends what the agent holds for its target: sampling, programs, captures, sockets (closed once returned). */
  const release = (held: Parts): Promise<void> => {
    held.sampler.stop();
    held.programs.stopAll();
    held.captures.stopAll();
    held.files.removeAll();
    return held.sockets.closeAll();
  };
  /**
   * Makes the agent a fresh target's, on a VM kernel where one agent serves one target after another: what it held
   * is released, it moves to a new, empty network namespace with loopback up, and answers to a new token.
   */
  const renew = (body: unknown): Record<string, never> => {
    const next = (body as { token?: unknown } | undefined)?.token;
    if (typeof next !== 'string' || next.length < 16) {
      throw badRequest("'token' must be the new token, 16 characters or more");
    }
    void release(parts);
    enterNewNetworkNamespace();
    const lo = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8' });
    if (lo.status !== 0) throw new Error(`ip link set lo up: ${lo.stderr || lo.error?.message}`);
    parts = makeParts(process.cpuUsage());
    parts.sampler.start();
    token = next;
    return {};
  };
  let parts = makeParts({ user: 0, system: 0 });
  const server = createAgentServer({
    token: () => token,
    router: () => parts.router,
    beforeChange: () => parts.sampler.touch(),
    afterChange: () => parts.sampler.settle(),
  });
  // Every connection, also those Node's HTTP server no longer tracks (a CONNECT, a client error answered on the
  // raw socket, a connection whose last answer said close): stop() ends them all, so it cannot wait on one.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  parts.sampler.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (config.socketPath === undefined) server.listen(config.port, config.host, resolve);
    else server.listen(config.socketPath, resolve);
  });
  const address = server.address();
  // On a Unix socket the agent's own traffic is not TCP: no port of the table is its own.
  port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server,
    port,
    stop: async () => {
      const closing = release(parts);
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closing;
    },
  };
}
