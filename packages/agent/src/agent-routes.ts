import { hostname, machine, release, type, version } from 'node:os';
import {
  TCP_STATES,
  readSysctl,
  readSysctlTree,
  readTcpExtCounters,
  socketOwners,
  type TcpState,
} from '@sockspec/inspector';
import type { CaptureRegistry } from './capture-registry';
import type { Firewall } from './firewall';
import { fileBatch, type FileRegistry } from './file-registry';
import { HttpError, badRequest } from './http-error';
import type { ProgramRegistry } from './program-registry';
import { RequestFields } from './request-fields';
import { Router } from './router';
import {
  PATHS,
  filterEntries,
  type AgentInfo,
  type DropRule,
  type ProgramName,
  type SocketFilter,
  type WaitRequest,
} from './protocol';
import type { SocketRegistry } from './socket-registry';
import type { TcpSampler } from './tcp-sampler';

export interface AgentParts {
  readonly sockets: SocketRegistry;
  readonly programs: ProgramRegistry;
  readonly sampler: TcpSampler;
  readonly firewall: Firewall;
  readonly captures: CaptureRegistry;
  /** Folders of files handed to the target, for its programs to run in. */
  readonly files: FileRegistry;
  /** Makes the agent a new target's in a fresh network namespace (a VM kernel's supervisor asks). */
  readonly renew: (body: unknown) => unknown;
  /** The process's CPU usage when the agent became this target's (zero: at its start). */
  readonly cpuSince: NodeJS.CpuUsage;
}

const PORT_MAX = 65535;
const MAX_WAIT_MS = 10 * 60 * 1000;
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGKILL', 'SIGHUP'] as const;
const PROGRAMS: readonly ProgramName[] = ['server', 'client', 'inspect', 'command'];
const SYSCTL_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

/** Every path the agent answers (protocol/routes.ts). */
export function agentRoutes(parts: AgentParts): Router {
  const { sockets, programs, sampler, firewall, captures, files, renew, cpuSince } = parts;
  const id = (ids: readonly number[]): number => ids[0] ?? -1;
  return (
    new Router()
      .add('POST', PATHS.renew, ({ body }) => renew(body))
      .add('GET', PATHS.info, (): AgentInfo => ({
        kernel: release(),
        uname: `${type()} ${hostname()} ${release()} ${version()} ${machine()}`,
        hostname: hostname(),
        node: process.version,
        pid: process.pid,
        cpuMs: cpuMsSince(cpuSince),
      }))
      // Sockets the test drives call by call.
      .add('POST', PATHS.sockets, ({ body }) => {
        const family = RequestFields.of(body).oneOf('family', ['ipv4', 'ipv6'] as const);
        if (family === 'ipv6') sampler.noteIpv6();
        return { id: sockets.create(family) };
      })
      .add('GET', PATHS.socketOptions, ({ ids }) => sockets.options(id(ids)))
      .add('POST', PATHS.socketOptions, ({ ids, body }) => {
        const fields = RequestFields.of(body);
        const linger = fields.has('linger') ? fields.object('linger') : undefined;
        const keepalive = fields.has('keepalive') ? fields.object('keepalive') : undefined;
        sockets.setOptions(id(ids), {
          reuseAddr: fields.optionalBoolean('reuseAddr'),
          reusePort: fields.optionalBoolean('reusePort'),
          v6Only: fields.optionalBoolean('v6Only'),
          linger:
            linger === undefined
              ? undefined
              : {
                  enabled: linger.boolean('enabled'),
                  seconds: linger.integer('seconds', 0, 65535),
                },
          // The kernel's own bounds: TCP_KEEPIDLE and TCP_KEEPINTVL up to 32767 s, TCP_KEEPCNT up to 127.
          keepalive:
            keepalive === undefined
              ? undefined
              : {
                  enabled: keepalive.boolean('enabled'),
                  idleSeconds: keepalive.integer('idleSeconds', 1, 32767),
                  intervalSeconds: keepalive.integer('intervalSeconds', 1, 32767),
                  count: keepalive.integer('count', 1, 127),
                },
          userTimeoutMs: fields.optionalInteger('userTimeoutMs', 0, 2 ** 31 - 1),
        });
        return sockets.options(id(ids));
      })
      .add('POST', PATHS.socketBind, ({ ids, body }) => {
        const fields = RequestFields.of(body);
        const socket = sockets.get(id(ids));
        socket.bind({
          address: fields.string('address', 64),
          port: fields.integer('port', 0, PORT_MAX),
        });
        return { local: socket.localAddress() };
      })
      .add('POST', PATHS.socketListen, ({ ids, body }) => {
        sockets.get(id(ids)).listen(RequestFields.of(body).integer('backlog', -1, 1 << 20));
        return {};
      })
      .add('POST', PATHS.socketAccept, ({ ids }) => sockets.accept(id(ids)))
      .add('POST', PATHS.socketConnect, ({ ids, body }) => {
        const fields = RequestFields.of(body);
        const status = sockets.get(id(ids)).connect({
          address: fields.string('address', 64),
          port: fields.integer('port', 1, PORT_MAX),
        });
        return { status };
      })
      .add('GET', PATHS.socketStatus, ({ ids }) => sockets.status(id(ids)))
      .add('POST', PATHS.socketSend, ({ ids, body }) => ({
        bytes: sockets.get(id(ids)).send(RequestFields.of(body).string('text', 60_000)),
      }))
      .add('POST', PATHS.socketRecv, ({ ids, body }) => {
        const fields = RequestFields.of(body);
        return sockets.recv(id(ids), fields.optionalInteger('maxBytes', 1, 1 << 20) ?? 65536);
      })
      .add('POST', PATHS.socketShutdown, ({ ids, body }) => {
        const how = RequestFields.of(body).oneOf('how', ['read', 'write', 'both'] as const);
        sockets.get(id(ids)).shutdown(how);
        return {};
      })
      .add('POST', PATHS.closeInOrder, ({ body }) => {
        const list = RequestFields.of(body).integerArray('ids', 1, 1e9);
        return { spreadUs: sockets.closeInOrder(list) };
      })
      .add('POST', PATHS.socketClose, ({ ids }) => sockets.close(id(ids)))
      // The two minimal programs (and the inspector), run as processes of the target.
      .add('POST', PATHS.programs, ({ body }) => {
        const fields = RequestFields.of(body);
        return programs.start(
          fields.oneOf('program', PROGRAMS),
          fields.stringArray('args'),
          fields.optionalInteger('uid', 0, 65_534),
          fields.has('cwd') ? fields.string('cwd', 1024) : undefined,
        );
      })
      .add('GET', PATHS.program, ({ ids, query }) =>
        programs.state(
          id(ids),
          queryInteger(query, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0,
          queryInteger(query, 'waitMs', 0, MAX_WAIT_MS) ?? 0,
        ),
      )
      .add('POST', PATHS.programSignal, ({ ids, body }) => {
        programs.signal(id(ids), RequestFields.of(body).oneOf('signal', SIGNALS));
        return {};
      })
      // The kernel's socket table, its changes, and waits on it.
      .add('GET', PATHS.tcp, ({ query }) => {
        const snapshot = sampler.snapshot();
        const entries = filterEntries(snapshot.entries, queryFilter(query));
        if (query.get('processes') !== '1') return { time: snapshot.time, entries };
        const owners = socketOwners();
        return {
          time: snapshot.time,
          entries: entries.map((entry) => ({ ...entry, owners: owners.get(entry.inode) ?? [] })),
        };
      })
      .add('POST', PATHS.tcpWait, ({ body }) => sampler.wait(waitRequest(RequestFields.of(body))))
      .add('GET', PATHS.tcpChanges, ({ query }) =>
        sampler.changesSince(
          queryInteger(query, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0,
          queryInteger(query, 'waitMs', 0, MAX_WAIT_MS) ?? 0,
        ),
      )
      .add('GET', PATHS.sysctls, ({ query }) => {
        const prefix = query.get('prefix');
        if (prefix !== null) {
          if (!/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(prefix)) {
            throw badRequest("'prefix' must be a sysctl group like net or net.ipv4");
          }
          return { values: readSysctlTree(prefix) };
        }
        const names = (query.get('names') ?? '').split(',').filter((name) => name !== '');
        if (names.length === 0 || !names.every((name) => SYSCTL_NAME.test(name))) {
          throw badRequest("'names' must be a comma-separated list like net.ipv4.tcp_fin_timeout");
        }
        return { values: Object.fromEntries(names.map((name) => [name, requestedSysctl(name)])) };
      })
      .add('GET', PATHS.counters, () => ({ tcpExt: readTcpExtCounters() }))
      // Segments dropped on purpose.
      .add('GET', PATHS.drops, () => firewall.list().then((rules) => ({ rules })))
      .add('POST', PATHS.drops, ({ body }) => firewall.add(dropRule(RequestFields.of(body))))
      .add('DELETE', PATHS.drop, ({ ids }) => firewall.remove(id(ids)).then(() => ({})))
      // Packet captures (tcpdump on the loopback interface).
      .add('POST', PATHS.captures, async ({ body }) => ({
        id: await captures.start(RequestFields.of(body).integer('port', 1, PORT_MAX)),
      }))
      .add('GET', PATHS.capture, ({ ids }) => captures.segments(id(ids)))
      .add('POST', PATHS.captureStop, ({ ids }) => captures.stop(id(ids)))
      .add('GET', PATHS.capturePcap, ({ ids }) => captures.pcap(id(ids)))
      // Files handed to the target: a fresh folder, then batches of files written into it.
      .add('POST', PATHS.files, () => files.create())
      .add('POST', PATHS.fileBatch, ({ ids, body }) => files.write(id(ids), fileBatch(body)))
  );
}

/**
 * One sysctl's value for a request; undefined when the kernel has none by that name. A name that is a group of
 * sysctls is the request's mistake (400); a sysctl the kernel will not read out (write-only, or EIO as
 * net.ipv6.conf.*.stable_secret gives while unset) is the kernel's answer: 422 with the errno, as for sockets.
 */
function requestedSysctl(name: string): string | undefined {
  try {
    return readSysctl(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'EISDIR') throw badRequest(`'${name}' is a group of sysctls, not one sysctl`);
    throw new HttpError(422, code, `reading sysctl ${name} failed: ${code}`);
  }
}

function queryInteger(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw badRequest(`'${name}' must be an integer from ${min} to ${max}`);
  }
  return value;
}

function queryFilter(query: URLSearchParams): SocketFilter {
  const states = query.get('state');
  return {
    state: states === null ? undefined : states.split(',').map(tcpState),
    localPort: queryInteger(query, 'localPort', 0, PORT_MAX),
    remotePort: queryInteger(query, 'remotePort', 0, PORT_MAX),
  };
}

function tcpState(name: string): TcpState {
  if (!(TCP_STATES as readonly string[]).includes(name)) {
    throw badRequest(`unknown TCP state '${name}'; the states are ${TCP_STATES.join(', ')}`);
  }
  return name as TcpState;
}

function socketFilter(fields: RequestFields): SocketFilter {
  const state = fields.has('state') ? fields.stringArray('state', TCP_STATES.length) : [];
  return {
    state: state.length > 0 ? state.map(tcpState) : undefined,
    localPort: fields.optionalInteger('localPort', 0, PORT_MAX),
    remotePort: fields.optionalInteger('remotePort', 0, PORT_MAX),
    localAddress: fields.has('localAddress') ? fields.string('localAddress', 64) : undefined,
    remoteAddress: fields.has('remoteAddress') ? fields.string('remoteAddress', 64) : undefined,
  };
}

function waitRequest(fields: RequestFields): WaitRequest {
  return {
    filter: socketFilter(fields.object('filter')),
    count: fields.optionalInteger('count', 1, 100_000),
    absent: fields.optionalBoolean('absent'),
    timeoutMs: fields.integer('timeoutMs', 0, MAX_WAIT_MS),
  };
}

function dropRule(fields: RequestFields): DropRule {
  return {
    sourcePort: fields.optionalInteger('sourcePort', 1, PORT_MAX),
    destinationPort: fields.optionalInteger('destinationPort', 1, PORT_MAX),
    segments: fields.oneOf('segments', ['fin', 'ack-only', 'rst', 'any'] as const),
  };
}

/** CPU time (user + system) of this process since `since`, in ms. */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return Math.round((user + system) / 1000);
}
