/** A claim as the doc lists it: its ID and words, from packages/claims. */
export interface DocClaim {
  readonly id: string;
  readonly text: string;
}

/** A spec file (relative to scenarios/) and the claims its opening comment lists. */
export interface DocSpec {
  readonly file: string;
  readonly claims: readonly string[];
  /** The address families its tests run over (`IPv4`, `IPv6`); a spec over one names none. */
  readonly families?: readonly string[];
}

/** What a reader is told first: where the table comes from, and how to write it again. */
export const CLAIMS_DOC_COMMAND = 'npx sockspec list --markdown > docs/claims.md';

/**
 * docs/claims.md: every claim of packages/claims in order, each with the specs whose opening comment lists it,
 * linked from docs/. Pure; `sockspec list --markdown` prints it and a test holds the file to it.
 */
export function renderClaimsDoc(claims: readonly DocClaim[], specs: readonly DocSpec[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const range = (prefix: string): string => {
    const ids = claims.map((claim) => claim.id).filter((id) => id.startsWith(prefix));
    return ids.length <= 1 ? (ids[0] ?? 'none') : `${ids[0]} to ${ids[ids.length - 1]}`;
  };
  const rows = claims.map((claim) => {
    const checking = specs
      .filter((spec) => spec.claims.includes(claim.id))
      .map(
        (spec) =>
          `[\`${spec.file}\`](../scenarios/${spec.file})${(spec.families?.length ?? 0) > 1 ? ` (${spec.families?.join(', ')})` : ''}`,
      );
    return `| ${claim.id} | ${cell(claim.text)} | ${checking.length > 0 ? checking.join(', ') : 'no spec yet'} |`;
  });
  return [
    '# The claims',
    '',
    `<!-- Written by \`${CLAIMS_DOC_COMMAND}\` from packages/claims and the specs' opening comments: edit those. -->`,
    '',
    `${range('C')} are the article's claims about TCP's teardown, in this project's words; ${range('X')} are the`,
    'questions its readers ask next. Each spec lists the claims it checks in its opening comment and names them in',
    "its tests; a run's report gives each claim its verdict.",
    '',
    '| ID | The claim | Checked by |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
