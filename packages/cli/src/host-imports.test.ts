import { execFileSync } from 'node:child_process';

/**
 * What the host process loads: every package it imports (specs through testkit, this command, the report) must
 * come without koffi and libc, which only the agent inside a target needs. Each is required in a Node of its own,
 * from the built packages as npm links them, and the modules it loaded are listed.
 */
const HOST_ENTRIES = [
  '@sockspec/testkit',
  '@sockspec/testkit/runner',
  '@sockspec/agent/protocol',
  '@sockspec/records',
  '@sockspec/report',
  '@sockspec/cli',
];

function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }),
  ) as string[];
}

describe('what the host loads', () => {
  it.each(HOST_ENTRIES)('require(%p) loads neither koffi nor @sockspec/sockets', (entry) => {
    const loaded = modulesLoadedBy(entry);
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter((file) => /[\\/](koffi|sockets)[\\/]/.test(file))).toEqual([]);
  });

  it('would notice: the agent package itself does load koffi', () => {
    const loaded = modulesLoadedBy('@sockspec/agent');
    expect(loaded.some((file) => /[\\/]koffi[\\/]/.test(file))).toBe(true);
  });
});
