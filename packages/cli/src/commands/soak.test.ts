import { UsageError } from '../command';
import { parseSoakArgs } from './soak';

describe('sockspec soak arguments', () => {
  it('takes --runs N and path words', () => {
    expect(parseSoakArgs(['--runs', '5', 'teardown'])).toEqual({
      runs: 5,
      load: 0,
      filters: ['teardown'],
    });
  });

  it('takes --load N, the CPU-bound processes beside each run', () => {
    expect(parseSoakArgs(['--load', '3'])).toEqual({ runs: 3, load: 3, filters: [] });
  });

  it.each([
    [['--runs']],
    [['--runs', '0']],
    [['--runs', 'x']],
    [['--load']],
    [['--load', '-1']],
    [['--load', '65']],
    [['--bogus']],
  ])('refuses %j as bad usage', (args) => {
    expect(() => parseSoakArgs(args)).toThrow(UsageError);
  });
});
