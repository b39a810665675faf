import type { TcpState } from './tcp-state';

export interface Endpoint {
  /** Text form: `127.0.0.1`, `::1`, `::ffff:127.0.0.1`. */
  readonly address: string;
  readonly port: number;
}

/** /proc/net/tcp's `tr` field: which timer runs on the socket. */
export type TimerKind = 'none' | 'retransmit' | 'keepalive' | 'time-wait' | 'zero-window-probe';

export interface TcpTimer {
  readonly kind: TimerKind;
  /** Time left on it, in ms (the kernel prints USER_HZ ticks of 10 ms). */
  readonly remainingMs: number;
}

/** One socket of the kernel's TCP table, as /proc/net/tcp or tcp6 shows it. */
export interface TcpSocketEntry {
  readonly family: 'ipv4' | 'ipv6';
  readonly state: TcpState;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /**
   * Bytes not yet acknowledged by the peer. For LISTEN procfs prints 0 here; the backlog limit that `ss` shows as
   * a listener's Send-Q comes from netlink (sk_max_ack_backlog) and is not in /proc/net/tcp.
   */
  readonly txQueue: number;
  /** Bytes not yet read by the application; for LISTEN, connections waiting in the accept queue. */
  readonly rxQueue: number;
  readonly timer: TcpTimer;
  /** Unrecovered retransmissions (icsk_retransmits; for LISTEN, 0). */
  readonly retransmits: number;
  readonly uid: number;
  /** Unanswered probes or retransmission timeouts (icsk_probes_out / RTO count). */
  readonly timeouts: number;
  /** The socket's inode: the link from a process's fd to this entry; 0 for TIME_WAIT and NEW_SYN_RECV. */
  readonly inode: number;
}
