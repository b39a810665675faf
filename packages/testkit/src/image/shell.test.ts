import { outputOf, shell, succeeds } from './shell';

describe('outputOf', () => {
  it("answers a command's standard output, its arguments quoted by zx", async () => {
    expect(await outputOf(shell`printf %s ${'two words'}`)).toBe('two words');
  });

  it('names the command, its exit code and the last five lines of its stderr when it fails', async () => {
    const script = 'for i in 1 2 3 4 5 6 7; do echo line$i >&2; done; exit 3';
    const failure = outputOf(shell`sh -c ${script}`);
    await expect(failure).rejects.toThrow(
      /^sh -c .*for i in .* failed \(3\): line3\nline4\nline5\nline6\nline7$/,
    );
  });

  it('gives the last lines of stdout instead where the command printed nothing on stderr', async () => {
    await expect(outputOf(shell`sh -c ${'echo E: no release file; exit 1'}`)).rejects.toThrow(
      /failed \(1\): E: no release file$/,
    );
  });

  it('fails a pipe whose first command fails (pipefail)', async () => {
    await expect(outputOf(shell`sh -c ${'exit 4'} | cat`)).rejects.toThrow(/failed \(4\)/);
  });

  it('names the signal of a command stopped by its time-out', async () => {
    await expect(outputOf(shell({ timeout: 200 })`sleep 5`)).rejects.toThrow(
      /^sleep 5 failed \(SIGTERM\)/,
    );
  });
});

describe('succeeds', () => {
  it('tells whether a command exits 0', async () => {
    expect(await succeeds(shell`true`)).toBe(true);
    expect(await succeeds(shell`false`)).toBe(false);
  });
});
