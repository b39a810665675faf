import { UsageError, type Command } from './command';
import { checkCommand } from './commands/check';
import { imageCommand } from './commands/image';
import { listCommand } from './commands/list';
import { matrixCommand } from './commands/matrix';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { soakCommand } from './commands/soak';
import { watchCommand } from './commands/watch';

const COMMANDS: readonly Command[] = [
  runCommand,
  listCommand,
  matrixCommand,
  soakCommand,
  watchCommand,
  checkCommand,
  reportCommand,
  imageCommand,
];

export const USAGE = `Usage: sockspec <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(8)} ${command.summary}`).join('\n')}

Every command takes --help. Ctrl-C during a run stops it and removes every target it started.
`;

/** The sockspec command: picks the command, answers --help, and turns a usage mistake into exit code 2. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(undefined, 'missing command');
  if (['--help', '-h', 'help'].includes(name)) {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) return usageError(undefined, `unknown command '${name}'`);
  // Words after `--` are another program's (sockspec check -- node server.js --help).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) return usageError(command, error.message);
    throw error;
  }
}

function usageError(command: Command | undefined, message: string): number {
  process.stderr.write(
    `sockspec${command === undefined ? '' : ` ${command.name}`}: ${message}\n\n${command?.usage ?? USAGE}`,
  );
  return 2;
}
