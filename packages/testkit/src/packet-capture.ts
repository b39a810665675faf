import { PATHS, pathTo, type Segment } from '@sockspec/agent/protocol';
import type { AgentClient } from './agent-client';

/** A tcpdump capture running in a target, filtered to one port. */
export class PacketCapture {
  constructor(
    private readonly agent: AgentClient,
    readonly id: number,
    readonly port: number,
    /**
     * Told every segment the capture saw and its pcap file when it stops (the target keeps them for its record);
     * the file is undefined when the agent could not hand it over.
     */
    private readonly onStop: (
      segments: readonly Segment[],
      pcap: Uint8Array | undefined,
    ) => void = () => undefined,
  ) {}

  /** The segments captured so far. */
  async segments(): Promise<readonly Segment[]> {
    const answer = await this.agent.get<{ segments: Segment[] }>(pathTo(PATHS.capture, this.id));
    return answer.segments;
  }

  /** Ends the capture and returns every segment it saw. */
  async stop(): Promise<readonly Segment[]> {
    const answer = await this.agent.post<{ segments: Segment[] }>(
      pathTo(PATHS.captureStop, this.id),
    );
    this.onStop(answer.segments, await this.pcap());
    return answer.segments;
  }

  /** The stopped capture's packets as a pcap file; undefined (said on stderr) if the agent had none to give. */
  private async pcap(): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.agent.get<{ pcap: string }>(pathTo(PATHS.capturePcap, this.id));
      return Buffer.from(answer.pcap, 'base64');
    } catch (error) {
      process.stderr.write(
        `sockspec: the capture of port ${this.port} has no pcap file: ${String(error)}\n`,
      );
      return undefined;
    }
  }
}
