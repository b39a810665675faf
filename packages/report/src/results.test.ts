import { CLAIMS } from '@sockspec/claims';
import { sysctlsFileOf } from '@sockspec/records';
import { measurementLine } from './measurement-text';
import { buildResults } from './results';
import type { RunData } from '@sockspec/records';

const run: RunData = {
  measurements: [
    {
      type: 'measurement',
      claims: ['C12'],
      name: 'TIME_WAIT length',
      value: 60_677,
      unit: 'ms',
      from: 'clock',
      scenario: 'teardown/time-wait.spec.ts',
      test: 'a (C12)',
    },
  ],
  settings: [
    { type: 'setting', name: 'port', value: 8090, scenario: 'teardown/time-wait.spec.ts' },
  ],
  verdicts: [
    {
      type: 'verdict',
      claim: 'C12',
      verdict: 'holds-with-nuance',
      finding: 'not tcp_fin_timeout',
      scenario: 'teardown/time-wait.spec.ts',
      test: 'a (C12)',
    },
  ],
  records: [],
  specs: [
    {
      file: 'teardown/time-wait.spec.ts',
      durationMs: 61_000,
      tests: [{ ancestorTitles: [], title: 'a (C12)', fullName: 'a (C12)', status: 'passed' }],
    },
  ],
};

describe('buildResults', () => {
  it('gives every claim of the article and its readers one row, in order', () => {
    const results = buildResults(run, 'now');
    expect(results.claims.map((claim) => claim.id).slice(0, 3)).toEqual(['C1', 'C2', 'C3']);
    expect(results.claims).toHaveLength(CLAIMS.length);
  });

  it("shows a claim's derived verdict with what was measured and the tests behind it", () => {
    const c12 = buildResults(run, 'now').claims.find((claim) => claim.id === 'C12');
    expect(c12).toMatchObject({
      verdict: 'holds-with-nuance',
      findings: ['not tcp_fin_timeout'],
      measured: [{ name: 'TIME_WAIT length', value: 60_677, unit: 'ms', from: 'clock' }],
      scenarios: ['teardown/time-wait.spec.ts'],
      tests: [{ file: 'teardown/time-wait.spec.ts', name: 'a (C12)', status: 'passed' }],
    });
  });

  it("keeps the family each value was measured over, in results.json and beside the value's text", () => {
    const V6 = 'TIME_WAIT over IPv6 (::1) lasts (C12)';
    const overIpv6: RunData = {
      ...run,
      measurements: [{ ...run.measurements[0]!, test: V6, family: 'ipv6' }],
      verdicts: [{ ...run.verdicts[0]!, test: V6, family: 'ipv6' }],
      specs: [
        {
          file: 'teardown/time-wait.spec.ts',
          durationMs: 1,
          tests: [
            {
              ancestorTitles: ['TIME_WAIT over IPv6 (::1)'],
              title: 'lasts (C12)',
              fullName: V6,
              status: 'passed',
            },
          ],
        },
      ],
    };
    const c12 = buildResults(overIpv6, 'now').claims.find((claim) => claim.id === 'C12');
    expect(c12).toMatchObject({
      families: { ipv6: 'holds-with-nuance' },
      measured: [{ name: 'TIME_WAIT length', family: 'ipv6' }],
      tests: [{ family: 'ipv6' }],
    });
    expect(measurementLine(c12!.measured[0]!)).toBe(
      'IPv6: TIME_WAIT length: 60,677 ms, from a clock',
    );
  });

  it("lists each spec file's settings apart from the claims' measurements", () => {
    const results = buildResults(run, 'now');
    expect(results.specs).toEqual([
      {
        file: 'teardown/time-wait.spec.ts',
        durationMs: 61_000,
        passed: 1,
        failed: 0,
        notRun: 0,
        settings: [{ name: 'port', value: 8090 }],
      },
    ]);
  });

  it("keeps each kernel's evidence: its uname and net.* sysctls, from a target that set none", () => {
    const record = {
      scenario: 's',
      target: 't',
      kind: 'container',
      kernel: '6.1.0-9-cloud-amd64',
      sysctls: {},
      started: 0,
      stopped: 1,
      changes: [],
      segments: [],
    };
    const results = buildResults(
      {
        ...run,
        records: [
          {
            ...record,
            uname: 'Linux a',
            netSysctls: { 'net.ipv4.tcp_fin_timeout': '5' },
            requestedSysctls: { 'net.ipv4.tcp_fin_timeout': 5 },
          },
          {
            ...record,
            uname: 'Linux b',
            netSysctls: { 'net.ipv4.tcp_fin_timeout': '60' },
            requestedSysctls: {},
          },
        ],
      },
      'now',
    );
    expect(results.kernels).toEqual([
      {
        release: '6.1.0-9-cloud-amd64',
        uname: 'Linux b',
        netSysctls: { 'net.ipv4.tcp_fin_timeout': '60' },
        sysctlsFile: sysctlsFileOf('6.1.0-9-cloud-amd64'),
      },
    ]);
    expect(sysctlsFileOf('6.1.0-9-cloud-amd64')).toBe(
      'evidence/6.1.0-9-cloud-amd64/net-sysctls.txt',
    );
  });
});
