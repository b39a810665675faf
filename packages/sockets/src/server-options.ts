import { numberFlag, parseFlags, readOptions, type OptionsResult } from '@sockspec/command-line';
import { noMoreArgs, parseAddress, parsePort } from './parse-args';

export type { OptionsResult };

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

const FLAGS = {
  backlog: { type: 'string' },
  'no-accept': { type: 'boolean' },
  'close-after': { type: 'string' },
  reuseaddr: { type: 'boolean' },
  reuseport: { type: 'boolean' },
  linger: { type: 'string' },
} as const;

export function parseServerArgs(argv: readonly string[]): OptionsResult<ServerOptions> {
  return readOptions(() => {
    const { values, positionals } = parseFlags(argv, FLAGS);
    if (values.help === true) return 'help';
    const backlog = numberFlag(values.backlog, 'backlog', { min: -1, max: 1 << 20 }) ?? 2;
    const closeAfterSeconds = numberFlag(values['close-after'], 'close-after', {
      min: 0,
      max: 86_400,
      integer: false,
    });
    const lingerSeconds = numberFlag(values.linger, 'linger', { min: 0, max: 65_535 });
    const [portText, addressText, ...extra] = positionals;
    noMoreArgs(extra);
    return {
      port: parsePort(portText),
      address: parseAddress(addressText ?? '0.0.0.0', 'ip'),
      backlog,
      accept: values['no-accept'] !== true,
      closeAfterSeconds,
      reuseAddr: values.reuseaddr === true,
      reusePort: values.reuseport === true,
      lingerSeconds,
    };
  });
}
