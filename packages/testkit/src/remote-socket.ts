import {
  PATHS,
  pathTo,
  type AcceptResult,
  type CloseResult,
  type RecvResult,
  type SocketFamily,
  type SocketOptions,
  type SocketStatus,
} from '@sockspec/agent/protocol';
import type { Endpoint } from '@sockspec/inspector';
import type { AgentClient } from './agent-client';
import { TargetSocketError } from './target-socket-error';

/** The outcome of a non-blocking connect once the kernel has decided, or not yet. */
export type ConnectOutcome = 'connected' | 'pending' | { readonly error: string };

/**
 * A socket inside a target, driven call by call: each method is one system call there. Every socket is
 * non-blocking, so `accept()` answers null on an empty queue and `connect()` may answer 'pending'.
 */
export class RemoteSocket {
  constructor(
    private readonly agent: AgentClient,
    readonly id: number,
    readonly family: SocketFamily,
  ) {}

  private path(template: string): string {
    return pathTo(template, this.id);
  }

  setOptions(options: SocketOptions): Promise<Required<SocketOptions>> {
    return this.agent.post(this.path(PATHS.socketOptions), options);
  }

  options(): Promise<Required<SocketOptions>> {
    return this.agent.get(this.path(PATHS.socketOptions));
  }

  async bind(address: string, port: number): Promise<Endpoint> {
    const answer = await this.agent.post<{ local: Endpoint }>(this.path(PATHS.socketBind), {
      address,
      port,
    });
    return answer.local;
  }

  async listen(backlog: number): Promise<void> {
    await this.agent.post(this.path(PATHS.socketListen), { backlog });
  }

  /** One accept(): the connection at the head of the queue, or null when the queue is empty. */
  async accept(): Promise<RemoteSocket | null> {
    const answer = await this.agent.post<AcceptResult>(this.path(PATHS.socketAccept));
    return answer.socket === null ? null : new RemoteSocket(this.agent, answer.socket, this.family);
  }

  /** One connect(): 'connected' at once (loopback can be that fast), or 'pending' until the kernel decides. */
  async connect(address: string, port: number): Promise<'connected' | 'pending'> {
    const answer = await this.agent.post<{ status: 'connected' | 'pending' }>(
      this.path(PATHS.socketConnect),
      {
        address,
        port,
      },
    );
    return answer.status;
  }

  status(): Promise<SocketStatus> {
    return this.agent.get(this.path(PATHS.socketStatus));
  }

  /**
   * Waits up to `timeoutMs` for a connect in progress to be decided: 'connected' once the socket is writable with no
   * pending error, `{ error }` with the errno name when it failed, 'pending' when the kernel is still trying
   * (a SYN_SENT socket whose SYN goes unanswered).
   */
  async settle(timeoutMs: number, pollMs = 20): Promise<ConnectOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status();
      if (status.pendingError !== null) return { error: status.pendingError };
      if (status.writable && status.remote !== null) return 'connected';
      if (Date.now() >= deadline) return 'pending';
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async send(text: string): Promise<number | null> {
    const answer = await this.agent.post<{ bytes: number | null }>(this.path(PATHS.socketSend), {
      text,
    });
    return answer.bytes;
  }

  recv(maxBytes?: number): Promise<RecvResult> {
    return this.agent.post(this.path(PATHS.socketRecv), maxBytes === undefined ? {} : { maxBytes });
  }

  async shutdown(how: 'read' | 'write' | 'both'): Promise<void> {
    await this.agent.post(this.path(PATHS.socketShutdown), { how });
  }

  /** One close(): answers when it was called and when it returned, on the target's clock. */
  close(): Promise<CloseResult> {
    return this.agent.post(this.path(PATHS.socketClose));
  }

  async localAddress(): Promise<Endpoint> {
    const status = await this.status();
    if (status.local === null) throw new TargetSocketError('EINVAL', 'getsockname', 'not bound');
    return status.local;
  }
}
