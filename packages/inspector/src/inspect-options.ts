import { normalizeStateName, type TcpState } from './tcp-state';

export interface InspectOptions {
  readonly json: boolean;
  /** Keep sockets with this local or remote port. */
  readonly port?: number;
  readonly localPort?: number;
  readonly states?: readonly TcpState[];
  /** Read this process's network namespace. */
  readonly pid?: number;
  /** Show which processes own each socket. */
  readonly processes: boolean;
  /** Poll every this many ms and print each state change. */
  readonly watchMs?: number;
}

export const INSPECT_USAGE = `Usage: sockspec-inspect [options]

Reads the kernel's TCP table from /proc/net/tcp and /proc/net/tcp6, like ss -tan.
State names are the kernel's: ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE
CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV.

Options:
  --json               print one JSON array (with --watch: one JSON object per change)
  --port N             only sockets with local or remote port N (1 to 65535)
  --local-port N       only sockets with local port N (1 to 65535)
  --state NAME[,NAME]  only sockets in these states (repeatable; fin_wait_2, FIN-WAIT-2 also work)
  --pid PID            read the network namespace of process PID
  --processes          show the processes that own each socket
  --watch MS           poll every MS ms and print each state change with a timestamp
  --help               show this text
`;

export type InspectArgs =
  { ok: true; options: InspectOptions } | { ok: false; error: string } | { ok: 'help' };

function integer(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | string {
  if (text === undefined) return `${flag} needs a value`;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    return `${flag} must be an integer from ${min} to ${max}, not '${text}'`;
  }
  return Number(text);
}

/** Pure: argv to options, or the first mistake. */
export function parseInspectArgs(argv: readonly string[]): InspectArgs {
  let json = false;
  let processes = false;
  let port: number | undefined;
  let localPort: number | undefined;
  let pid: number | undefined;
  let watchMs: number | undefined;
  const states: TcpState[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const numeric = (min: number, max: number): number | string =>
      integer(argv[++i], flag, min, max);
    switch (flag) {
      case '--help':
      case '-h':
        return { ok: 'help' };
      case '--json':
        json = true;
        break;
      case '--processes':
        processes = true;
        break;
      case '--port':
      case '--local-port':
      case '--pid':
      case '--watch': {
        const limits: Record<string, [number, number]> = {
          // A socket in the table never has local port 0, and remote port 0 is every listener's '*'.
          '--port': [1, 65535],
          '--local-port': [1, 65535],
          '--pid': [1, 2 ** 22],
          '--watch': [1, 3_600_000],
        };
        const [min, max] = limits[flag] as [number, number];
        const value = numeric(min, max);
        if (typeof value === 'string') return { ok: false, error: value };
        if (flag === '--port') port = value;
        else if (flag === '--local-port') localPort = value;
        else if (flag === '--pid') pid = value;
        else watchMs = value;
        break;
      }
      case '--state': {
        const text = argv[++i];
        if (text === undefined) return { ok: false, error: '--state needs a value' };
        for (const name of text.split(',')) {
          const state = normalizeStateName(name);
          if (state === undefined) return { ok: false, error: `unknown state '${name}'` };
          states.push(state);
        }
        break;
      }
      default:
        return { ok: false, error: `unknown option '${flag}'` };
    }
  }
  return {
    ok: true,
    options: {
      json,
      port,
      localPort,
      states: states.length > 0 ? states : undefined,
      pid,
      processes,
      watchMs,
    },
  };
}
