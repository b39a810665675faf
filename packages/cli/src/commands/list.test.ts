import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMS } from '@sockspec/claims';
import { CLAIMS_DOC_COMMAND, renderClaimsDoc } from '@sockspec/report';
import { scenariosDir } from '../run-suite';
import { listScenarios } from '../scenario-list';

const root = join(scenariosDir(), '..');
const scenarios = listScenarios(scenariosDir());
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Markdown with a table's padding and rule widths evened out, as Prettier may write them. */
const normalized = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
            .join('|')
        : line.trimEnd(),
    )
    .join('\n')
    .trim();

/** The rows of the README's scenario table: each spec's path, the claims its row names and the families. */
function scenarioRows(): { file: string; claims: string[]; families: string[] }[] {
  const section = /\n## Scenarios\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  return [
    ...section.matchAll(/^\| \[`([^`]+)`\]\(scenarios\/\1\) *\| *([^|]*?) *\| *([^|]*?) *\|/gm),
  ].map(([, file = '', claims = '', families = '']) => ({
    file,
    claims: expandClaims(claims),
    families: families.split(/,\s*/),
  }));
}

/** `C1–C5, X2` as the IDs it spans; `-` as none. */
function expandClaims(text: string): string[] {
  if (text === '-') return [];
  return text.split(/,\s*/).flatMap((part) => {
    const range = /^([CX])(\d+)[–-]\1?(\d+)$/.exec(part);
    if (range === null) return [part];
    const [, prefix = '', from = '0', to = '0'] = range;
    return Array.from(
      { length: Number(to) - Number(from) + 1 },
      (_, i) => `${prefix}${Number(from) + i}`,
    );
  });
}

describe('the docs agree with the code', () => {
  it(`docs/claims.md is what \`${CLAIMS_DOC_COMMAND}\` writes from packages/claims and the specs`, () => {
    const written = readFileSync(join(root, 'docs', 'claims.md'), 'utf8');
    expect(normalized(written)).toBe(normalized(renderClaimsDoc(CLAIMS, scenarios)));
  });

  it("the README's Claims section points to docs/claims.md", () => {
    const section = /\n## Claims\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
    expect(section).toContain('](docs/claims.md)');
  });

  it("the README's scenario table has a row for every spec, with the claims its header lists and its families", () => {
    const rows = scenarioRows();
    expect(rows.map((row) => row.file).sort()).toEqual(scenarios.map((s) => s.file).sort());
    for (const spec of scenarios) {
      const row = rows.find((each) => each.file === spec.file);
      expect({ file: spec.file, claims: row?.claims, families: row?.families }).toEqual({
        file: spec.file,
        claims: [...spec.claims],
        families: [...spec.families],
      });
    }
  });
});
