import { isIP, isIPv6 } from 'node:net';
import { constants } from 'node:os';
import { argsOf, UsageError, wholeNumber } from './command';

/** The checks `sockspec check` can make, in the order it makes them. */
export const CHECK_NAMES = ['close-wait', 'burst', 'restart', 'shutdown'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
/** The checks that stop and start the server: only a server image can be started again beside the agent. */
const IMAGE_ONLY: readonly CheckName[] = ['restart', 'shutdown'];

/** The server under check: an image run beside the agent, or a command run in a copy of the current folder. */
export type CheckedServer =
  | { readonly kind: 'image'; readonly image: string; readonly args?: readonly string[] }
  | { readonly kind: 'folder'; readonly command: readonly string[] };

/** What a `sockspec check` command line asks for. */
export interface CheckPlan {
  readonly server: CheckedServer;
  /** The address the clients connect to in the target: 127.0.0.1 unless --host names another (::1, ...). */
  readonly host: string;
  /** The server's port; with an image it may come from the image's one exposed port (undefined here). */
  readonly port: number | undefined;
  readonly clients: number;
  readonly holdSeconds: number;
  /** Connections the burst check opens at once. */
  readonly burst: number;
  /** The signal that stops the server; undefined: the image's STOPSIGNAL, else SIGTERM. */
  readonly stopSignal: string | undefined;
  /** The checks to make, in CHECK_NAMES's order. */
  readonly checks: readonly CheckName[];
  readonly json: boolean;
}

/** Reads a `sockspec check` command line; a mistake in it is a UsageError. Pure. */
export function checkPlan(args: readonly string[]): CheckPlan {
  const { values, positionals } = argsOf(
    args,
    {
      image: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      clients: { type: 'string' },
      hold: { type: 'string' },
      burst: { type: 'string' },
      'stop-signal': { type: 'string' },
      checks: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  const image = values.image as string | undefined;
  if (image === '') throw new UsageError('--image needs the name of an image');
  if (image === undefined && values.port === undefined) throw new UsageError('--port is required');
  const port =
    values.port === undefined
      ? undefined
      : wholeNumber(values.port, 'port', { min: 1, max: 65535, fallback: 0 });
  const server: CheckedServer =
    image === undefined
      ? { kind: 'folder', command: folderCommand(positionals) }
      : { kind: 'image', image, ...(positionals.length > 0 ? { args: positionals } : {}) };
  if (server.kind === 'folder' && values['stop-signal'] !== undefined) {
    throw new UsageError('--stop-signal stops a server image: it needs --image');
  }
  return {
    server,
    host: hostAddress(values.host as string | undefined),
    port,
    clients: wholeNumber(values.clients, 'clients', { min: 1, max: 10_000, fallback: 20 }),
    holdSeconds: wholeNumber(values.hold, 'hold', { min: 0, max: 3600, fallback: 5 }),
    burst: wholeNumber(values.burst, 'burst', { min: 1, max: 10_000, fallback: 200 }),
    stopSignal: signalName(values['stop-signal'] as string | undefined),
    checks: checkNames(values.checks as string | undefined, server.kind),
    json: values.json === true,
  };
}

function folderCommand(positionals: readonly string[]): readonly string[] {
  if (positionals.length === 0) {
    throw new UsageError(
      "missing the server's command after --, e.g. -- node server.js --port 8080 (or --image IMAGE)",
    );
  }
  return positionals;
}

/** The clients' address: an IPv4 or IPv6 address, as sockspec-client takes it (no host names). */
function hostAddress(text: string | undefined): string {
  if (text === undefined) return '127.0.0.1';
  if (isIP(text) === 0) {
    throw new UsageError(
      `--host must be an IPv4 or IPv6 address (127.0.0.1, ::1, ...), not '${text}'`,
    );
  }
  return text;
}

/** `127.0.0.1:80`, `[::1]:80`. */
export function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `TERM`, `sigterm` or `SIGTERM` as SIGTERM; a name Node does not know is a UsageError. */
export function signalName(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (!(name in constants.signals)) {
    throw new UsageError(`--stop-signal must name a signal (SIGTERM, SIGQUIT, ...), not '${text}'`);
  }
  return name;
}

/** The checks named by `--checks a,b`, in CHECK_NAMES's order; default: every one that applies to the server. */
export function checkNames(
  text: string | undefined,
  server: CheckedServer['kind'],
): readonly CheckName[] {
  const applies = (name: CheckName): boolean => server === 'image' || !IMAGE_ONLY.includes(name);
  if (text === undefined) return CHECK_NAMES.filter(applies);
  const asked = text.split(',').map((name) => name.trim());
  for (const name of asked) {
    if (!(CHECK_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`--checks takes ${CHECK_NAMES.join(', ')}, not '${name}'`);
    }
    if (!applies(name as CheckName)) {
      throw new UsageError(`--checks ${name} stops and starts the server again: it needs --image`);
    }
  }
  return CHECK_NAMES.filter((name) => asked.includes(name));
}
