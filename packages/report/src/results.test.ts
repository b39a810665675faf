import { buildResults } from './results';
import type { RunData } from './run-data';

const run: RunData = {
  measurements: [
    {
      type: 'measurement',
      claims: ['C12'],
      name: 'TIME_WAIT length',
      value: 60_677,
      unit: 'ms',
      scenario: 'teardown/time-wait.spec.ts',
      test: 't',
    },
  ],
  verdicts: [
    {
      type: 'verdict',
      claim: 'C12',
      verdict: 'holds',
      finding: 'about 60 s',
      scenario: 'teardown/time-wait.spec.ts',
      test: 'a',
    },
    {
      type: 'verdict',
      claim: 'C12',
      verdict: 'holds-with-nuance',
      finding: 'not tcp_fin_timeout',
      scenario: 'teardown/time-wait.spec.ts',
      test: 'b',
    },
    {
      type: 'verdict',
      claim: 'C18',
      verdict: 'differs',
      finding: 'same user only',
      scenario: 'reuse/reuseport.spec.ts',
      test: 'c',
    },
  ],
  records: [],
  specs: [],
};

describe('buildResults', () => {
  it('gives every claim of the article and its readers one row, in order', () => {
    const results = buildResults(run, 'now');
    expect(results.claims.map((claim) => claim.id).slice(0, 3)).toEqual(['C1', 'C2', 'C3']);
    expect(results.claims).toHaveLength(27);
  });

  it('takes the strongest departure from the article among the verdicts for one claim', () => {
    const c12 = buildResults(run, 'now').claims.find((claim) => claim.id === 'C12');
    expect(c12).toMatchObject({
      verdict: 'holds-with-nuance',
      findings: ['about 60 s', 'not tcp_fin_timeout'],
      measured: [{ name: 'TIME_WAIT length', value: 60_677, unit: 'ms' }],
      scenarios: ['teardown/time-wait.spec.ts'],
    });
  });

  it('says "not run" for a claim no passing test confirmed, and drops verdicts of failed tests', () => {
    const failing: RunData = {
      ...run,
      specs: [
        {
          file: 'reuse/reuseport.spec.ts',
          durationMs: 1,
          tests: [
            { ancestorTitles: [], title: 'c', fullName: 'c', status: 'failed', failure: 'x' },
          ],
        },
      ],
    };
    const results = buildResults(failing, 'now');
    expect(results.claims.find((claim) => claim.id === 'C1')?.verdict).toBe('not run');
    expect(results.claims.find((claim) => claim.id === 'C18')?.verdict).toBe('not run');
  });
});
