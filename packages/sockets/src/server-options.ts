import { parseAddress, parseArgs, parsePort, type FlagSpec } from './parse-args';

/** What sockspec-server does; every behaviour of the article's tcpServer is an option. */
export interface ServerOptions {
  readonly port: number;
  /** Address to bind (default 0.0.0.0; an IPv6 address makes an IPv6 socket). */
  readonly address: string;
  /** listen()'s backlog (default 2, as in the article). */
  readonly backlog: number;
  /** Never call accept(): connections pile up in the kernel's accept queue. */
  readonly accept: boolean;
  /** Close each accepted connection this many seconds after accepting it; undefined: never close it. */
  readonly closeAfterSeconds?: number;
  readonly reuseAddr: boolean;
  readonly reusePort: boolean;
  /** SO_LINGER on each accepted socket with this timeout (0: close() sends RST). */
  readonly lingerSeconds?: number;
}

export const SERVER_USAGE = `Usage: sockspec-server <port> [ip] [options]

The article's tcpServer: binds, listens, accepts, and never closes a connection unless told to.
Prints one JSON line per event: listening, accepted, received, eof, closed, error, exiting.

Options:
  --backlog N            listen() backlog (default 2)
  --no-accept            never call accept(): connections wait in the kernel's accept queue
  --close-after SECONDS  close each accepted connection SECONDS after accepting it (default: never)
  --reuseaddr            set SO_REUSEADDR before bind()
  --reuseport            set SO_REUSEPORT before bind()
  --linger SECONDS       set SO_LINGER {on, SECONDS} on accepted connections (0: close() sends RST)
  --help                 show this text

Example: sockspec-server 9000 127.0.0.1 --backlog 2 --no-accept
`;

const SPEC: Readonly<Record<string, FlagSpec>> = {
  backlog: { kind: 'number', min: -1, max: 1 << 20 },
  'no-accept': { kind: 'switch' },
  'close-after': { kind: 'number', min: 0, max: 86_400, integer: false },
  reuseaddr: { kind: 'switch' },
  reuseport: { kind: 'switch' },
  linger: { kind: 'number', min: 0, max: 65_535 },
};

export type OptionsResult<T> =
  { ok: true; options: T } | { ok: false; error: string } | { ok: 'help' };

export function parseServerArgs(argv: readonly string[]): OptionsResult<ServerOptions> {
  const parsed = parseArgs(argv, SPEC);
  if (!parsed.ok) return parsed;
  if (parsed.help) return { ok: 'help' };
  const [portText, addressText, ...extra] = parsed.positional;
  if (extra.length > 0) return { ok: false, error: `unexpected argument '${extra[0]}'` };
  const port = parsePort(portText);
  if (typeof port === 'string') return { ok: false, error: port };
  const address = parseAddress(addressText ?? '0.0.0.0', 'ip');
  if (typeof address !== 'string') return { ok: false, error: address.error };
  const { flags } = parsed;
  return {
    ok: true,
    options: {
      port,
      address,
      backlog: (flags.backlog as number | undefined) ?? 2,
      accept: flags['no-accept'] !== true,
      closeAfterSeconds: flags['close-after'] as number | undefined,
      reuseAddr: flags.reuseaddr === true,
      reusePort: flags.reuseport === true,
      lingerSeconds: flags.linger as number | undefined,
    },
  };
}
