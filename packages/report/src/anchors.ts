/** The id of a scenario's section, from its file: `teardown/teardown.spec.ts` → `scenario-teardown-teardown-spec-ts`. */
export function sectionId(scenario: string): string {
  const slug = scenario
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `scenario-${slug}`;
}

/** The id of each failure's full message at the foot of the page, by its `where`: `failure-1`, `failure-2`, ... */
export function failureIds(
  claims: readonly { readonly failures?: readonly { readonly where: string }[] }[],
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const failure of claims.flatMap((claim) => claim.failures ?? []))
    if (!ids.has(failure.where)) ids.set(failure.where, `failure-${ids.size + 1}`);
  return ids;
}
