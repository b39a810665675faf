import { endianness } from 'node:os';

/** What the kernel holds of one TCP socket when it prints its line of /proc/net/tcp: raw numbers, addresses as bytes. */
export interface KernelTcpSocket {
  readonly family: 'ipv4' | 'ipv6';
  /** include/net/tcp_states.h: 1 (TCP_ESTABLISHED) to 12 (TCP_NEW_SYN_RECV). */
  readonly stateCode: number;
  /** In network byte order: 4 bytes for ipv4, 16 for ipv6. */
  readonly localAddress: Uint8Array;
  readonly localPort: number;
  readonly remoteAddress: Uint8Array;
  readonly remotePort: number;
  readonly txQueue: number;
  readonly rxQueue: number;
  /** `tr`: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe. */
  readonly timerCode: number;
  /** `tm->when`: what is left on the timer, in USER_HZ ticks (clock_t, 100 a second). */
  readonly timerTicks: number;
  readonly retransmits: number;
  readonly uid: number;
  /** icsk_probes_out (or a request's retransmissions), printed in the `timeout` column. */
  readonly timeouts: number;
  readonly inode: number;
}

const TIME_WAIT = 6;
const SYN_RECV = 3;
const NEW_SYN_RECV = 12;
/** tcp4 lines are padded with spaces to this width (seq_setwidth(seq, TMPSZ - 1), TMPSZ 150); tcp6 ones are not. */
const TCP4_LINE_WIDTH = 149;

export const TCP4_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'.padEnd(
    TCP4_LINE_WIDTH,
  );
export const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

const hex = (value: number, width: number): string =>
  value.toString(16).toUpperCase().padStart(width, '0');

/**
 * `%08X` of a `__be32`: the four bytes read as the CPU holds a 32-bit word. On little-endian machines the bytes
 * come out reversed, so 127.0.0.1 prints as 0100007F.
 */
function hostOrderWord(bytes: Uint8Array, offset: number): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = endianness() === 'LE' ? view.readUInt32LE(offset) : view.readUInt32BE(offset);
  return hex(word, 8);
}

/** `%08X:%04X` (tcp4) or `%08X%08X%08X%08X:%04X` (tcp6): the address word by word, the port as a number (ntohs). */
function endpoint(address: Uint8Array, port: number): string {
  let words = '';
  for (let offset = 0; offset < address.length; offset += 4)
    words += hostOrderWord(address, offset);
  return `${words}:${hex(port, 4)}`;
}

/**
 * The line the kernel prints for the socket, as slot `slot`: net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c,
 *
 *   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %lu %lu %u %u %d"
 *
 * for a full socket, with the shorter tails of a TIME_WAIT socket (get_timewait4_sock: `%d %d %pK` after the
 * timeout) and of a connection request (get_openreq4: `%u %d %pK`). The fields after the inode (reference count,
 * the socket's address hidden by kptr_restrict, rto, ato, quick ack, cwnd, ssthresh) get fixed plausible values.
 */
export function formatKernelTcpLine(slot: number, socket: KernelTcpSocket): string {
  const head = [
    `${String(slot).padStart(4)}:`,
    endpoint(socket.localAddress, socket.localPort),
    endpoint(socket.remoteAddress, socket.remotePort),
    hex(socket.stateCode, 2),
    `${hex(socket.txQueue, 8)}:${hex(socket.rxQueue, 8)}`,
    `${hex(socket.timerCode, 2)}:${hex(socket.timerTicks, 8)}`,
    hex(socket.retransmits, 8),
    String(socket.uid).padStart(5),
    String(socket.timeouts).padStart(8),
    String(socket.inode),
  ].join(' ');
  const hiddenPointer = '0000000000000000';
  const tail =
    socket.stateCode === TIME_WAIT
      ? `3 ${hiddenPointer}`
      : socket.stateCode === SYN_RECV || socket.stateCode === NEW_SYN_RECV
        ? `0 ${hiddenPointer}`
        : `1 ${hiddenPointer} 20 4 30 10 -1`;
  const line = `${head} ${tail}`;
  return socket.family === 'ipv4' ? line.padEnd(TCP4_LINE_WIDTH) : line;
}
