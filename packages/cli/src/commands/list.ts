import { argsOf, type Command } from '../command';

/** `sockspec list`: each scenario file with the claims it checks. */
export const listCommand: Command = {
  name: 'list',
  summary: 'list the scenarios with the claims each checks',
  usage: `Usage: sockspec list

Lists every scenario file with the claims it checks (from its opening comment) and what it is about.

  --help   show this text
`,
  async run(args) {
    argsOf(args, {}, false);
    const [{ scenariosDir }, { listScenarios }] = await Promise.all([
      import('../run-suite.js'),
      import('../scenario-list.js'),
    ]);
    for (const scenario of listScenarios(scenariosDir())) {
      const claims = scenario.claims.length > 0 ? scenario.claims.join(', ') : '-';
      process.stdout.write(`${scenario.file.padEnd(34)} ${claims.padEnd(22)} ${scenario.title}\n`);
    }
    return 0;
  },
};
