import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  captureFileOf,
  progressFileOf,
  reportDir,
  specFileOf,
  sysctlsFileOf,
  timelineFileName,
} from './layout';
import { familyInTitle } from './address-family';
import { readProgress, readRunData } from './record-reader';
import {
  appendProgress,
  appendRecordLine,
  clearRunRecords,
  writeCaptureFile,
  writeTestOutcomes,
  writeTimelineRecordFile,
} from './record-writer';

describe('the run records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockspec-records-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what the writer wrote, each line by its kind', () => {
    clearRunRecords(dir);
    appendRecordLine(dir, {
      type: 'measurement',
      claims: ['C12'],
      name: 'TIME_WAIT length',
      value: 60_100,
      unit: 'ms',
      from: 'clock',
    });
    appendRecordLine(dir, { type: 'setting', name: 'hold', value: 10_000, unit: 'ms' });
    appendRecordLine(dir, {
      type: 'verdict',
      claim: 'C12',
      verdict: 'holds',
      finding: 'about 60 s',
    });
    writeTimelineRecordFile(dir, {
      scenario: 'teardown/time-wait.spec.ts',
      target: 'container:abc',
      kind: 'container',
      kernel: '6.1.0',
      sysctls: {},
      started: 1,
      stopped: 2,
      changes: [],
      segments: [],
    });
    writeTestOutcomes(dir, [{ file: 'a.spec.ts', durationMs: 5, tests: [] }]);
    const run = readRunData(dir);
    expect(run.measurements.map((line) => line.name)).toEqual(['TIME_WAIT length']);
    expect(run.settings.map((line) => line.name)).toEqual(['hold']);
    expect(run.verdicts.map((line) => line.claim)).toEqual(['C12']);
    expect(run.records.map((record) => record.target)).toEqual(['container:abc']);
    expect(run.specs.map((spec) => spec.file)).toEqual(['a.spec.ts']);
  });

  it("saves a capture's pcap file under captures/, names it in the target's record, and clears it next run", () => {
    clearRunRecords(dir);
    const pcap = captureFileOf('teardown/teardown.spec.ts', 'container:abc', 8080, 1);
    writeCaptureFile(dir, pcap, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]));
    writeTimelineRecordFile(dir, {
      scenario: 'teardown/teardown.spec.ts',
      target: 'container:abc',
      kind: 'container',
      kernel: '6.1.0',
      sysctls: {},
      started: 1,
      stopped: 2,
      changes: [],
      segments: [],
      captures: [{ port: 8080, pcap }],
    });
    expect(readRunData(dir).records[0]?.captures).toEqual([{ port: 8080, pcap }]);
    expect([...readFileSync(join(dir, pcap))]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    clearRunRecords(dir);
    expect(existsSync(join(dir, 'captures'))).toBe(false);
  });

  it('reads an empty or missing folder as a run that recorded nothing', () => {
    clearRunRecords(dir);
    expect(readRunData(join(dir, 'nothing-here'))).toEqual({
      measurements: [],
      settings: [],
      verdicts: [],
      records: [],
      specs: [],
    });
  });

  it('reads progress lines from where it stopped last time', () => {
    const file = progressFileOf(dir, 'run-1');
    appendProgress(file, { id: 'a', what: 'a socket', timeoutMs: 1000, start: 1 });
    const first = readProgress(file, 0);
    appendProgress(file, { id: 'a', end: 2 });
    const second = readProgress(file, first.offset);
    expect(first.lines).toHaveLength(1);
    expect(second.lines).toEqual([{ id: 'a', end: 2 }]);
  });
});

describe('the layout', () => {
  it('puts the report where SOCKSPEC_REPORT_DIR says, and names files after what they hold', () => {
    expect(reportDir({ SOCKSPEC_REPORT_DIR: '/tmp/r' })).toBe('/tmp/r');
    expect(specFileOf('/repo/scenarios/teardown/x.spec.ts', '/repo/scenarios')).toBe(
      'teardown/x.spec.ts',
    );
    expect(timelineFileName('teardown/x.spec.ts', 'container:abc')).toBe(
      'teardown_x_spec_ts--container_abc.json',
    );
    expect(captureFileOf('teardown/x.spec.ts', 'container:abc', 8080, 2)).toBe(
      'captures/teardown_x_spec_ts--container_abc--8080-2.pcap',
    );
    expect(sysctlsFileOf('6.1.0-9-cloud-amd64')).toBe(
      'evidence/6.1.0-9-cloud-amd64/net-sysctls.txt',
    );
  });
});

describe('familyInTitle', () => {
  it("reads the family a family's describe title names, and none from a single-family title", () => {
    expect(familyInTitle('TIME_WAIT (C12) over IPv6 (::1) removes the entry')).toBe('ipv6');
    expect(familyInTitle('TIME_WAIT over IPv4 (127.0.0.1)')).toBe('ipv4');
    expect(familyInTitle('TIME_WAIT with tcp_fin_timeout = 5')).toBeUndefined();
  });
});
