import { argsOf, type Command } from '../command';

/** `sockspec list`: each scenario file with the claims it checks, or the claims with their specs as Markdown. */
export const listCommand: Command = {
  name: 'list',
  summary: 'list the scenarios with the claims each checks',
  usage: `Usage: sockspec list [--markdown]

Lists every scenario file with the claims it checks (from its opening comment), the address families its tests
run over (IPv4, or IPv4+IPv6), and what it is about.

  --markdown   print docs/claims.md instead: every claim (packages/claims) with the specs that check it
  --help       show this text
`,
  async run(args) {
    const { values } = argsOf(args, { markdown: { type: 'boolean' } }, false);
    const [{ scenariosDir }, { listScenarios }] = await Promise.all([
      import('../run-suite.js'),
      import('../scenario-list.js'),
    ]);
    const scenarios = listScenarios(scenariosDir());
    if (values.markdown === true) {
      const [{ CLAIMS }, { renderClaimsDoc }] = await Promise.all([
        import('@sockspec/claims'),
        import('@sockspec/report'),
      ]);
      process.stdout.write(renderClaimsDoc(CLAIMS, scenarios));
      return 0;
    }
    const width = Math.max(0, ...scenarios.map((scenario) => scenario.file.length));
    for (const scenario of scenarios) {
      const claims = scenario.claims.length > 0 ? scenario.claims.join(', ') : '-';
      const families = scenario.families.join('+');
      process.stdout.write(
        `${scenario.file.padEnd(width)}  ${claims.padEnd(22)} ${families.padEnd(9)} ${scenario.title}\n`,
      );
    }
    return 0;
  },
};
