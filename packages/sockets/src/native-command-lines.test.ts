import { spawn } from 'node:child_process';
import { compiledSourcesForTests, type CliRun } from '@sockspec/test-support';
import { nativeProgramsForTests } from './__fixtures__/native-build';

/**
 * The native programs read a command line as the Node ones do: on --help and on every mistake they print the same
 * text, byte for byte, and exit with the same code (0 for help, 2 for a mistake), before any socket is made.
 */
const sources = compiledSourcesForTests(__dirname);
const native = nativeProgramsForTests();

function runNative(file: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 4_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut: code === null });
    });
  });
}

/** Where a command line here would have the server listen if it were wrongly accepted: loopback, any port. */
const HERE = ['0', '127.0.0.1'];
/** ... and where the client would connect: loopback, port 1, where nothing listens. */
const NOWHERE = ['127.0.0.1', '1'];

const SERVER_LINES: readonly (readonly string[])[] = [
  ['--help'],
  ['-h'],
  [...HERE, '--bogus', '--help'],
  [...HERE, '--help', '--backlog', 'two'],
  [],
  ['65536', '127.0.0.1'],
  ['-1', '127.0.0.1'],
  ['abc', '127.0.0.1'],
  ['80.5', '127.0.0.1'],
  ['0', '999.1.1.1'],
  ['0', '01.2.3.4'],
  ['0', 'not-an-ip'],
  ['0', '::1%'],
  [...HERE, 'extra'],
  [...HERE, '--bogus'],
  [...HERE, '--bogus=1'],
  [...HERE, '-x'],
  [...HERE, '--backlog'],
  [...HERE, '--backlog', 'two'],
  [...HERE, '--backlog', '0x10'],
  [...HERE, '--backlog', '1e3'],
  [...HERE, '--backlog', '-2'],
  [...HERE, '--backlog='],
  [...HERE, '--close-after', 'Infinity'],
  [...HERE, '--close-after', '86401'],
  [...HERE, '--close-after', '.5'],
  [...HERE, '--linger', '65536'],
  [...HERE, '--linger', '1.5'],
  [...HERE, '--reuseaddr=yes'],
  [...HERE, '--help=yes'],
  ['--', '-1'],
  ['0', '--', '127.0.0.1', 'extra'],
];

const CLIENT_LINES: readonly (readonly string[])[] = [
  ['--help'],
  [],
  ['127.0.0.1'],
  ['127.0.0.1', '0'],
  ['127.0.0.1', '65536'],
  ['127.0.0.1', '-1'],
  ['127.0.0.1', 'abc'],
  ['999.1.1.1', '1'],
  ['not-an-ip', '1'],
  ['1', '127.0.0.1'],
  [...NOWHERE, 'extra'],
  [...NOWHERE, '--bogus'],
  [...NOWHERE, '--count'],
  [...NOWHERE, '--count', '0'],
  [...NOWHERE, '--count', '10001'],
  [...NOWHERE, '--count', '1e3'],
  [...NOWHERE, '--send'],
  [...NOWHERE, '--shutdown', 'sideways'],
  [...NOWHERE, '--shutdown'],
  [...NOWHERE, '--close-after', '-1'],
  [...NOWHERE, '--close-on-eof=1'],
  [...NOWHERE, '--linger', 'x'],
  ['--count', 'x', 'not-an-ip'],
];

describe.each([
  ['sockspec-server', 'server-main', SERVER_LINES] as const,
  ['sockspec-client', 'client-main', CLIENT_LINES] as const,
])('%s in C on the command line', (program, main, lines) => {
  it.each(lines)('answers %j as the Node program does', async (...args) => {
    const file = program === 'sockspec-server' ? native().server : native().client;
    const [expected, actual] = await Promise.all([
      sources().run(main, args),
      runNative(file, args),
    ]);
    expect(expected.timedOut).toBe(false);
    expect(actual).toEqual(expected);
  });
});
