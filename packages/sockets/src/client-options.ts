import type { ShutdownHow } from './socket';
import {
  numberFlag,
  parseFlags,
  readOptions,
  wordFlag,
  type OptionsResult,
} from '@sockspec/command-line';
import { noMoreArgs, parseAddress, parsePort } from './parse-args';

/** What sockspec-client does: the telnet role of the article, with every step an option. */
export interface ClientOptions {
  readonly address: string;
  readonly port: number;
  /** Connections to open, all started at once (default 1). */
  readonly count: number;
  /** Text to send once connected. */
  readonly send?: string;
  /** shutdown() this direction after connecting (and sending). */
  readonly shutdown?: ShutdownHow;
  /** Close each connection this many seconds after it connected; undefined: keep it until the process ends. */
  readonly closeAfterSeconds?: number;
  /** Close each connection as soon as the peer's FIN is read: the peer closes first, whatever the timing. */
  readonly closeOnEof: boolean;
  /** SO_LINGER {on, seconds} before close (0: close() sends RST). */
  readonly lingerSeconds?: number;
  readonly reuseAddr: boolean;
}

export const CLIENT_USAGE = `Usage: sockspec-client <ip> <port> [options]

The telnet role: connects, optionally sends, shuts down or closes, and reports what the kernel did.
Prints one JSON line per event: connecting, connected, sent, shutdown, received, eof, closed, error, exiting.

Options:
  --count N              open N connections at once (default 1)
  --send TEXT            send TEXT once connected
  --shutdown write       shutdown(SHUT_WR) after connecting (and sending); also: read, both
  --close-after SECONDS  close each connection SECONDS after it connected, once it has read what
                         arrived, so the close sends FIN, not RST (default: keep it open)
  --close-on-eof         close each connection once the peer's FIN is read (the peer closes first)
  --linger SECONDS       set SO_LINGER {on, SECONDS} before closing (0: close() sends RST)
  --reuseaddr            set SO_REUSEADDR before connecting
  --help                 show this text

Example: sockspec-client 127.0.0.1 9000 --count 5
`;

const FLAGS = {
  count: { type: 'string' },
  send: { type: 'string' },
  shutdown: { type: 'string' },
  'close-after': { type: 'string' },
  'close-on-eof': { type: 'boolean' },
  linger: { type: 'string' },
  reuseaddr: { type: 'boolean' },
} as const;

const SHUTDOWN_HOWS: readonly ShutdownHow[] = ['read', 'write', 'both'];

export function parseClientArgs(argv: readonly string[]): OptionsResult<ClientOptions> {
  return readOptions(() => {
    const { values, positionals } = parseFlags(argv, FLAGS);
    if (values.help === true) return 'help';
    const count = numberFlag(values.count, 'count', { min: 1, max: 10_000 }) ?? 1;
    const shutdown = wordFlag(values.shutdown, 'shutdown', SHUTDOWN_HOWS);
    const closeAfterSeconds = numberFlag(values['close-after'], 'close-after', {
      min: 0,
      max: 86_400,
      integer: false,
    });
    const lingerSeconds = numberFlag(values.linger, 'linger', { min: 0, max: 65_535 });
    const [addressText, portText, ...extra] = positionals;
    noMoreArgs(extra);
    return {
      address: parseAddress(addressText, 'ip'),
      port: parsePort(portText, 'port', 1),
      count,
      send: values.send,
      shutdown,
      closeAfterSeconds,
      closeOnEof: values['close-on-eof'] === true,
      lingerSeconds,
      reuseAddr: values.reuseaddr === true,
    };
  });
}
