import { claimIdsIn, type ClaimId } from '@sockspec/claims';
import {
  FAMILY_NAMES,
  familyInTitle,
  type AddressFamily,
  type DeclaredVerdict,
  type SpecOutcome,
  type VerdictLine,
} from '@sockspec/records';
import { failureSummary, plainFailure } from './failure-text';

/** A claim's verdict in one run: declared by a spec if all its tests passed, else `failed` or `not run`. */
export type ClaimVerdict = 'holds' | 'holds-with-nuance' | 'differs' | 'failed' | 'not run';

/** A test that names a claim, and how it ended. */
export interface ClaimTest {
  readonly file: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'not run';
  readonly failure?: string;
  /** The address family it ran over, for a spec that runs over both (`over IPv6` in a describe's title). */
  readonly family?: AddressFamily;
}

/** The verdict each family's tests declared, for a claim checked over both. */
export type FamilyVerdicts = Readonly<Partial<Record<AddressFamily, DeclaredVerdict>>>;

/** Why a claim failed: a test naming it, or a spec file listing it, that failed. */
export interface ClaimFailure {
  readonly file: string;
  /** The failing test's full name; absent when the file failed outside its tests. */
  readonly test?: string;
  /** `file > test name`, or the file alone. */
  readonly where: string;
  /** The failure's first line: what the claims table shows. */
  readonly summary: string;
  /** The whole message as the run kept it, without colour codes. */
  readonly message: string;
}

export interface DerivedVerdict {
  readonly verdict: ClaimVerdict;
  /** The findings the passing specs declared (none unless the verdict is one they declared). */
  readonly findings: readonly string[];
  /** For a claim checked over both families, the verdict each declared (the claim takes the stronger departure). */
  readonly families?: FamilyVerdicts;
  /** Why the claim is `failed` or `not run`, one line per cause. */
  readonly reason?: string;
  /** For a `failed` claim: each failure, in full. */
  readonly failures?: readonly ClaimFailure[];
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

function failureOf(file: string, test: string | undefined, message: string): ClaimFailure {
  return {
    file,
    ...(test === undefined ? {} : { test }),
    where: test === undefined ? file : `${file} > ${test}`,
    summary: failureSummary(message),
    message: plainFailure(message),
  };
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
      .map((test) => {
        const family = familyInTitle(test.fullName);
        return {
          file: spec.file,
          name: test.fullName,
          status: statusOf(test.status),
          ...(test.failure === undefined ? {} : { failure: test.failure }),
          ...(family === undefined ? {} : { family }),
        };
      }),
  );
  const brokenFiles = specs.filter(
    (spec) => spec.failure !== undefined && (spec.claims ?? []).includes(claim),
  );
  const failed = tests.filter((test) => test.status === 'failed');
  if (brokenFiles.length > 0 || failed.length > 0) {
    // A file that failed to run says all there is; else each failing test, by its first line.
    const failures: ClaimFailure[] =
      brokenFiles.length > 0
        ? brokenFiles.map((spec) => failureOf(spec.file, undefined, spec.failure ?? ''))
        : failed.map((test) => failureOf(test.file, test.name, test.failure ?? ''));
    const verb = brokenFiles.length > 0 ? 'failed to run' : 'failed';
    const reason = failures.map((f) => `${f.where} ${verb}: ${f.summary}`).join('\n');
    return { verdict: 'failed', findings: [], reason, failures, tests };
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
  // A claim checked over both families holds only where it held over each: a family whose tests declared nothing
  // leaves it not run, whatever the other declared.
  const families = [...new Set(tests.flatMap((test) => test.family ?? []))];
  const silent = families.filter((family) => !mine.some((line) => line.family === family));
  if (silent.length > 0) {
    return {
      verdict: 'not run',
      findings: [],
      reason: `its ${silent.map((family) => FAMILY_NAMES[family]).join(' and ')} tests passed, but none declared a verdict: it holds only where it held over both families`,
      tests,
    };
  }
  const byFamily = Object.fromEntries(
    families.map((family) => [family, strongest(mine.filter((line) => line.family === family))]),
  ) as FamilyVerdicts;
  // Where the families' verdicts differ, each finding says which family it is from.
  const split = new Set(Object.values(byFamily)).size > 1;
  const findings = mine.map((line) =>
    split && line.family !== undefined
      ? `${FAMILY_NAMES[line.family]}: ${line.finding}`
      : line.finding,
  );
  return {
    verdict: strongest(mine),
    findings: [...new Set(findings)],
    ...(families.length === 0 ? {} : { families: byFamily }),
    tests,
  };
}

/** The strongest departure from the article among declared verdicts. */
function strongest(lines: readonly VerdictLine[]): DeclaredVerdict {
  return lines.reduce<DeclaredVerdict>(
    (chosen, line) =>
      (DEPARTURE[line.verdict] ?? 0) > (DEPARTURE[chosen] ?? 0) ? line.verdict : chosen,
    'holds',
  );
}
