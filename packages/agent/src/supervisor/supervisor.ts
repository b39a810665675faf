import {
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { hostname, machine, release, type, version } from 'node:os';
import { createAgentServer } from '../agent-server';
import { badRequest } from '../http-error';
import { SUPERVISOR_PATHS, type KernelInfo, type NamespaceRequest } from '../protocol';
import { Router } from '../router';
import { Bridges } from './bridges';
import { NamespacePool } from './namespace-pool';

/** `/ns/<id>/<the agent's path>`: a request for a target's agent. */
const FORWARDED = /^\/ns\/(\d{1,9})(\/.*)$/;

export interface RunningSupervisor {
  readonly server: Server;
  stop(): Promise<void>;
}

/** A body's `sysctls`-like field: an object of names to strings or numbers. */
function sysctlMap(body: unknown, field: string): Record<string, string | number> {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`'${field}' must be an object of sysctl names to values`);
  }
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw badRequest(`'${field}.${name}' must be a string or a number`);
    }
  }
  return value as Record<string, string | number>;
}

/**
 * The supervisor of a VM kernel, on `port` in its first network namespace: makes and ends targets and bridges
 * (token-checked like an agent), and hands `/ns/<id>/...` to that target's agent, whose own token check applies.
 */
export async function startSupervisor(options: {
  readonly token: string;
  readonly port: number;
  readonly agentMain: string;
  readonly spares: number;
}): Promise<RunningSupervisor> {
  const pool = new NamespacePool(options.agentMain, options.spares);
  const bridges = new Bridges();
  const id = (ids: readonly number[]): number => ids[0] ?? -1;
  const router = new Router()
    .add('GET', SUPERVISOR_PATHS.kernel, (): KernelInfo => ({
      release: release(),
      uname: `${type()} ${hostname()} ${release()} ${version()} ${machine()}`,
      ...pool.sizes,
    }))
    .add('POST', SUPERVISOR_PATHS.namespaces, ({ body }) => {
      const request: NamespaceRequest = {
        sysctls: sysctlMap(body, 'sysctls'),
        sysctlsIfPresent: sysctlMap(body, 'sysctlsIfPresent'),
      };
      return pool.create(request);
    })
    .add('DELETE', SUPERVISOR_PATHS.namespace, ({ ids }) => {
      pool.remove(id(ids));
      return {};
    })
    .add('POST', SUPERVISOR_PATHS.bridges, () => bridges.create())
    .add('DELETE', SUPERVISOR_PATHS.bridge, async ({ ids }) => {
      await bridges.remove(id(ids));
      return {};
    })
    .add('POST', SUPERVISOR_PATHS.bridgeMembers, ({ ids, body }) => {
      const namespace = (body as { namespace?: unknown } | undefined)?.namespace;
      if (typeof namespace !== 'number') throw badRequest("'namespace' must be a target's id");
      return bridges.attach(id(ids), namespace, pool.pidOf(namespace));
    });
  const server = createAgentServer({
    token: options.token,
    router,
    forward: (request, response) => {
      const match = FORWARDED.exec(request.url ?? '');
      if (match === null) return false;
      forward(request, response, pool.socketOf(Number(match[1])), match[2] ?? '/');
      return true;
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', resolve);
  });
  return {
    server,
    stop: async () => {
      pool.removeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Passes a request to a target's agent on its Unix socket and its answer back, both streamed. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  socketPath: string | undefined,
  path: string,
): void {
  const fail = (status: number, code: string, message: string): void => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const text = JSON.stringify({ error: { code, message } });
    response.writeHead(status, { 'content-type': 'application/json' }).end(text);
  };
  if (socketPath === undefined) {
    request.resume();
    fail(404, 'not-found', 'no such target on this kernel (stopped, or never made)');
    return;
  }
  const upstream = httpRequest(
    { socketPath, path, method: request.method, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => fail(502, 'agent-unreachable', error.message));
  response.on('close', () => upstream.destroy());
  request.pipe(upstream);
}
