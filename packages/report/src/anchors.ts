/** The id of a scenario's section, from its file: `teardown/teardown.spec.ts` → `scenario-teardown-teardown-spec-ts`. */
export function sectionId(scenario: string): string {
  const slug = scenario
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `scenario-${slug}`;
}
