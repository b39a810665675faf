import { Socket } from './socket';
import type { ServerOptions } from './server-options';
import {
  endpoint,
  errorEvent,
  event,
  type Emit,
  type ProgramHandle,
  type ProgramSettings,
} from './program-events';
import { ReadinessLoop, type Watch } from './readiness-loop';

interface Accepted {
  readonly socket: Socket;
  /** Reading stopped: the peer's FIN arrived (the server does NOT close because of it) or the connection failed. */
  quiet: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * The article's tcpServer as a loop over non-blocking sockets: listen, accept (unless told not to), report what
 * arrives, and close a connection only when `closeAfterSeconds` says so. A peer's FIN is reported as `eof` and
 * otherwise ignored: that is how a connection ends up in CLOSE_WAIT. The loop sleeps until a socket is ready.
 */
export function runServer(
  options: ServerOptions,
  emit: Emit,
  settings: ProgramSettings = {},
): ProgramHandle {
  const connections = new Map<number, Accepted>();
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let listener: Socket;
  try {
    listener = Socket.create(Socket.familyOf(options.address));
    if (options.reuseAddr) listener.setReuseAddr(true);
    if (options.reusePort) listener.setReusePort(true);
    listener.bind({ address: options.address, port: options.port });
    listener.listen(options.backlog);
  } catch (error) {
    emit(errorEvent(error));
    resolveDone(1);
    return { stop: () => undefined, done };
  }
  const local = listener.localAddress();
  emit(event('listening', { ...endpoint(local), backlog: options.backlog, pid: process.pid }));
  let next = 1;

  const close = (id: number): void => {
    const connection = connections.get(id);
    if (connection === undefined) return;
    clearTimeout(connection.timer);
    connections.delete(id);
    loop.wake();
    try {
      connection.socket.close();
      emit(event('closed', { conn: id }));
    } catch (error) {
      emit(errorEvent(error, { conn: id }));
    }
  };

  const acceptAll = (): void => {
    for (;;) {
      const socket = listener.accept();
      if (socket === null) return;
      const id = next++;
      const connection: Accepted = { socket, quiet: false };
      connections.set(id, connection);
      if (options.lingerSeconds !== undefined)
        socket.setLinger({ enabled: true, seconds: options.lingerSeconds });
      emit(
        event('accepted', {
          conn: id,
          local: endpoint(socket.localAddress()),
          remote: endpoint(socket.remoteAddress()),
        }),
      );
      if (options.closeAfterSeconds !== undefined) {
        connection.timer = setTimeout(() => close(id), options.closeAfterSeconds * 1000);
      }
    }
  };

  const read = (id: number): void => {
    const connection = connections.get(id);
    if (connection === undefined || connection.quiet) return;
    try {
      const data = connection.socket.recv();
      if (data === null) return;
      if (data.length === 0) {
        connection.quiet = true;
        emit(event('eof', { conn: id }));
      } else {
        emit(event('received', { conn: id, bytes: data.length, text: data.toString('utf8') }));
      }
    } catch (error) {
      connection.quiet = true;
      emit(errorEvent(error, { conn: id }));
    }
  };

  const watches = (): Watch<number | 'listener'>[] => [
    ...(options.accept
      ? [{ fd: listener.fd, want: 'read' as const, key: 'listener' as const }]
      : []),
    ...[...connections]
      .filter(([, connection]) => !connection.quiet)
      .map(([id, connection]) => ({ fd: connection.socket.fd, want: 'read' as const, key: id })),
  ];
  const loop = new ReadinessLoop(
    watches,
    (ready) => {
      for (const key of ready) {
        try {
          if (key === 'listener') acceptAll();
          else read(key);
        } catch (error) {
          emit(errorEvent(error));
        }
      }
    },
    { wakeEveryMs: settings.wakeEveryMs, onError: (error) => emit(errorEvent(error)) },
  );

  let stopped = false;
  return {
    done,
    stop: (signal?: string) => {
      if (stopped) return;
      stopped = true;
      loop.stop();
      for (const id of [...connections.keys()]) close(id);
      listener.close();
      emit(event('exiting', signal === undefined ? {} : { signal }));
      resolveDone(0);
    },
  };
}
