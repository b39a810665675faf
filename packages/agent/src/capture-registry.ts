import { spawn, type ChildProcess } from 'node:child_process';
import { HttpError, notFound } from './http-error';
import { parseTcpdumpLine, type Segment } from './tcpdump-line';

const START_TIMEOUT_MS = 5_000;
const SETTLE_MS = 100;

interface Capture {
  readonly child: ChildProcess;
  readonly segments: Segment[];
  running: boolean;
  readonly ended: Promise<void>;
}

/**
 * Packet captures inside the target: tcpdump on the loopback interface, filtered to one port, its lines parsed
 * into segments as they come. Needs the NET_RAW capability.
 */
export class CaptureRegistry {
  private readonly captures = new Map<number, Capture>();
  private nextId = 1;

  /** Starts capturing and answers once tcpdump says it is listening, so no segment after this call is missed. */
  async start(port: number, device = 'lo'): Promise<number> {
    // -Z root: stay root (dropping to the tcpdump user needs SETUID, which targets do not get); -p: no
    // promiscuous mode (needs NET_ADMIN); -U -l: every packet printed as it is captured; -S: absolute seq numbers.
    const args = [
      '-Z',
      'root',
      '-i',
      device,
      '-n',
      '-tt',
      '-l',
      '-S',
      '-p',
      '-U',
      'tcp',
      'port',
      String(port),
    ];
    const child = spawn('tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const segments: Segment[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const segment = parseTcpdumpLine(line);
        if (segment !== null) segments.push(segment);
      }
    });
    const ended = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        const denied = /not permitted|permission/i.test(stderr);
        reject(
          new HttpError(
            denied ? 403 : 500,
            denied ? 'EPERM' : 'tcpdump',
            denied
              ? 'tcpdump: EPERM. Hint: start the target with the NET_RAW capability to capture'
              : `tcpdump did not start (${why}): ${stderr.trim()}`,
          ),
        );
      };
      const timer = setTimeout(() => fail('no "listening on" within 5 s'), START_TIMEOUT_MS);
      child.on('error', (error) => fail(error.message));
      const exitedEarly = (code: number | null): void => fail(`exited with ${code}`);
      child.on('close', exitedEarly);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('listening on')) {
          clearTimeout(timer);
          child.off('close', exitedEarly);
          resolve();
        }
      });
    });
    const id = this.nextId++;
    const capture: Capture = { child, segments, running: true, ended };
    void ended.then(() => (capture.running = false));
    this.captures.set(id, capture);
    return id;
  }

  segments(id: number): { segments: readonly Segment[]; running: boolean } {
    const capture = this.get(id);
    return { segments: capture.segments, running: capture.running };
  }

  /** Stops tcpdump (it flushes what it holds) and answers with every segment it saw. */
  async stop(id: number): Promise<{ segments: readonly Segment[] }> {
    const capture = this.get(id);
    if (capture.running) {
      // Segments sent just before this call may still be on their way through the packet socket.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      capture.child.kill('SIGTERM');
      await capture.ended;
    }
    return { segments: capture.segments };
  }

  stopAll(): void {
    for (const capture of this.captures.values())
      if (capture.running) capture.child.kill('SIGKILL');
  }

  private get(id: number): Capture {
    const capture = this.captures.get(id);
    if (capture === undefined) throw notFound(`no capture ${id}`);
    return capture;
  }
}
