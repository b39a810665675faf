import { claimIdsIn, type CheckedTitle } from './claim-ids';
import { CLAIMS, isClaimId } from './claims';

describe('claimIdsIn', () => {
  it('reads every ID of every claim group, once each', () => {
    expect(claimIdsIn('a server that never calls close() while it lives (C3, C8, C9)').ids).toEqual(
      ['C3', 'C8', 'C9'],
    );
    expect(claimIdsIn('TIME_WAIT (C12) lasts (C12, C19)').ids).toEqual(['C12', 'C19']);
  });

  it('ignores parentheses that name no claim', () => {
    expect(claimIdsIn('listen(fd, %i) on a server that never calls accept()')).toEqual({
      ids: [],
      unknown: [],
    });
    expect(claimIdsIn('with (tcp_fin_timeout = 5) set').ids).toEqual([]);
  });

  it('reports an ID that is no claim, rather than dropping it silently', () => {
    expect(claimIdsIn('refuses it (C71, X7)')).toEqual({ ids: ['X7'], unknown: ['C71'] });
  });
});

describe('the claims', () => {
  it('are C1 to C20 and X1 to X13, in that order', () => {
    expect(CLAIMS.map((claim) => claim.id)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `C${i + 1}`),
      ...Array.from({ length: 13 }, (_, i) => `X${i + 1}`),
    ]);
    expect(isClaimId('C20')).toBe(true);
    expect(isClaimId('C21')).toBe(false);
    expect(isClaimId('X13')).toBe(true);
    expect(isClaimId('X14')).toBe(false);
  });

  it('make a title with a stray ID fail to type-check', () => {
    const good: CheckedTitle<'takes four segments (C1)'> = 'takes four segments (C1)';
    // @ts-expect-error C21 is no claim
    const bad: CheckedTitle<'takes four segments (C21)'> = 'takes four segments (C21)';
    expect([good, bad]).toHaveLength(2);
  });
});
