import { buildMatrix } from './matrix';
import type { Results } from './results';

const results = (
  kernel: string,
  verdict: 'holds' | 'not run',
  value: number | string,
): Results => ({
  kernel,
  target: 'x',
  time: 'now',
  claims: [
    {
      id: 'C7',
      claim: 'N+1',
      verdict,
      findings: [],
      measured: [{ name: 'completed', value }],
      scenarios: [],
      tests: [],
    },
    {
      id: 'C12',
      claim: '60 s',
      verdict: 'holds',
      findings: [],
      measured: [{ name: 'length', value: Number(value) * 1000, unit: 'ms' }],
      scenarios: [],
      tests: [],
    },
  ],
  specs: [],
  kernels: [],
});

describe('buildMatrix', () => {
  it('puts each target in a column and marks a claim where kernels differ in a measured value', () => {
    const rows = buildMatrix([
      { target: 'container', results: results('6.18', 'holds', 3) },
      { target: 'vm:5.10', results: results('5.10', 'holds', 2) },
    ]);
    expect(rows[0]).toMatchObject({ id: 'C7', differs: true });
    expect(rows[0]?.cells.map((cell) => cell.verdict)).toEqual(['holds', 'holds']);
  });

  it('ignores timings and claims a target did not run when comparing', () => {
    const rows = buildMatrix([
      { target: 'container', results: results('6.18', 'holds', 3) },
      { target: 'vm:6.1', results: results('6.1', 'not run', 3) },
      { target: 'vm:6.12', results: results('6.12', 'holds', 3) },
    ]);
    expect(rows.map((row) => row.differs)).toEqual([false, false]);
  });
});
