import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearRunRecords } from '@sockspec/records';
import { withoutRelativeLinks, writeReport } from './write-report';

describe('writeReport and the GitHub step summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockspec-write-report-'));
  const summary = join(dir, 'step-summary.md');
  const before = process.env.GITHUB_STEP_SUMMARY;
  beforeEach(() => clearRunRecords(join(dir, 'report')));
  afterEach(() => {
    if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = before;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("appends README.md's claims table to GITHUB_STEP_SUMMARY, after what earlier steps wrote", () => {
    writeFileSync(summary, '## An earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    writeReport(join(dir, 'report'));
    const readme = readFileSync(join(dir, 'report', 'README.md'), 'utf8');
    expect(readme).toContain(
      '| ID | The article says | Verdict | What the kernel did | Measured |',
    );
    expect(readFileSync(summary, 'utf8')).toBe(
      `## An earlier step\n${withoutRelativeLinks(readme)}\n`,
    );
  });

  it('keeps link texts and absolute links, drops relative targets, for the step summary', () => {
    expect(
      withoutRelativeLinks(
        '[C1](index.html#c1), [sysctls](kernel/6.1.txt), [RFC](https://x.org/a)',
      ),
    ).toBe('C1, sysctls, [RFC](https://x.org/a)');
  });

  it('leaves the step summary alone when GITHUB_STEP_SUMMARY is unset or empty', () => {
    writeFileSync(summary, 'untouched\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    writeReport(join(dir, 'report'));
    process.env.GITHUB_STEP_SUMMARY = '';
    writeReport(join(dir, 'report'));
    expect(readFileSync(summary, 'utf8')).toBe('untouched\n');
  });
});
