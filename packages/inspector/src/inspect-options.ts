import { parseArgs } from 'node:util';
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

const FLAGS = {
  json: { type: 'boolean' },
  port: { type: 'string' },
  'local-port': { type: 'string' },
  state: { type: 'string', multiple: true },
  pid: { type: 'string' },
  processes: { type: 'boolean' },
  watch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A bad command line; its message is shown to the user as is. */
class UsageError extends Error {}

/**
 * The word after a value-taking flag is its value even if it starts with a dash (`--port -1`, refused by the
 * range check), which parseArgs would refuse as ambiguous: it becomes `--port=-1`.
 */
function attachValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const takesValue =
      Object.hasOwn(FLAGS, name) && FLAGS[name as keyof typeof FLAGS].type === 'string';
    args.push(takesValue && i + 1 < argv.length ? `${arg}=${argv[++i]}` : arg);
  }
  return args;
}

function integer(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}

function states(texts: readonly string[]): TcpState[] {
  return texts.flatMap((text) =>
    text.split(',').map((name) => {
      const state = normalizeStateName(name);
      if (state === undefined) throw new UsageError(`unknown state '${name}'`);
      return state;
    }),
  );
}

/** Pure: argv to options, or the first mistake. */
export function parseInspectArgs(argv: readonly string[]): InspectArgs {
  try {
    // No positionals: parseArgs refuses them itself, naming the first.
    const { values } = parseArgs({ args: attachValues(argv), options: FLAGS, strict: true });
    if (values.help === true) return { ok: 'help' };
    const stateList = states(values.state ?? []);
    return {
      ok: true,
      options: {
        json: values.json === true,
        // A socket in the table never has local port 0, and remote port 0 is every listener's '*'.
        port: integer(values.port, 'port', 1, 65535),
        localPort: integer(values['local-port'], 'local-port', 1, 65535),
        states: stateList.length > 0 ? stateList : undefined,
        pid: integer(values.pid, 'pid', 1, 2 ** 22),
        processes: values.processes === true,
        watchMs: integer(values.watch, 'watch', 1, 3_600_000),
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS_')) {
      return { ok: false, error: (error as Error).message };
    }
    throw error;
  }
}
