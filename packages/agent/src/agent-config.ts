import { AGENT_PORT } from './protocol';
import type { SamplingPolicy } from './sample-schedule';

/** The agent's settings, read from the environment in this one place. */
export interface AgentConfig {
  readonly token: string;
  readonly port: number;
  readonly host: string;
  /** Listen on this Unix socket instead of a TCP port (a target on a VM kernel, reached through its supervisor). */
  readonly socketPath?: string;
  readonly sampleIntervalMs: number;
  /** When the socket table is sampled (sample-schedule.ts): 'on-demand' by default; the others for `npm run bench`. */
  readonly sampling?: SamplingPolicy;
}

const SAMPLING_POLICIES: readonly SamplingPolicy[] = ['on-demand', 'adaptive', 'always'];

export function agentConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: AgentConfig } | { ok: false; error: string } {
  const token = env.SOCKSPEC_AGENT_TOKEN ?? '';
  if (token.length < 16) {
    return {
      ok: false,
      error: 'SOCKSPEC_AGENT_TOKEN must be set to a random token of 16 characters or more',
    };
  }
  const port = Number(env.SOCKSPEC_AGENT_PORT ?? AGENT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, error: 'SOCKSPEC_AGENT_PORT must be a port number from 1 to 65535' };
  }
  const sampleIntervalMs = Number(env.SOCKSPEC_SAMPLE_MS ?? 10);
  if (!Number.isInteger(sampleIntervalMs) || sampleIntervalMs < 1 || sampleIntervalMs > 1000) {
    return { ok: false, error: 'SOCKSPEC_SAMPLE_MS must be an integer from 1 to 1000' };
  }
  const sampling = env.SOCKSPEC_SAMPLING ?? 'on-demand';
  if (!SAMPLING_POLICIES.includes(sampling as SamplingPolicy)) {
    return {
      ok: false,
      error: `SOCKSPEC_SAMPLING must be one of ${SAMPLING_POLICIES.join(', ')}`,
    };
  }
  return {
    ok: true,
    config: {
      token,
      port,
      host: env.SOCKSPEC_AGENT_HOST ?? '0.0.0.0',
      ...(env.SOCKSPEC_AGENT_SOCKET ? { socketPath: env.SOCKSPEC_AGENT_SOCKET } : {}),
      sampleIntervalMs,
      sampling: sampling as SamplingPolicy,
    },
  };
}

/** The supervisor of a VM kernel: its token, its port, and how many agents it keeps started ahead. */
export interface SupervisorConfig {
  readonly token: string;
  readonly port: number;
  readonly spares: number;
}

export function supervisorConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: SupervisorConfig } | { ok: false; error: string } {
  const agent = agentConfigFromEnv(env);
  if (!agent.ok) return agent;
  const spares = Number(env.SOCKSPEC_SPARES ?? 2);
  if (!Number.isInteger(spares) || spares < 0 || spares > 16) {
    return { ok: false, error: 'SOCKSPEC_SPARES must be an integer from 0 to 16' };
  }
  return { ok: true, config: { token: agent.config.token, port: agent.config.port, spares } };
}
