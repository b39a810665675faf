import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError, notFound } from './http-error';
import { withoutUdp } from './pcap-file';
import type { Segment } from './protocol';
import { parseTcpdumpLine } from './tcpdump-line';

const START_TIMEOUT_MS = 5_000;
/** How long stop() waits for tcpdump to print the end marker, that is, everything captured before it. */
export const CATCH_UP_TIMEOUT_MS = 5_000;
const LOOPBACK = '127.0.0.1';

interface Capture {
  readonly child: ChildProcess;
  readonly segments: Segment[];
  running: boolean;
  readonly ended: Promise<void>;
  /** Sends itself the end marker over loopback; the capture's filter lets it through. */
  readonly marker: UdpSocket;
  readonly markerPort: number;
  /** Called when tcpdump prints a marker datagram. */
  onMarker: (() => void) | undefined;
  /** The pcap file tcpdump wrote, read once it exited (end markers left out); undefined if it wrote none. */
  pcap: Buffer | undefined;
}

/**
 * Packet captures inside the target: tcpdump on the loopback interface, filtered to one port, its lines parsed
 * into segments as they come, and its packets written to a pcap file the test kit fetches once the capture
 * stopped (for the report). Needs the NET_RAW capability.
 *
 * libpcap hands tcpdump its packets in blocks, about 80 ms after they were captured, and a loaded target can take
 * longer still. So stop() does not guess how long tcpdump needs: it sends a UDP datagram to its own port on
 * loopback, which the capture's filter also takes, and stops tcpdump once that marker is printed. The kernel queues
 * captured packets in order, so by then every segment sent before stop() was asked is in.
 *
 * Immediate mode stays off: it wakes tcpdump at every packet, which on a busy machine takes the CPU from the
 * programs being timed (docs/architecture.md, "Captures").
 */
export class CaptureRegistry {
  private readonly captures = new Map<number, Capture>();
  private nextId = 1;

  /** Starts capturing and answers once tcpdump says it is listening, so no segment after this call is missed. */
  async start(port: number): Promise<number> {
    const marker = createSocket('udp4');
    marker.on('error', () => undefined);
    await new Promise<void>((resolve) => marker.bind(0, LOOPBACK, resolve));
    const markerPort = marker.address().port;
    // tcpdump's pcap file, read into memory when tcpdump exits and removed then (a VM target's /tmp is its RAM).
    const pcapDir = mkdtempSync(join(tmpdir(), 'sockspec-capture-'));
    const pcapFile = join(pcapDir, 'capture.pcap');
    // -Z root: stay root (dropping to the tcpdump user needs SETUID, which targets do not get); -p: no
    // promiscuous mode (needs NET_ADMIN); -U -l: every packet printed as soon as tcpdump has it; -S: absolute
    // seq numbers; -w with --print: the packets go to the pcap file and are printed all the same. The filter takes
    // the port's TCP segments and the end marker.
    const args = [
      '-Z',
      'root',
      '-i',
      'lo',
      '-n',
      '-tt',
      '-l',
      '-S',
      '-p',
      '-U',
      '-w',
      pcapFile,
      '--print',
      `tcp port ${port} or (udp and src port ${markerPort} and dst port ${markerPort})`,
    ];
    const child = spawn('tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let markerOpen = true;
    const closeMarker = (): void => {
      if (markerOpen) marker.close();
      markerOpen = false;
    };
    const capture: Capture = {
      child,
      segments: [],
      running: false,
      ended: new Promise<void>((resolve) =>
        child.on('close', () => {
          closeMarker();
          capture.pcap = readPcap(pcapFile);
          rmSync(pcapDir, { recursive: true, force: true });
          resolve();
        }),
      ),
      marker,
      markerPort,
      onMarker: undefined,
      pcap: undefined,
    };
    const markerLine = ` > ${LOOPBACK}.${markerPort}: UDP`;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes(markerLine)) {
          capture.onMarker?.();
          continue;
        }
        const segment = parseTcpdumpLine(line);
        if (segment !== null) capture.segments.push(segment);
      }
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        closeMarker();
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
    capture.running = true;
    void capture.ended.then(() => (capture.running = false));
    this.captures.set(id, capture);
    return id;
  }

  /** Whether any capture runs. */
  anyRunning(): boolean {
    return [...this.captures.values()].some((capture) => capture.running);
  }

  segments(id: number): { segments: readonly Segment[]; running: boolean } {
    const capture = this.get(id);
    return { segments: capture.segments, running: capture.running };
  }

  /**
   * Stops tcpdump once it has printed every segment captured before this call, and answers with all it saw.
   * A tcpdump that has not caught up within {@link CATCH_UP_TIMEOUT_MS} is stopped all the same, and the answer
   * is an error: the capture would be missing segments.
   */
  async stop(id: number): Promise<{ segments: readonly Segment[] }> {
    const capture = this.get(id);
    if (!capture.running) return { segments: capture.segments };
    const caughtUp = await this.catchUp(capture);
    capture.child.kill('SIGTERM');
    await capture.ended;
    if (!caughtUp) {
      throw new HttpError(
        500,
        'tcpdump',
        `tcpdump had not printed what it captured ${CATCH_UP_TIMEOUT_MS / 1000} s after the capture was ` +
          'asked to stop, so the capture may be missing segments. Hint: the target may be starved of CPU',
      );
    }
    return { segments: capture.segments };
  }

  /** A stopped capture's packets as a pcap file (base64, the agent answers JSON), without the end markers. */
  pcap(id: number): { pcap: string } {
    const capture = this.get(id);
    if (capture.running) {
      throw new HttpError(409, 'running', `capture ${id} is still running; stop it first`);
    }
    if (capture.pcap === undefined) {
      throw new HttpError(500, 'tcpdump', `tcpdump left no readable pcap file for capture ${id}`);
    }
    return { pcap: capture.pcap.toString('base64') };
  }

  stopAll(): void {
    for (const capture of this.captures.values())
      if (capture.running) capture.child.kill('SIGKILL');
  }

  /** Sends the end marker and resolves true once tcpdump printed it, false after CATCH_UP_TIMEOUT_MS. */
  private catchUp(capture: Capture): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (caughtUp: boolean): void => {
        clearTimeout(timer);
        capture.onMarker = undefined;
        resolve(caughtUp);
      };
      const timer = setTimeout(() => done(false), CATCH_UP_TIMEOUT_MS);
      capture.onMarker = () => done(true);
      void capture.ended.then(() => done(false));
      capture.marker.send('sockspec capture end', capture.markerPort, LOOPBACK);
    });
  }

  private get(id: number): Capture {
    const capture = this.captures.get(id);
    if (capture === undefined) throw notFound(`no capture ${id}`);
    return capture;
  }
}

/** The pcap file tcpdump left, without the end markers; undefined when there is none (tcpdump never started). */
function readPcap(file: string): Buffer | undefined {
  try {
    return withoutUdp(readFileSync(file));
  } catch {
    return undefined;
  }
}
