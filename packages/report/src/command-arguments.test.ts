import { argumentError } from './command-arguments';

describe('the arguments each sockspec command takes', () => {
  it.each([
    ['run', ['--watch'], "'--watch'"],
    ['run', ['teardown', '-t'], "'-t'"],
    ['matrix', ['--all'], "'--all'"],
    ['watch', ['-f'], "'-f'"],
    ['watch', ['one', 'two'], "'two'"],
    ['list', ['extra'], "'extra'"],
    ['report', ['extra'], "'extra'"],
  ])('refuses %s %j, naming %s', (command, args, named) => {
    expect(argumentError(command, args)).toContain(named);
  });

  it.each([
    ['run', []],
    ['run', ['teardown', 'reuse']],
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
