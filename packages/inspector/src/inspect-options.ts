import {
  numberFlag,
  parseFlags,
  readOptions,
  UsageError,
  type OptionsResult,
} from '@sockspec/command-line';
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

export type InspectArgs = OptionsResult<InspectOptions>;

const FLAGS = {
  json: { type: 'boolean' },
  port: { type: 'string' },
  'local-port': { type: 'string' },
  state: { type: 'string', multiple: true },
  pid: { type: 'string' },
  processes: { type: 'boolean' },
  watch: { type: 'string' },
} as const;

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
  return readOptions(() => {
    const { values, positionals } = parseFlags(argv, FLAGS);
    if (values.help === true) return 'help';
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const stateList = states(values.state ?? []);
    return {
      json: values.json === true,
      // A socket in the table never has local port 0, and remote port 0 is every listener's '*'.
      port: numberFlag(values.port, 'port', { min: 1, max: 65535 }),
      localPort: numberFlag(values['local-port'], 'local-port', { min: 1, max: 65535 }),
      states: stateList.length > 0 ? stateList : undefined,
      pid: numberFlag(values.pid, 'pid', { min: 1, max: 2 ** 22 }),
      processes: values.processes === true,
      watchMs: numberFlag(values.watch, 'watch', { min: 1, max: 3_600_000 }),
    };
  });
}
