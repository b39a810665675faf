import { agentConfigFromEnv } from './agent-config';

describe('agentConfigFromEnv', () => {
  const token = 'a'.repeat(32);

  it('requires a token of at least 16 characters', () => {
    expect(agentConfigFromEnv({}).ok).toBe(false);
    expect(agentConfigFromEnv({ SOCKSPEC_AGENT_TOKEN: 'short' }).ok).toBe(false);
  });

  it('defaults to port 7070 on every address, sampling every 10 ms', () => {
    expect(agentConfigFromEnv({ SOCKSPEC_AGENT_TOKEN: token })).toEqual({
      ok: true,
      config: { token, port: 7070, host: '0.0.0.0', sampleIntervalMs: 10, sampling: 'on-demand' },
    });
  });

  it('takes the sampling policies before on-demand, for the bench, and refuses others', () => {
    for (const sampling of ['adaptive', 'always']) {
      expect(
        agentConfigFromEnv({ SOCKSPEC_AGENT_TOKEN: token, SOCKSPEC_SAMPLING: sampling }),
      ).toMatchObject({ ok: true, config: { sampling } });
    }
    expect(agentConfigFromEnv({ SOCKSPEC_AGENT_TOKEN: token, SOCKSPEC_SAMPLING: 'never' })).toEqual(
      {
        ok: false,
        error: 'SOCKSPEC_SAMPLING must be one of on-demand, adaptive, always',
      },
    );
  });

  it('refuses a port that is not a port', () => {
    expect(
      agentConfigFromEnv({ SOCKSPEC_AGENT_TOKEN: token, SOCKSPEC_AGENT_PORT: '70000' }).ok,
    ).toBe(false);
  });
});
