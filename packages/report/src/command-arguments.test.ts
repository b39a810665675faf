import { argumentError } from './command-arguments';
import { runWords } from './sockspec-cli';

describe('the arguments each sockspec command takes', () => {
  it.each([
    ['run', ['--watch'], "'--watch'"],
    ['run', ['teardown', '-t'], "'-t'"],
    ['matrix', ['--all'], "'--all'"],
    ['watch', ['-f'], "'-f'"],
    ['watch', ['one', 'two'], "'two'"],
    ['list', ['extra'], "'extra'"],
    ['report', ['extra'], "'extra'"],
    ['run', ['teardown', '--config'], '--config needs a file'],
  ])('refuses %s %j, naming %s', (command, args, named) => {
    expect(argumentError(command, args)).toContain(named);
  });

  it.each([
    ['run', []],
    ['run', ['teardown', 'reuse']],
    ['run', ['--config', 'kit/fixtures/jest.fixture.config.js', 'passes']],
    ['run', ['--config=kit/fixtures/jest.fixture.config.js']],
    ['matrix', ['container', 'vm:6.1']],
    ['watch', []],
    ['watch', ['abc123']],
    ['list', []],
    ['report', []],
    ['soak', ['--runs', '3']],
  ])('takes %s %j', (command, args) => {
    expect(argumentError(command, args)).toBeUndefined();
  });
});

describe('runWords', () => {
  it('takes --config FILE or --config=FILE apart from the path words', () => {
    expect(runWords(['--config', 'c.js', 'teardown'])).toEqual({
      filters: ['teardown'],
      jestConfig: 'c.js',
    });
    expect(runWords(['reuse', '--config=c.js'])).toEqual({
      filters: ['reuse'],
      jestConfig: 'c.js',
    });
    expect(runWords(['reuse'])).toEqual({ filters: ['reuse'] });
  });
});
