import { describeSpec } from './scenario-list';

describe('describeSpec', () => {
  it("reads a spec's title and claim IDs from its opening comment", () => {
    const text = `/**\n * How long TIME_WAIT lasts, measured.      Claims: C12, C19\n *\n * More.\n */\nimport x from 'y';`;
    expect(describeSpec(text)).toEqual({
      title: 'How long TIME_WAIT lasts, measured.',
      claims: ['C12', 'C19'],
      families: ['IPv4'],
    });
  });

  it('gives no claims to a spec that names none', () => {
    expect(describeSpec('/**\n * The harness itself.   Claims: none (trust)\n */').claims).toEqual(
      [],
    );
  });

  it('names both families for a spec that runs its tests over each', () => {
    const text = `/**\n * TIME_WAIT.   Claims: C12\n */\ndescribeFamilies('TIME_WAIT', (family) => {});`;
    expect(describeSpec(text).families).toEqual(['IPv4', 'IPv6']);
  });
});
