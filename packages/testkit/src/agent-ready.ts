import { readProcessWork } from '@sockspec/inspector';
import type Dockerode from 'dockerode';
import type { WaitStrategy } from 'testcontainers';
import { ProgressWatch } from './harness-stall';

type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

/** How long a container's start may show no work at all before it counts as hung. */
const IDLE_BUDGET_MS = 30_000;
const POLL_MS = 100;

/**
 * testcontainers' wait for a target container: ready once its agent answers on the published port (a 401 without
 * the token is an answer), which also proves the path from the host. It waits as long as the container's first
 * process (the agent) keeps running or queuing for a CPU, up to the startup ceiling, and fails with a HarnessStall
 * when it does not move, or at once when the container exits.
 */
export class AgentReady implements WaitStrategy {
  private ceilingMs: number;

  constructor(
    private readonly agentPort: number,
    ceilingMs: number,
  ) {
    this.ceilingMs = ceilingMs;
  }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts): Promise<void> {
    const url = `http://127.0.0.1:${boundPorts.getBinding(this.agentPort)}/v1/info`;
    const watch = new ProgressWatch();
    const step = `container ${container.id.slice(0, 12)}: its agent answering on ${url}`;
    for (;;) {
      const answered = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
        async (response) => (await response.arrayBuffer(), true),
        () => false,
      );
      if (answered) return;
      const { State } = await container.inspect();
      if (!State.Running) {
        throw new Error(
          `${step}: the container exited first (code ${State.ExitCode}${State.Error === '' ? '' : `, ${State.Error}`})`,
        );
      }
      const work = readProcessWork(State.Pid);
      if (work !== undefined)
        watch.observe(work.cpuMs + work.queuedMs, work.state === 'R' || work.state === 'D');
      const stall = watch.verdict(step, IDLE_BUDGET_MS, this.ceilingMs);
      if (stall !== undefined) throw stall;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.ceilingMs = startupTimeoutMs;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return true;
  }

  getStartupTimeout(): number {
    return this.ceilingMs;
  }
}
