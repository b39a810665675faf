/**
 * TCP states by the kernel's own names: include/net/tcp_states.h without the `TCP_` prefix, so FIN_WAIT2 (not
 * FIN-WAIT-2 as ss prints it, nor FIN_WAIT_2 as netstat does). The index is the hex code /proc/net/tcp prints.
 */
export const TCP_STATES = [
  'ESTABLISHED', // 01
  'SYN_SENT', // 02
  'SYN_RECV', // 03
  'FIN_WAIT1', // 04
  'FIN_WAIT2', // 05
  'TIME_WAIT', // 06
  'CLOSE', // 07
  'CLOSE_WAIT', // 08
  'LAST_ACK', // 09
  'LISTEN', // 0A
  'CLOSING', // 0B
  'NEW_SYN_RECV', // 0C
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/** The state for /proc/net/tcp's `st` code (1 to 12), or undefined. */
export function stateFromCode(code: number): TcpState | undefined {
  return TCP_STATES[code - 1];
}

/** Reads a state name the way people write it: `fin_wait_2`, `FIN-WAIT-2`, `estab` and `time-wait` all work. */
export function normalizeStateName(text: string): TcpState | undefined {
  const upper = text.trim().toUpperCase().replace(/-/g, '_');
  if (upper === 'ESTAB') return 'ESTABLISHED';
  const squeezed = upper.replace(/^FIN_WAIT_(\d)$/, 'FIN_WAIT$1');
  return (TCP_STATES as readonly string[]).includes(squeezed) ? (squeezed as TcpState) : undefined;
}
