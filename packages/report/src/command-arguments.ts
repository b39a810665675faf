/**
 * What each sockspec command takes: run and matrix take words (scenario paths, targets), watch one container,
 * list and report nothing. Checked before a command starts, so a typo such as `sockspec run --watch` is refused
 * instead of building the image and handing `--watch` to Jest. (soak reads its own options.)
 */
export function argumentError(command: string, args: readonly string[]): string | undefined {
  if (!['run', 'matrix', 'watch', 'list', 'report'].includes(command)) return undefined;
  // run takes one option: --config FILE (or --config=FILE), another Jest config for the scenarios.
  const words =
    command === 'run'
      ? args.filter(
          (arg, i) =>
            arg !== '--config' && args[i - 1] !== '--config' && !arg.startsWith('--config='),
        )
      : args;
  if (command === 'run' && args[args.length - 1] === '--config') return '--config needs a file';
  const option = words.find((arg) => arg.startsWith('-'));
  if (option !== undefined) return `unknown option '${option}' for ${command}`;
  if ((command === 'list' || command === 'report') && args.length > 0) {
    return `${command} takes no arguments, not '${args[0]}'`;
  }
  if (command === 'watch' && args.length > 1) {
    return `watch takes one container at most, not '${args[1]}'`;
  }
  return undefined;
}
