import { renderSoakMarkdown, summarizeSoak, type SoakRun } from './soak-summary';

const run = (statuses: Record<string, string[]>, values: number[], wallMs = 60_000): SoakRun => ({
  specs: Object.entries(statuses).map(([spec, list]) => ({
    file: spec,
    durationMs: 1,
    tests: list.map((status, i) => ({
      ancestorTitles: [],
      title: `test ${i}`,
      fullName: `test ${i}`,
      status,
      ...(status === 'failed' ? { failure: '\nError: expected 60 s\n  at x' } : {}),
    })),
  })),
  measurements: values.map((value) => ({
    type: 'measurement',
    claims: ['C12'],
    scenario: 'teardown/time-wait.spec.ts',
    name: 'TIME_WAIT length',
    value,
    unit: 's',
  })),
  wallMs,
});

describe('summarizeSoak', () => {
  it('counts, per spec, the runs it passed and failed, and names each failing test once', () => {
    const summary = summarizeSoak([
      run({ 'a.spec.ts': ['passed', 'passed'], 'b.spec.ts': ['passed'] }, []),
      run({ 'a.spec.ts': ['passed', 'failed'], 'b.spec.ts': ['passed'] }, []),
      run({ 'a.spec.ts': ['passed', 'failed'], 'b.spec.ts': ['passed'] }, []),
    ]);
    expect(summary.failedRuns).toBe(2);
    expect(summary.specs).toEqual([
      {
        spec: 'a.spec.ts',
        passedRuns: 1,
        failedRuns: 2,
        failures: [{ test: 'test 1', runs: 2, first: 'Error: expected 60 s' }],
      },
      { spec: 'b.spec.ts', passedRuns: 3, failedRuns: 0, failures: [] },
    ]);
  });

  it('counts a spec file that ran no test at all (its suite failed to start) as failed', () => {
    expect(summarizeSoak([run({ 'a.spec.ts': [] }, [])]).specs[0]).toMatchObject({ failedRuns: 1 });
  });

  it('gives min, median, max and spread of each numeric measured value over the runs', () => {
    const summary = summarizeSoak([
      run({}, [60.1]),
      run({}, [60.4]),
      run({}, [59.9]),
      run({}, [60.2]),
    ]);
    expect(summary.measurements).toEqual([
      expect.objectContaining({
        name: 'TIME_WAIT length',
        count: 4,
        min: 59.9,
        max: 60.4,
      }),
    ]);
    expect(summary.measurements[0]?.median).toBeCloseTo(60.15, 10);
    expect(summary.measurements[0]?.spread).toBeCloseTo(0.5, 10);
  });

  it('renders the per-spec table and the spread table in Markdown', () => {
    const markdown = renderSoakMarkdown(summarizeSoak([run({ 'a.spec.ts': ['passed'] }, [60])]));
    expect(markdown).toContain('| a.spec.ts | 1 | 0 |');
    expect(markdown).toContain(
      '| teardown/time-wait.spec.ts | TIME_WAIT length (s) | 1 | 60 | 60 | 60 | 0 |',
    );
  });
});

describe('renderSoakMarkdown under load', () => {
  it('says how many CPU-bound processes ran beside each run, and nothing when none did', () => {
    const runs = [run({ 'a.spec.ts': ['passed'] }, [], 70_000)];
    expect(renderSoakMarkdown(summarizeSoak(runs, 2))).toMatch(
      /^1 run\(s\) of the scenario suite, each beside 2 CPU-bound process\(es\), 0 with a failure; wall times 70 s\./,
    );
    expect(renderSoakMarkdown(summarizeSoak(runs))).toMatch(
      /^1 run\(s\) of the scenario suite, 0 with a failure;/,
    );
  });
});
