import { PATHS, pathTo, type Segment } from '@sockspec/agent/protocol';
import type { AgentClient } from './agent-client';

/** A tcpdump capture running in a target, filtered to one port. */
export class PacketCapture {
  constructor(
    private readonly agent: AgentClient,
    readonly id: number,
    readonly port: number,
    /** Told every segment the capture saw, when it stops (the target keeps them for its timeline record). */
    private readonly onStop: (segments: readonly Segment[]) => void = () => undefined,
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
    this.onStop(answer.segments);
    return answer.segments;
  }
}
