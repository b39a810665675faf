import { isIP } from 'node:net';

/**
 * Keeps a fuzzed request from doing anything to the host beyond loopback sockets that talk to each other and
 * short waits. A request that would start a program or a command, a packet capture or a firewall rule, or renew
 * the agent (move it, the test's own process, to a new network namespace) is made invalid (so the agent refuses it
 * before it acts), a wait is cut to {@link LONGEST_FUZZ_WAIT_MS} and a linger time to
 * {@link LONGEST_FUZZ_LINGER_S}, a bind or connect to any
 * address that is not loopback is pointed at loopback, a bind takes a port the kernel picks, and a connect goes to
 * the fuzzing test's own listener (never to another service of the host). The agent reads the request the same
 * way (the same URL parser, the same JSON.parse), so what is defused here is what the agent would have acted on.
 */
export const LONGEST_FUZZ_WAIT_MS = 50;
/**
 * SO_LINGER's time is a wait too: a close() that lingers answers when the kernel gives up on the unsent data, up to
 * that many seconds later. Cut to 1 s, well inside the time the fuzz test gives an answer.
 */
export const LONGEST_FUZZ_LINGER_S = 1;

/** Loopback addresses the fuzzer may bind and connect to, in several spellings. */
export const LOOPBACK_SPELLINGS: readonly string[] = [
  '127.0.0.1',
  '127.1.2.3',
  '::1',
  '0:0:0:0:0:0:0:1',
  '0000:0000::0001',
  '::ffff:127.0.0.1',
  '::1%lo',
];

const PROGRAM_NAMES = ['server', 'client', 'inspect', 'command'];
/** The shortest token POST /v1/renew takes; a renew moves the agent (the test's own process) to a new namespace. */
const SHORTEST_TOKEN = 16;
const DROP_SEGMENTS = ['fin', 'ack-only', 'rst', 'any'];
const OPTIONS_PATH = /^\/v1\/sockets\/\d{1,9}\/options$/;
const SOCKET_ADDRESS_PATH = /^\/v1\/sockets\/\d{1,9}\/(bind|connect)$/;
const CONNECT_PATH = /^\/v1\/sockets\/\d{1,9}\/connect$/;

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function isLongWait(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > LONGEST_FUZZ_WAIT_MS;
}

/** Rewrites the fields of a parsed body that would make it act; true when something changed. */
function defuseFields(path: string, fields: Record<string, unknown>, ownPort: number): boolean {
  const renewDefused = defuseRenewToken(fields);
  return defuseRouteFields(path, fields, ownPort) || renewDefused;
}

/** Cuts a token a renew would take, whatever the path: no spelling of /v1/renew can then move the agent. */
function defuseRenewToken(fields: Record<string, unknown>): boolean {
  if (typeof fields.token !== 'string' || fields.token.length < SHORTEST_TOKEN) return false;
  fields.token = 'too-short';
  return true;
}

/** Rewrites the fields a route reads that would make it act; true when something changed. */
function defuseRouteFields(
  path: string,
  fields: Record<string, unknown>,
  ownPort: number,
): boolean {
  if (path === '/v1/programs' && PROGRAM_NAMES.includes(fields.program as string)) {
    fields.program = 'not-a-program';
    return true;
  }
  if (path === '/v1/firewall/drops' && DROP_SEGMENTS.includes(fields.segments as string)) {
    fields.segments = 'not-a-segment';
    return true;
  }
  if (path === '/v1/captures' && isPort(fields.port)) {
    fields.port = 0;
    return true;
  }
  if (path === '/v1/tcp/wait' && isLongWait(fields.timeoutMs)) {
    fields.timeoutMs = LONGEST_FUZZ_WAIT_MS;
    return true;
  }
  if (OPTIONS_PATH.test(path) && typeof fields.linger === 'object' && fields.linger !== null) {
    const linger = fields.linger as Record<string, unknown>;
    if (typeof linger.seconds === 'number' && linger.seconds > LONGEST_FUZZ_LINGER_S) {
      linger.seconds = LONGEST_FUZZ_LINGER_S;
      return true;
    }
  }
  if (!SOCKET_ADDRESS_PATH.test(path)) return false;
  let changed = false;
  const address = fields.address;
  if (typeof address === 'string' && isIP(address) !== 0 && !LOOPBACK_SPELLINGS.includes(address)) {
    fields.address = isIP(address) === 4 ? '127.0.0.1' : '::1';
    changed = true;
  }
  const port = CONNECT_PATH.test(path) ? ownPort : 0;
  if (isPort(fields.port) && fields.port !== port) {
    fields.port = port;
    changed = true;
  }
  return changed;
}

/**
 * The request target and body to send instead: the same request, unable to act beyond loopback. Bodies are
 * defused whatever the method, so a fault that changes the method later cannot arm one.
 */
export function defuseRequest(
  target: string,
  body: Buffer,
  ownPort: number,
): { target: string; body: Buffer } {
  let url: URL;
  try {
    url = new URL(target, 'http://agent');
  } catch {
    return { target, body }; // not a URL: refused before any route runs
  }
  let defusedTarget = target;
  const waits = url.searchParams.getAll('waitMs');
  if (waits.some((text) => /^\d+$/.test(text) && isLongWait(Number(text)))) {
    url.searchParams.set('waitMs', String(LONGEST_FUZZ_WAIT_MS));
    defusedTarget = `${url.pathname}${url.search}`;
  }
  if (body.length === 0) return { target: defusedTarget, body };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { target: defusedTarget, body };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { target: defusedTarget, body };
  }
  const fields = parsed as Record<string, unknown>;
  return {
    target: defusedTarget,
    body: defuseFields(url.pathname, fields, ownPort) ? Buffer.from(JSON.stringify(fields)) : body,
  };
}
