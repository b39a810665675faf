import type { ShutdownHow } from './socket';
import { parseAddress, parseArgs, parsePort, type FlagSpec } from './parse-args';
import type { OptionsResult } from './server-options';

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
  --close-after SECONDS  close each connection SECONDS after it connected (default: keep it open)
  --close-on-eof         close each connection once the peer's FIN is read (the peer closes first)
  --linger SECONDS       set SO_LINGER {on, SECONDS} before closing (0: close() sends RST)
  --reuseaddr            set SO_REUSEADDR before connecting
  --help                 show this text

Example: sockspec-client 127.0.0.1 9000 --count 5
`;

const SPEC: Readonly<Record<string, FlagSpec>> = {
  count: { kind: 'number', min: 1, max: 10_000 },
  send: { kind: 'text' },
  shutdown: { kind: 'word', words: ['read', 'write', 'both'] },
  'close-after': { kind: 'number', min: 0, max: 86_400, integer: false },
  'close-on-eof': { kind: 'switch' },
  linger: { kind: 'number', min: 0, max: 65_535 },
  reuseaddr: { kind: 'switch' },
};

export function parseClientArgs(argv: readonly string[]): OptionsResult<ClientOptions> {
  const parsed = parseArgs(argv, SPEC);
  if (!parsed.ok) return parsed;
  if (parsed.help) return { ok: 'help' };
  const [addressText, portText, ...extra] = parsed.positional;
  if (extra.length > 0) return { ok: false, error: `unexpected argument '${extra[0]}'` };
  const address = parseAddress(addressText, 'ip');
  if (typeof address !== 'string') return { ok: false, error: address.error };
  const port = parsePort(portText);
  if (typeof port === 'string') return { ok: false, error: port };
  if (port === 0) {
    return { ok: false, error: "port must be from 1 to 65535 to connect to it, not '0'" };
  }
  const { flags } = parsed;
  return {
    ok: true,
    options: {
      address,
      port,
      count: (flags.count as number | undefined) ?? 1,
      send: flags.send as string | undefined,
      shutdown: flags.shutdown as ShutdownHow | undefined,
      closeAfterSeconds: flags['close-after'] as number | undefined,
      closeOnEof: flags['close-on-eof'] === true,
      lingerSeconds: flags.linger as number | undefined,
      reuseAddr: flags.reuseaddr === true,
    },
  };
}
