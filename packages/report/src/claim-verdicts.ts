import { claimIdsIn, type ClaimId } from '@sockspec/claims';
import type { SpecOutcome, VerdictLine } from '@sockspec/records';

/** A claim's verdict in one run: declared by a spec if all its tests passed, else `failed` or `not run`. */
export type ClaimVerdict = 'holds' | 'holds-with-nuance' | 'differs' | 'failed' | 'not run';

/** A test that names a claim, and how it ended. */
export interface ClaimTest {
  readonly file: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'not run';
  readonly failure?: string;
}

export interface DerivedVerdict {
  readonly verdict: ClaimVerdict;
  /** The findings the passing specs declared (none unless the verdict is one they declared). */
  readonly findings: readonly string[];
  /** Why the claim is `failed` or `not run`. */
  readonly reason?: string;
  /** Every test that names the claim, in its own title or a describe's. */
  readonly tests: readonly ClaimTest[];
}

const DEPARTURE: Readonly<Record<string, number>> = {
  holds: 0,
  'holds-with-nuance': 1,
  differs: 2,
};

/** Whether a test names a claim: its own title or one of its describes' titles holds the ID in parentheses. */
function names(test: SpecOutcome['tests'][number], claim: ClaimId): boolean {
  return [...test.ancestorTitles, test.title].some((title) =>
    claimIdsIn(title).ids.includes(claim),
  );
}

function statusOf(status: string): ClaimTest['status'] {
  return status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'not run';
}

/**
 * A claim's verdict from the outcome of every test that names it, and nothing else. Fails closed: one failed test
 * makes the claim `failed` whatever the others declared; a spec file that failed outside its tests fails every
 * claim its header lists; a test that did not run, or no test at all, makes it `not run`; and only when every test
 * passed does it take the verdict those tests declared (the strongest departure from the article, when they
 * declared several). Pure.
 */
export function deriveVerdict(
  claim: ClaimId,
  specs: readonly SpecOutcome[],
  declared: readonly VerdictLine[],
): DerivedVerdict {
  const tests: ClaimTest[] = specs.flatMap((spec) =>
    spec.tests
      .filter((test) => names(test, claim))
      .map((test) => ({
        file: spec.file,
        name: test.fullName,
        status: statusOf(test.status),
        ...(test.failure === undefined ? {} : { failure: test.failure }),
      })),
  );
  const brokenFiles = specs.filter(
    (spec) => spec.failure !== undefined && (spec.claims ?? []).includes(claim),
  );
  const failed = tests.filter((test) => test.status === 'failed');
  if (brokenFiles.length > 0 || failed.length > 0) {
    const first = brokenFiles[0];
    const reason =
      first !== undefined
        ? `${first.file} failed to run: ${first.failure ?? ''}`
        : failed
            .map((test) => `${test.file} > ${test.name} failed: ${test.failure ?? ''}`)
            .join('\n');
    return { verdict: 'failed', findings: [], reason, tests };
  }
  if (tests.length === 0) {
    return { verdict: 'not run', findings: [], reason: 'no test that ran names it', tests };
  }
  const skipped = tests.filter((test) => test.status === 'not run');
  if (skipped.length > 0) {
    return {
      verdict: 'not run',
      findings: [],
      reason: `${skipped.length} of its ${tests.length} tests did not run: ${skipped
        .map((test) => `${test.file} > ${test.name}`)
        .join('; ')}`,
      tests,
    };
  }
  // Only what a test naming the claim declared counts (the testkit refuses anything else at record time).
  const passedNames = new Set(tests.map((test) => `${test.file} > ${test.name}`));
  const mine = declared.filter(
    (line) =>
      line.claim === claim && passedNames.has(`${line.scenario ?? ''} > ${line.test ?? ''}`),
  );
  if (mine.length === 0) {
    return {
      verdict: 'not run',
      findings: [],
      reason: `its ${tests.length} tests passed, but none declared a verdict`,
      tests,
    };
  }
  const verdict = mine.reduce<VerdictLine['verdict']>(
    (strongest, line) =>
      (DEPARTURE[line.verdict] ?? 0) > (DEPARTURE[strongest] ?? 0) ? line.verdict : strongest,
    'holds',
  );
  return { verdict, findings: [...new Set(mine.map((line) => line.finding))], tests };
}
