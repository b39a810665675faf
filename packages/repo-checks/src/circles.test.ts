import { circlesIn, cruise } from './import-circles';

/**
 * packages/*\/src, tests and fixtures included, through dependency-cruiser's no-circular rule with type-only imports
 * counted (.dependency-cruiser.cjs at the root; `npx depcruise packages/*\/src` shows the same).
 */
describe("the packages' sources", () => {
  it('import in no circle', () => {
    expect(circlesIn(cruise(['packages/*/src']))).toEqual([]);
  }, 60_000);
});
