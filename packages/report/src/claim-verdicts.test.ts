import { deriveVerdict } from './claim-verdicts';
import type { SpecOutcome, VerdictLine } from '@sockspec/records';

function test(
  ancestors: string[],
  title: string,
  status: string,
  failure?: string,
): SpecOutcome['tests'][number] {
  return {
    ancestorTitles: ancestors,
    title,
    fullName: [...ancestors, title].join(' '),
    status,
    ...(failure === undefined ? {} : { failure }),
  };
}

function declared(file: string, fullName: string, verdict: VerdictLine['verdict']): VerdictLine {
  return {
    type: 'verdict',
    claim: 'C17',
    verdict,
    finding: `${verdict} finding`,
    scenario: file,
    test: fullName,
  };
}

const FILE = 'reuse/reuseaddr.spec.ts';
const RESTART = 'restarting a server that never set SO_REUSEADDR (C16, C17)';

describe('deriveVerdict', () => {
  it('takes the declared verdict when every test naming the claim passed', () => {
    const specs: SpecOutcome[] = [
      { file: FILE, durationMs: 1, tests: [test([RESTART], 'refuses it (C17)', 'passed')] },
    ];
    const derived = deriveVerdict('C17', specs, [
      declared(FILE, `${RESTART} refuses it (C17)`, 'holds'),
    ]);
    expect(derived).toMatchObject({ verdict: 'holds', findings: ['holds finding'] });
  });

  it('says failed, with the failing test and its message, when one test naming it failed: a passing sibling declared nothing that counts', () => {
    const specs: SpecOutcome[] = [
      {
        file: FILE,
        durationMs: 1,
        tests: [
          test(
            [RESTART],
            'refuses it even with SO_REUSEADDR on the new socket (C17)',
            'failed',
            'expected EADDRINUSE',
          ),
          test(
            ['restarting a server that set SO_REUSEADDR (C16, C17)'],
            'lets a restart listen (C17)',
            'passed',
          ),
        ],
      },
    ];
    const derived = deriveVerdict('C17', specs, [
      declared(
        FILE,
        'restarting a server that set SO_REUSEADDR (C16, C17) lets a restart listen (C17)',
        'holds-with-nuance',
      ),
    ]);
    expect(derived.verdict).toBe('failed');
    expect(derived.findings).toEqual([]);
    expect(derived.reason).toContain(
      'refuses it even with SO_REUSEADDR on the new socket (C17) failed',
    );
    expect(derived.reason).toContain('expected EADDRINUSE');
  });

  it('counts a test as naming a claim through a describe title around it', () => {
    const specs: SpecOutcome[] = [
      {
        file: FILE,
        durationMs: 1,
        tests: [test([RESTART], 'leaves TIME_WAIT on its port', 'failed', 'no')],
      },
    ];
    expect(deriveVerdict('C16', specs, []).verdict).toBe('failed');
  });

  it('fails a claim whose spec file failed before its tests, by the claims its header lists', () => {
    const specs: SpecOutcome[] = [
      { file: FILE, durationMs: 1, failure: 'SyntaxError', claims: ['C16', 'C17'], tests: [] },
    ];
    expect(deriveVerdict('C17', specs, [])).toMatchObject({
      verdict: 'failed',
      reason: `${FILE} failed to run: SyntaxError`,
    });
    expect(deriveVerdict('C18', specs, []).verdict).toBe('not run');
  });

  it('says not run when a test naming the claim was skipped, even if the others passed and declared', () => {
    const specs: SpecOutcome[] = [
      {
        file: FILE,
        durationMs: 1,
        tests: [test([RESTART], 'a (C17)', 'passed'), test([RESTART], 'b (C17)', 'skipped')],
      },
    ];
    const derived = deriveVerdict('C17', specs, [declared(FILE, `${RESTART} a (C17)`, 'holds')]);
    expect(derived.verdict).toBe('not run');
    expect(derived.reason).toContain('1 of its 2 tests did not run');
  });

  it('says not run when no test names the claim', () => {
    expect(deriveVerdict('X3', [], [])).toMatchObject({
      verdict: 'not run',
      reason: 'no test that ran names it',
    });
  });

  it('ignores a verdict declared by a test that does not name the claim, however it ended', () => {
    const specs: SpecOutcome[] = [
      {
        file: FILE,
        durationMs: 1,
        tests: [test([RESTART], 'a (C17)', 'passed'), test(['elsewhere'], 'b', 'passed')],
      },
    ];
    const derived = deriveVerdict('C17', specs, [declared(FILE, 'elsewhere b', 'holds')]);
    expect(derived).toMatchObject({
      verdict: 'not run',
      reason: 'its 1 tests passed, but none declared a verdict',
    });
  });

  it('takes the strongest departure from the article among the declared verdicts', () => {
    const specs: SpecOutcome[] = [
      {
        file: FILE,
        durationMs: 1,
        tests: [test([], 'a (C17)', 'passed'), test([], 'b (C17)', 'passed')],
      },
    ];
    const derived = deriveVerdict('C17', specs, [
      declared(FILE, 'a (C17)', 'holds'),
      declared(FILE, 'b (C17)', 'differs'),
    ]);
    expect(derived.verdict).toBe('differs');
    expect(derived.findings).toEqual(['holds finding', 'differs finding']);
  });

  it('fails a claim when a test in another file names it and fails', () => {
    const specs: SpecOutcome[] = [
      { file: FILE, durationMs: 1, tests: [test([], 'a (C17)', 'passed')] },
      { file: 'other.spec.ts', durationMs: 1, tests: [test([], 'c (C16, C17)', 'failed', 'boom')] },
    ];
    expect(deriveVerdict('C17', specs, [declared(FILE, 'a (C17)', 'holds')]).verdict).toBe(
      'failed',
    );
  });

  describe('over both address families', () => {
    const V4 = `${RESTART} over IPv4 (127.0.0.1)`;
    const V6 = `${RESTART} over IPv6 (::1)`;
    const both = (v6Status: string): SpecOutcome[] => [
      {
        file: FILE,
        durationMs: 1,
        tests: [
          test([RESTART, 'over IPv4 (127.0.0.1)'], 'refuses it (C17)', 'passed'),
          test([RESTART, 'over IPv6 (::1)'], 'refuses it (C17)', v6Status, 'expected EADDRINUSE'),
        ],
      },
    ];
    const over = (
      family: 'ipv4' | 'ipv6',
      verdict: VerdictLine['verdict'],
      finding = `${verdict} finding`,
    ): VerdictLine => ({
      ...declared(FILE, `${family === 'ipv4' ? V4 : V6} refuses it (C17)`, verdict),
      finding,
      family,
    });

    it('holds when both families held, and gives each its verdict and each test its family', () => {
      const derived = deriveVerdict('C17', both('passed'), [
        over('ipv4', 'holds'),
        over('ipv6', 'holds'),
      ]);
      expect(derived).toMatchObject({
        verdict: 'holds',
        findings: ['holds finding'],
        families: { ipv4: 'holds', ipv6: 'holds' },
      });
      expect(derived.tests.map((t) => t.family)).toEqual(['ipv4', 'ipv6']);
    });

    it('fails when the tests of one family failed, though the other declared holds', () => {
      const derived = deriveVerdict('C17', both('failed'), [over('ipv4', 'holds')]);
      expect(derived.verdict).toBe('failed');
      expect(derived.reason).toContain('over IPv6 (::1) refuses it (C17) failed');
    });

    it('is not run when one family passed but declared nothing', () => {
      const derived = deriveVerdict('C17', both('passed'), [over('ipv4', 'holds')]);
      expect(derived).toMatchObject({ verdict: 'not run', findings: [] });
      expect(derived.reason).toContain('IPv6 tests passed, but none declared a verdict');
    });

    it("takes the stronger departure when the families differ, and names each finding's family", () => {
      const derived = deriveVerdict('C17', both('passed'), [
        over('ipv4', 'holds', 'EADDRINUSE'),
        over('ipv6', 'differs', 'it bound'),
      ]);
      expect(derived).toMatchObject({
        verdict: 'differs',
        findings: ['IPv4: EADDRINUSE', 'IPv6: it bound'],
        families: { ipv4: 'holds', ipv6: 'differs' },
      });
    });
  });
});
