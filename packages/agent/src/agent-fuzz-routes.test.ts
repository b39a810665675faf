import { agentRoutes, type AgentParts } from './agent-routes';
import { defuseRequest } from './__fixtures__/defuse-request';
import { AGENT_ROUTES } from './__fixtures__/fuzz-requests';
import { PATHS } from './protocol';
import { Router } from './router';

/** The routes agentRoutes registers, as `METHOD path`: its calls of Router.add, recorded. */
function registeredRoutes(): string[] {
  const add = jest.spyOn(Router.prototype, 'add');
  try {
    // Building the routes touches none of the parts: each is used only when its route is asked.
    agentRoutes({} as AgentParts);
    return add.mock.calls.map(([method, path]) => `${method} ${path}`);
  } finally {
    add.mockRestore();
  }
}

const fuzzed = AGENT_ROUTES.map(([method, path]) => `${method} ${path}`);

describe("the fuzz table (agent-fuzz.test.ts's routes)", () => {
  it('holds every route the agent registers, and no route it does not', () => {
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(Object.keys(PATHS).length);
    expect(registered.filter((route) => !fuzzed.includes(route))).toEqual([]);
    expect(fuzzed.filter((route) => !registered.includes(route))).toEqual([]);
  });

  it('fuzzes every path of the protocol', () => {
    const paths = new Set(AGENT_ROUTES.map(([, path]) => path));
    expect(Object.values(PATHS).filter((path) => !paths.has(path))).toEqual([]);
  });
});

describe('defuseRequest, on the routes that would change the host', () => {
  const body = (fields: unknown): Buffer => Buffer.from(JSON.stringify(fields));
  const defusedFields = (target: string, fields: unknown): unknown =>
    JSON.parse(defuseRequest(target, body(fields), 9).body.toString());

  it('cuts a renew token on any spelling of the path, so that no renew moves the test process', () => {
    const token = 'a'.repeat(16);
    for (const target of ['/v1/renew', '/v1//renew', '/V1/renew', '/v1/info']) {
      expect(defusedFields(target, { token, program: 'command' })).toMatchObject({
        token: 'too-short',
      });
    }
    expect(defusedFields('/v1/renew', { token: 'short' })).toEqual({ token: 'short' });
  });

  it("refuses a 'command' program as it refuses the others", () => {
    expect(
      defusedFields('/v1/programs', { program: 'command', args: ['rm', '-rf', '/x'] }),
    ).toEqual({ program: 'not-a-program', args: ['rm', '-rf', '/x'] });
  });
});
