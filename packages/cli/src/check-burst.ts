import type { CheckStatus } from './check-restart';

/** What the burst check saw: connects all at once, the listener's queues, the namespace's counters around it. */
export interface BurstReading {
  readonly port: number;
  readonly connections: number;
  readonly connected: number;
  readonly clientErrors: readonly string[];
  /** `ss -Hltn` as the target printed it. */
  readonly listeners: string;
  readonly somaxconn: number | undefined;
  readonly countersBefore: Readonly<Record<string, number>>;
  readonly countersAfter: Readonly<Record<string, number>>;
}

export interface BurstReport {
  readonly connections: number;
  readonly connected: number;
  readonly clientErrors: readonly string[];
  /** The listener's accept-queue limit as the kernel holds it (ss's Send-Q of a LISTEN socket): the backlog. */
  readonly backlog: number | undefined;
  readonly somaxconn: number | undefined;
  /** TcpExt counters' change over the burst. */
  readonly listenOverflows: number;
  readonly listenDrops: number;
  readonly syncookiesSent: number;
  readonly reqQFullDoCookies: number;
  readonly reqQFullDrop: number;
  readonly status: CheckStatus;
}

/** One LISTEN socket of `ss -Hltn`: its local address and its queues. */
export interface ListenerQueues {
  readonly local: string;
  /** Connections waiting in the accept queue now. */
  readonly recvQ: number;
  /** The accept queue's limit: the backlog listen() asked for, cut to net.core.somaxconn. */
  readonly sendQ: number;
}

/** The LISTEN lines of `ss -Hltn` (State Recv-Q Send-Q Local Peer). Pure. */
export function listenerQueues(text: string): ListenerQueues[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([state, recvQ, sendQ]) =>
        state === 'LISTEN' && /^\d+$/.test(recvQ ?? '') && /^\d+$/.test(sendQ ?? ''),
    )
    .map(([, recvQ, sendQ, local]) => ({
      local: local ?? '',
      recvQ: Number(recvQ),
      sendQ: Number(sendQ),
    }));
}

/** Sums a burst up: the fault is a connection the accept queue turned away (an overflow or a drop). Pure. */
export function burstReport(reading: BurstReading): BurstReport {
  const delta = (name: string): number =>
    (reading.countersAfter[name] ?? 0) - (reading.countersBefore[name] ?? 0);
  const queues = listenerQueues(reading.listeners).filter((queue) =>
    queue.local.endsWith(`:${reading.port}`),
  );
  const listenOverflows = delta('ListenOverflows');
  const listenDrops = delta('ListenDrops');
  return {
    connections: reading.connections,
    connected: reading.connected,
    clientErrors: reading.clientErrors,
    backlog: queues.length === 0 ? undefined : Math.max(...queues.map((queue) => queue.sendQ)),
    somaxconn: reading.somaxconn,
    listenOverflows,
    listenDrops,
    syncookiesSent: delta('SyncookiesSent'),
    reqQFullDoCookies: delta('TCPReqQFullDoCookies'),
    reqQFullDrop: delta('TCPReqQFullDrop'),
    status:
      listenOverflows > 0 || listenDrops > 0
        ? 'fault'
        : queues.length === 0
          ? 'inconclusive'
          : 'ok',
  };
}

/** The check's lines for a terminal, its verdict last. */
export function burstLines(report: BurstReport, port: number): string[] {
  const failed =
    report.clientErrors.length > 0 ? `; failed: ${report.clientErrors.join(', ')}` : '';
  const cut =
    report.backlog !== undefined && report.backlog === report.somaxconn
      ? ' (= somaxconn: a larger backlog asked for is cut to it)'
      : '';
  const lines = [
    `burst: ${report.connections} connects at once, ${report.connected} connected${failed};`,
    `  backlog:       ${report.backlog ?? 'no listener seen'} (ss Send-Q on port ${port}), net.core.somaxconn ${report.somaxconn ?? '?'}${cut}`,
    `  counters:      ListenOverflows +${report.listenOverflows}, ListenDrops +${report.listenDrops}, ` +
      `SyncookiesSent +${report.syncookiesSent}, TCPReqQFullDoCookies +${report.reqQFullDoCookies}, TCPReqQFullDrop +${report.reqQFullDrop}`,
  ];
  if (report.status === 'fault') {
    lines.push(
      `  FAULT: the accept queue overflowed: ${report.listenOverflows} overflow(s), ${report.listenDrops} drop(s) ` +
        `with a backlog of ${report.backlog ?? '?'}. Hint: a larger listen() backlog (and somaxconn), or accept faster`,
    );
  } else if (report.status === 'inconclusive') {
    lines.push(`  not tested: ss showed no listener on port ${port}`);
  } else {
    lines.push(`  ok: the accept queue turned no connection away`);
  }
  return lines;
}
