/** A claim of the article (C) or a question its readers ask next (X), in this project's own words. */
export interface Claim {
  readonly id: string;
  readonly text: string;
}

/** The article's claims C1 to C20 and its readers' next questions X1 to X13, in order (docs/claims.md lists them). */
export const CLAIMS = [
  {
    id: 'C1',
    text: 'Closing takes four segments: a FIN from each side, each acknowledged by the other.',
  },
  {
    id: 'C2',
    text: 'The side that closes first passes FIN_WAIT_1, FIN_WAIT_2 and TIME_WAIT before it is gone.',
  },
  {
    id: 'C3',
    text: 'The side that is closed on passes CLOSE_WAIT and LAST_ACK before it is gone.',
  },
  {
    id: 'C4',
    text: 'Either end may close first; the states follow the role, not client or server.',
  },
  {
    id: 'C5',
    text: 'A passive side that closes at once may send its ACK and FIN together: three segments.',
  },
  {
    id: 'C6',
    text: 'The handshake completes without accept(); accept() only takes a finished connection off a queue.',
  },
  {
    id: 'C7',
    text: 'With listen backlog N and no accept(), N+1 connections complete and the next client waits in SYN_SENT.',
  },
  {
    id: 'C8',
    text: 'A passive side that never calls close() stays in CLOSE_WAIT as long as its process lives.',
  },
  { id: 'C9', text: 'When that process exits, its CLOSE_WAIT sockets go away.' },
  { id: 'C10', text: 'A close() that comes late still ends CLOSE_WAIT, through LAST_ACK.' },
  {
    id: 'C11',
    text: 'Linux limits FIN_WAIT_2 to net.ipv4.tcp_fin_timeout, which the RFC does not.',
  },
  { id: 'C12', text: 'TIME_WAIT lasts about 60 s on Linux, not twice the MSL.' },
  {
    id: 'C13',
    text: 'In TIME_WAIT, a repeated FIN is acknowledged again and the wait starts over.',
  },
  { id: 'C14', text: 'If the last ACK is lost, the LAST_ACK side sends its FIN again.' },
  { id: 'C15', text: 'If a FIN is not acknowledged, FIN_WAIT_1 sends it again.' },
  {
    id: 'C16',
    text: 'A server restarted over its own TIME_WAIT connections gets EADDRINUSE without SO_REUSEADDR.',
  },
  {
    id: 'C17',
    text: 'With SO_REUSEADDR the restarted server binds although those TIME_WAIT entries remain.',
  },
  {
    id: 'C18',
    text: 'SO_REUSEPORT lets any sockets, of any service and in any state, share one address and port.',
  },
  { id: 'C19', text: 'net.ipv4.tcp_fin_timeout is 60 by default.' },
  { id: 'C20', text: 'On one host, both ends of a connection are listed, each ESTABLISHED.' },
  { id: 'X1', text: 'close() with SO_LINGER {on, 0} sends RST: no FIN exchange and no TIME_WAIT.' },
  { id: 'X2', text: 'close() with unread received data sends RST; the peer sees ECONNRESET.' },
  {
    id: 'X3',
    text: 'Short connections to one server port can use up the ephemeral ports in TIME_WAIT; tcp_tw_reuse helps.',
  },
  { id: 'X4', text: 'net.core.somaxconn caps the backlog given to listen().' },
  {
    id: 'X5',
    text: 'With tcp_abort_on_overflow=1 a full accept queue answers with RST instead of staying silent.',
  },
  {
    id: 'X6',
    text: 'After shutdown(SHUT_WR) a socket can still receive; the peer reads EOF and can still send.',
  },
  {
    id: 'X7',
    text: 'When one SO_REUSEPORT listener closes, its queued connections are reset, or moved with tcp_migrate_req=1.',
  },
  {
    id: 'X8',
    text: 'When both ends close at once, their FINs crossing, each passes FIN_WAIT_1, CLOSING and TIME_WAIT.',
  },
  {
    id: 'X9',
    text: 'An RST that reaches a TIME_WAIT socket ends it early; with tcp_rfc1337=1 the socket ignores it.',
  },
  {
    id: 'X10',
    text: 'Past net.ipv4.tcp_max_tw_buckets, a closing socket skips TIME_WAIT; TCPTimeWaitOverflow counts each.',
  },
  {
    id: 'X11',
    text: 'With the SYN queue full of unfinished handshakes, tcp_syncookies=1 still lets new clients in; 0 drops them.',
  },
  {
    id: 'X12',
    text: 'Keepalive finds a silent peer after KEEPIDLE + KEEPINTVL x KEEPCNT; TCP_USER_TIMEOUT bounds unacked data.',
  },
  {
    id: 'X13',
    text: 'close() with SO_LINGER {on, N} and unacknowledged data waits for the ACK, at most N seconds.',
  },
] as const satisfies readonly Claim[];

/** The ID of a claim: `C17`, `X7`. A string that is none of them does not type-check. */
export type ClaimId = (typeof CLAIMS)[number]['id'];

const IDS: ReadonlySet<string> = new Set(CLAIMS.map((claim) => claim.id));

export function isClaimId(text: string): text is ClaimId {
  return IDS.has(text);
}
