import { renderClaimsDoc } from './claims-doc';

describe('renderClaimsDoc', () => {
  const doc = renderClaimsDoc(
    [
      { id: 'C1', text: 'Four segments | or three.' },
      { id: 'C2', text: 'Two.' },
      { id: 'X1', text: 'RST.' },
    ],
    [
      { file: 'teardown/teardown.spec.ts', claims: ['C1'], families: ['IPv4', 'IPv6'] },
      { file: 'teardown/reset.spec.ts', claims: ['C1', 'X1'] },
      { file: 'kit/cleanup.spec.ts', claims: [] },
    ],
  );

  it('lists every claim in order with the specs that list it, linked from docs/', () => {
    expect(doc).toContain(
      '| C1 | Four segments \\| or three. | [`teardown/teardown.spec.ts`](../scenarios/teardown/teardown.spec.ts) (IPv4, IPv6), [`teardown/reset.spec.ts`](../scenarios/teardown/reset.spec.ts) |',
    );
    expect(doc).toContain('| C2 | Two. | no spec yet |');
    expect(doc.indexOf('| C2 |')).toBeLessThan(doc.indexOf('| X1 |'));
  });

  it('names the ranges of IDs it holds and how it was written', () => {
    expect(doc).toContain("C1 to C2 are the article's claims");
    expect(doc).toContain('X1 are the');
    expect(doc).toContain('npx sockspec list --markdown > docs/claims.md');
  });
});
