import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown, type MatrixColumn } from './matrix';
import type { ClaimResult, Results } from './results';

type Verdict = ClaimResult['verdict'];

/** One run's results with one claim, C18, and its measured values. */
const results = (
  kernel: string,
  verdict: Verdict,
  measured: Record<string, number | string>,
): Results => ({
  kernel,
  target: 'x',
  time: 'now',
  claims: [
    {
      id: 'C18',
      claim: 'spread over listeners',
      verdict,
      findings: [],
      measured: Object.entries(measured).map(([name, value]) => ({ name, value })),
      unconfirmed: [],
      scenarios: [],
      tests: [],
    },
  ],
  specs: [],
  kernels: [],
});

const column = (
  target: string,
  verdict: Verdict,
  measured: Record<string, number | string>,
  repeats: Record<string, number | string>[] = [],
): MatrixColumn => ({
  target,
  results: results(target, verdict, measured),
  repeats: repeats.map((values) => results(target, verdict, values)),
});

describe('buildMatrix', () => {
  it('names a claim as differing where the verdicts that stand differ', () => {
    const [row] = buildMatrix([
      column('container', 'holds', {}),
      column('vm:6.1', 'holds-with-nuance', {}),
    ]);
    expect(row).toMatchObject({ id: 'C18', differs: true, differsOn: ['verdict'] });
    expect(row?.cells.map((cell) => cell.verdict)).toEqual(['holds', 'holds-with-nuance']);
  });

  it('compares no verdict of a target that failed or did not run the claim', () => {
    const [row] = buildMatrix([
      column('container', 'holds', {}),
      column('vm:6.1', 'failed', {}),
      column('vm:6.12', 'not run', {}),
    ]);
    expect(row?.differs).toBe(false);
  });

  it('shows a value that varies, with no repeated runs to measure its spread, as spread and not as a difference', () => {
    const [row] = buildMatrix([
      column('container', 'holds', { 'accepted by each listener': '144 / 156', ms: 3 }),
      column('vm:6.1', 'holds', { 'accepted by each listener': '151 / 149', ms: 9 }),
    ]);
    expect(row).toMatchObject({ differs: false, differsOn: [] });
    expect(row?.spread).toEqual([
      { name: 'accepted by each listener', spread: 'unknown' },
      { name: 'ms', spread: 'unknown' },
    ]);
  });

  it('keeps a difference within what repeated runs on one kernel show as spread', () => {
    const [row] = buildMatrix([
      column('container', 'holds', { split: '144 / 156', count: 10 }, [
        { split: '139 / 161', count: 14 },
      ]),
      column('vm:6.1', 'holds', { split: '151 / 149', count: 12 }),
    ]);
    expect(row).toMatchObject({ differs: false });
    expect(row?.spread).toEqual([
      { name: 'split', spread: 'within' },
      { name: 'count', spread: 'within' },
    ]);
  });

  it('names a value as differing where it differs by more than repeated runs on one kernel show', () => {
    const [row] = buildMatrix([
      column('container', 'holds', { completed: 3, errno: 'EADDRINUSE' }, [
        { completed: 3, errno: 'EADDRINUSE' },
        { completed: 4, errno: 'EADDRINUSE' },
      ]),
      column('vm:5.10', 'holds', { completed: 9, errno: 'listening' }),
    ]);
    expect(row).toMatchObject({ differs: true, differsOn: ['completed', 'errno'], spread: [] });
  });

  it("compares each family's value with the same family's only, never IPv4's with IPv6's", () => {
    const overBoth = (v4: number, v6: number): Results => {
      const base = results('k', 'holds', {});
      const [claim] = base.claims;
      return {
        ...base,
        claims: [
          {
            ...claim!,
            measured: [
              { name: 'completed', value: v4, family: 'ipv4' },
              { name: 'completed', value: v6, family: 'ipv6' },
            ],
          },
        ],
      };
    };
    const [row] = buildMatrix([
      { target: 'container', results: overBoth(3, 5) },
      { target: 'vm:6.12', results: overBoth(3, 5) },
    ]);
    expect(row).toMatchObject({ differs: false, spread: [] });
    expect(row?.cells[0]?.measured).toBe('IPv4: completed: 3; IPv6: completed: 5');
  });

  it('says on the page whether spread could be told from difference', () => {
    const columns = [column('container', 'holds', { a: 1 }), column('vm:6.1', 'holds', { a: 2 })];
    const rows = buildMatrix(columns);
    expect(renderMatrixHtml(columns, rows)).toContain('only verdicts are compared');
    expect(renderMatrixMarkdown(columns, rows)).toContain(
      '| C18 | holds | holds | a (no repeated runs) |',
    );
  });
});
