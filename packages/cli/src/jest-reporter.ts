import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  AggregatedResult,
  Reporter,
  Test,
  TestCaseResult,
  TestContext,
  TestResult,
} from '@jest/reporters';
import { reportDir, specFileOf, writeTestOutcomes, type SpecOutcome } from '@sockspec/records';
import { cliConfig } from './cli-config';
import { describeSpec } from './scenario-list';
import { writeReport } from './write-report';

/** How much of a failure message a record keeps: its first lines say what failed. */
const FAILURE_LINES = 12;

export interface SockspecReporterOptions {
  /** Print each test as it finishes (the sockspec command's live view); off under `npm test`. */
  readonly progress?: boolean;
}

/**
 * A Jest reporter that turns a scenario run into the report: it records how every test ended and writes index.html,
 * results.json and README.md when the run ends (the testkit's globalSetup cleared the folder at its start).
 * `npm test` and `sockspec run` both use it.
 */
export default class SockspecReporter implements Pick<
  Reporter,
  'onTestCaseResult' | 'onTestResult' | 'onRunComplete'
> {
  private readonly specs: SpecOutcome[] = [];
  private readonly dir = reportDir();

  private readonly options: SockspecReporterOptions;

  constructor(_globalConfig: unknown, options: SockspecReporterOptions = {}) {
    // `sockspec run` asks for live lines through SOCKSPEC_PROGRESS (Jest's --reporters flag takes no options).
    this.options = { progress: cliConfig().progress, ...options };
  }

  onTestCaseResult(test: Test, result: TestCaseResult): void {
    if (!this.options.progress) return;
    const mark = result.status === 'passed' ? '✓' : result.status === 'failed' ? '✗' : '-';
    const seconds = ((result.duration ?? 0) / 1000).toFixed(1);
    process.stdout.write(`  ${mark} ${specFileOf(test.path)}: ${result.fullName} (${seconds} s)\n`);
    for (const message of result.failureMessages) {
      process.stdout.write(`${message.split('\n').slice(0, 12).join('\n')}\n`);
    }
  }

  onTestResult(_test: Test, result: TestResult): void {
    this.specs.push({
      file: specFileOf(result.testFilePath),
      claims: headerClaims(result.testFilePath),
      durationMs: result.perfStats.end - result.perfStats.start,
      ...(result.testExecError === undefined
        ? {}
        : { failure: firstLines(result.testExecError.message) }),
      tests: result.testResults.map((assertion) => ({
        ancestorTitles: assertion.ancestorTitles,
        title: assertion.title,
        fullName: assertion.fullName,
        status: assertion.status,
        ...(assertion.status === 'failed'
          ? { failure: firstLines(assertion.failureMessages.join('\n')) }
          : {}),
      })),
    });
  }

  onRunComplete(_contexts: Set<TestContext>, aggregated: AggregatedResult): void {
    writeTestOutcomes(this.dir, this.specs);
    const results = writeReport(this.dir);
    const counts = new Map<string, number>();
    for (const claim of results.claims)
      counts.set(claim.verdict, (counts.get(claim.verdict) ?? 0) + 1);
    const summary = [...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ');
    // Where the person typed the command, not Jest's own folder.
    const from = cliConfig().commandCwd;
    process.stdout.write(
      `\nsockspec report: ${relative(from, join(this.dir, 'index.html'))} (${summary}; ` +
        `${aggregated.numPassedTests} tests passed, ${aggregated.numFailedTests} failed)\n`,
    );
  }
}

/** The claims a spec file's opening comment lists; none when it cannot be read. */
function headerClaims(path: string): string[] {
  try {
    return describeSpec(readFileSync(path, 'utf8')).claims;
  } catch {
    return [];
  }
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, FAILURE_LINES).join('\n');
}
