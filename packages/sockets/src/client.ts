import { Socket } from './socket';
import type { ClientOptions } from './client-options';
import {
  endpoint,
  errorEvent,
  event,
  type Emit,
  type ProgramHandle,
  type ProgramSettings,
} from './program-events';
import { ReadinessLoop, type Watch } from './readiness-loop';

type Phase = 'connecting' | 'open' | 'quiet' | 'done';

interface Connection {
  readonly socket: Socket;
  /** connecting: handshake under way; open: reading; quiet: peer's FIN read; done: closed or failed. */
  phase: Phase;
  timer?: NodeJS.Timeout;
}

/**
 * The telnet role as a loop over non-blocking sockets: opens `count` connections at once, reports each one's fate,
 * sends, shuts down and closes as told. Exits by itself once every connection is closed or has failed. The loop
 * sleeps until a socket is ready.
 */
export function runClient(
  options: ClientOptions,
  emit: Emit,
  settings: ProgramSettings = {},
): ProgramHandle {
  const connections = new Map<number, Connection>();
  const remote = { address: options.address, port: options.port };
  let failures = 0;
  let stopped = false;
  let loop: ReadinessLoop<number> | undefined;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const fail = (id: number, connection: Connection, error: unknown): void => {
    failures += 1;
    clearTimeout(connection.timer);
    connection.phase = 'done';
    emit(errorEvent(error, { conn: id }));
    connection.socket.close();
  };

  const close = (id: number): void => {
    const connection = connections.get(id);
    if (connection === undefined || connection.phase === 'done') return;
    clearTimeout(connection.timer);
    connection.phase = 'done';
    loop?.wake();
    try {
      if (options.lingerSeconds !== undefined) {
        connection.socket.setLinger({ enabled: true, seconds: options.lingerSeconds });
      } else {
        drain(id, connection);
      }
      connection.socket.close();
      emit(event('closed', { conn: id }));
    } catch (error) {
      emit(errorEvent(error, { conn: id }));
    }
    if (allDone()) finish();
  };

  /**
   * Reads what has arrived before a close: a close() with unread data sends RST instead of FIN (X2), and a slow
   * machine can bring the peer's answer between the last read and the close. A linger close keeps its own say.
   */
  const drain = (id: number, connection: Connection): void => {
    for (;;) {
      const data = connection.socket.recv();
      if (data === null || data.length === 0) return;
      emit(event('received', { conn: id, bytes: data.length, text: data.toString('utf8') }));
    }
  };

  const established = (id: number, connection: Connection): void => {
    connection.phase = 'open';
    const { socket } = connection;
    emit(
      event('connected', {
        conn: id,
        local: endpoint(socket.localAddress()),
        remote: endpoint(socket.remoteAddress()),
      }),
    );
    if (options.send !== undefined) {
      const bytes = socket.send(options.send);
      emit(event('sent', { conn: id, bytes: bytes ?? 0 }));
    }
    if (options.shutdown !== undefined) {
      socket.shutdown(options.shutdown);
      emit(event('shutdown', { conn: id, how: options.shutdown }));
    }
    if (options.closeAfterSeconds !== undefined) {
      connection.timer = setTimeout(() => close(id), options.closeAfterSeconds * 1000);
    }
  };

  const step = (id: number, connection: Connection): void => {
    if (connection.phase === 'connecting') {
      const failure = connection.socket.pendingError();
      if (failure !== null) return fail(id, connection, failure);
      if (connection.socket.poll(0).writable) established(id, connection);
      return;
    }
    if (connection.phase !== 'open') return;
    const data = connection.socket.recv();
    if (data === null) return;
    if (data.length === 0) {
      connection.phase = 'quiet';
      emit(event('eof', { conn: id }));
      if (options.closeOnEof) close(id);
    } else {
      emit(event('received', { conn: id, bytes: data.length, text: data.toString('utf8') }));
    }
  };

  for (let id = 1; id <= options.count; id += 1) {
    try {
      const socket = Socket.create(Socket.familyOf(options.address));
      if (options.reuseAddr) socket.setReuseAddr(true);
      const connection: Connection = { socket, phase: 'connecting' };
      connections.set(id, connection);
      emit(event('connecting', { conn: id, remote }));
      if (socket.connect(remote) === 'connected') established(id, connection);
    } catch (error) {
      failures += 1;
      emit(errorEvent(error, { conn: id }));
    }
  }

  const allDone = (): boolean =>
    [...connections.values()].every((connection) => connection.phase === 'done');

  const finish = (signal?: string): void => {
    if (stopped) return;
    stopped = true;
    loop?.stop();
    for (const id of connections.keys()) close(id);
    emit(event('exiting', signal === undefined ? {} : { signal }));
    resolveDone(failures > 0 ? 1 : 0);
  };

  const watches = (): Watch<number>[] =>
    [...connections]
      .filter(([, connection]) => connection.phase === 'connecting' || connection.phase === 'open')
      .map(([id, connection]) => ({
        fd: connection.socket.fd,
        want: connection.phase === 'connecting' ? ('write' as const) : ('read' as const),
        key: id,
      }));
  if (allDone()) {
    finish();
  } else {
    loop = new ReadinessLoop(
      watches,
      (ready) => {
        for (const id of ready) {
          const connection = connections.get(id);
          if (connection === undefined) continue;
          try {
            step(id, connection);
          } catch (error) {
            fail(id, connection, error);
          }
        }
        if (allDone()) finish();
      },
      { wakeEveryMs: settings.wakeEveryMs, onError: (error) => emit(errorEvent(error)) },
    );
  }

  return { done, stop: finish };
}
