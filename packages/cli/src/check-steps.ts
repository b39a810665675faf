import type { ImageServer, RemoteProgram, Target } from '@sockspec/testkit';
import { hostPort } from './check-args';
import type { BurstReading } from './check-burst';
import type { CloseWaitReading } from './check-close-wait';
import type { RestartReading, ServerStop } from './check-restart';
import type { ShutdownConnection, ShutdownReading } from './check-shutdown';

/** A check that could not be made (the server never listened, no client got through): not a verdict on a fault. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/** What each client sends: an HTTP/1.1 request, whose lines a line-based server answers as well. */
const REQUEST = 'GET / HTTP/1.1\r\nHost: sockspec\r\n\r\n';
/** A request in flight: its headers never end. */
const HALF_REQUEST = 'GET / HTTP/1.1\r\nHost: sockspec\r\n';
/**
 * Each close-wait client closes this long after it connected: time for the request and the server's answer. An answer
 * that comes later meets a closed socket, which resets the server's end, so it is never in CLOSE_WAIT: on a loaded
 * machine a Node server's answer can take over a second.
 */
const CLIENT_CLOSE_AFTER_SECONDS = 2;
/** How many times slower an emulated VM target runs the server (the testkit's time scale for VMs). */
const VM_SLOWNESS = 4;
/** Each burst connection closes this long after it connected. */
const BURST_CLOSE_AFTER_SECONDS = 1;
/** Connections open when the restart check stops the server: their server sides go to TIME_WAIT. */
const RESTART_CONNECTIONS = 5;
/** Idle connections open when the shutdown check stops the server, beside one in flight. */
const SHUTDOWN_IDLE = 3;
/** Time for the requests and their answers to pass before a stop signal. */
const SETTLE_MS = 500;
/** How long a stopped server gets to end before it is killed: `docker stop`'s own default. */
export const STOP_GRACE_MS = 10_000;
/** How long a server gets to listen, at the start and at a restart (a VM target stretches it). */
export const LISTEN_WITHIN_MS = 30_000;

type ProgramEvent = RemoteProgram['events'][number];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until something listens on the port: the sampler's time of the first sample that showed it. Undefined when
 * the server ended first (`ended` answers how) or nothing listened within the limit.
 */
export async function waitForListener(
  target: Target,
  port: number,
  ended: () => Promise<boolean>,
  withinMs: number,
): Promise<number | undefined> {
  const until = Date.now() + withinMs;
  for (;;) {
    const wait = await target.tryWait({ state: 'LISTEN', localPort: port }, { timeoutMs: 500 });
    if (wait.satisfied) return wait.time;
    if ((await ended()) || Date.now() > until) return undefined;
  }
}

/** Clients that each send a request and close first; then the table and the counters after the hold. */
export async function closeWaitCheck(
  target: Target,
  host: string,
  port: number,
  clients: number,
  holdSeconds: number,
  log: (line: string) => void,
): Promise<CloseWaitReading> {
  const countersBefore = await target.counters();
  const client = await target.startClient([
    host,
    String(port),
    '--count',
    String(clients),
    '--send',
    REQUEST,
    '--close-after',
    // An answer that comes after the close meets a closed socket, which resets: wait as long as the target is slow.
    String(CLIENT_CLOSE_AFTER_SECONDS * (target.kind === 'vm' ? VM_SLOWNESS : 1)),
  ]);
  await client.waitForExit();
  const connected = connectedPorts(client.events).length;
  const clientErrors = errorNames(client.events);
  if (connected === 0) {
    throw new CheckFailed(
      `no client connection got through to ${hostPort(host, port)} (${clientErrors.join(', ') || 'no error reported'}). ` +
        `Hint: the server must accept on ${host} (or all addresses), or --host must name the address it listens on`,
    );
  }
  log(
    `close-wait: ${connected} of ${clients} clients connected and closed; holding ${holdSeconds} s`,
  );
  await sleep(holdSeconds * 1000);
  const [entries, countersAfter] = await Promise.all([target.sockets(), target.counters()]);
  return {
    port,
    clients,
    holdSeconds,
    connected,
    clientErrors,
    entries,
    countersBefore,
    countersAfter,
  };
}

/** `connections` connects at once; the listener's backlog as ss shows it, and the counters around the burst. */
export async function burstCheck(
  target: Target,
  host: string,
  port: number,
  connections: number,
  log: (line: string) => void,
): Promise<BurstReading> {
  const countersBefore = await target.counters();
  const client = await target.startClient([
    host,
    String(port),
    '--count',
    String(connections),
    '--close-after',
    String(BURST_CLOSE_AFTER_SECONDS),
  ]);
  await client.waitForExit();
  const countersAfter = await target.counters();
  const ss = await target.run(['ss', '-Hltn']);
  await ss.waitForExit();
  const somaxconn = await target.sysctl('net.core.somaxconn');
  const connected = connectedPorts(client.events).length;
  log(`burst: ${connected} of ${connections} connects got through`);
  return {
    port,
    connections,
    connected,
    clientErrors: errorNames(client.events),
    listeners: ss.events.map((event) => String(event.text ?? '')).join('\n'),
    somaxconn: somaxconn === undefined ? undefined : Number(somaxconn),
    countersBefore,
    countersAfter,
  };
}

/**
 * Stops the server with its stop signal while connections are open (their server sides go to TIME_WAIT once the
 * clients answer its FIN), starts it again at once, and times the restart's LISTEN. Answers the restarted server,
 * undefined if it never listened.
 */
export async function restartCheck(
  target: Target,
  server: ImageServer,
  host: string,
  port: number,
  signal: string,
  log: (line: string) => void,
): Promise<{ reading: RestartReading; server: ImageServer | undefined }> {
  const clients = await openConnections(target, host, port, RESTART_CONNECTIONS, REQUEST);
  await sleep(SETTLE_MS);
  log(`restart: ${signal} to the server with ${RESTART_CONNECTIONS} connections open`);
  const signalTime = Date.now();
  await server.signal(signal);
  const stop = await stopped(server);
  await clientsEnded(clients);
  const entriesAtRestart = await target.sockets({ localPort: port });
  const again = await server.again();
  const listenTime = await waitForListener(
    target,
    port,
    async () => (await again.exit()) !== undefined,
    LISTEN_WITHIN_MS,
  );
  const restartExit = listenTime === undefined ? await again.exit() : undefined;
  return {
    reading: {
      port,
      signal,
      signalTime,
      stop,
      entriesAtRestart,
      listenTime,
      listenWithinMs: LISTEN_WITHIN_MS,
      restartExitCode: restartExit?.code,
      restartOutput: await again.output(),
    },
    server: listenTime === undefined ? undefined : again,
  };
}

/**
 * Opens idle connections (each request answered) and one in flight (a request half sent), captures the port, sends
 * the stop signal, and reads from the capture how the server ended each, and from the sampler when its listener went.
 */
export async function shutdownCheck(
  target: Target,
  server: ImageServer,
  host: string,
  port: number,
  signal: string,
  log: (line: string) => void,
): Promise<ShutdownReading> {
  const capture = await target.capture(port);
  const idle = await openConnections(target, host, port, SHUTDOWN_IDLE, REQUEST);
  const inFlight = await openConnections(target, host, port, 1, HALF_REQUEST);
  await sleep(SETTLE_MS);
  const connections: ShutdownConnection[] = [
    ...connectedPorts(idle.events).map((clientPort) => ({ kind: 'idle' as const, clientPort })),
    ...connectedPorts(inFlight.events).map((clientPort) => ({
      kind: 'in-flight' as const,
      clientPort,
    })),
  ];
  const { next } = await target.changes();
  log(`shutdown: ${signal} to the server with ${connections.length} connections open`);
  const signalTime = Date.now();
  await server.signal(signal);
  const stop = await stopped(server);
  await Promise.all([clientsEnded(idle), clientsEnded(inFlight)]);
  const segments = await capture.stop();
  const { changes } = await target.changes(next);
  const gone = changes
    .filter(
      (change) => change.from === 'LISTEN' && change.to === null && change.local.port === port,
    )
    .at(-1);
  return {
    port,
    signal,
    signalTime,
    stop,
    connections,
    segments,
    listenerGone: gone && { time: gone.time, previousTime: gone.previousTime },
  };
}

/** `count` connections that send `text` and close once the server's FIN comes; resolves once each has sent. */
async function openConnections(
  target: Target,
  host: string,
  port: number,
  count: number,
  text: string,
): Promise<RemoteProgram> {
  const client = await target.startClient([
    host,
    String(port),
    '--count',
    String(count),
    '--send',
    text,
    '--close-on-eof',
  ]);
  await client.waitForEvents((event) => event.event === 'sent' || event.event === 'error', {
    count,
  });
  if (connectedPorts(client.events).length === 0) {
    throw new CheckFailed(
      `no connection got through to ${hostPort(host, port)} (${errorNames(client.events).join(', ')})`,
    );
  }
  return client;
}

/** Waits for the signalled server to end; kills it once the grace is over. */
async function stopped(server: ImageServer): Promise<ServerStop> {
  const exit = await server.waitForExit(STOP_GRACE_MS);
  if (exit !== undefined) return { ...exit, killed: false, graceMs: STOP_GRACE_MS };
  await server.signal('SIGKILL');
  const killed = await server.waitForExit(STOP_GRACE_MS);
  if (killed === undefined) throw new CheckFailed(`the server ${server.id} outlived SIGKILL`);
  return { ...killed, killed: true, graceMs: STOP_GRACE_MS };
}

/** Waits for clients that close on the server's FIN; ends them if the server left any connection open. */
async function clientsEnded(client: RemoteProgram): Promise<void> {
  try {
    await client.waitForExit(STOP_GRACE_MS);
  } catch {
    await client.stop();
  }
}

/** The local ports of the connections a client made. */
function connectedPorts(events: readonly ProgramEvent[]): number[] {
  return events
    .filter((event) => event.event === 'connected')
    .map((event) => (event.local as { port: number }).port);
}

/** The errno names of failed connections, each once. */
function errorNames(events: readonly ProgramEvent[]): string[] {
  return [
    ...new Set(
      events
        .filter((event) => event.event === 'error')
        .map((event) => String(event.code ?? 'error')),
    ),
  ];
}
