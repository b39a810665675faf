import { parseArgs, type ParseArgsConfig } from 'node:util';
import { numberFlag, UsageError } from '@sockspec/command-line';

export { UsageError };

/** One command of `sockspec`: its name, a line for the overview, its usage, and what it does. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Runs with the words after the command's name; answers the exit code (2: bad usage). */
  run(args: readonly string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's words read by Node's parseArgs, or the mistake in them as one sentence. */
export function readArgs<O extends Options>(
  args: readonly string[],
  options: O,
  allowPositionals: boolean,
):
  | {
      ok: true;
      values: ReturnType<typeof parseArgs<{ options: O }>>['values'];
      positionals: string[];
    }
  | { ok: false; error: string } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals,
      strict: true,
    });
    return { ok: true, values, positionals };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A command's words read by Node's parseArgs; a mistake in them is a UsageError. */
export function argsOf<O extends Options>(
  args: readonly string[],
  options: O,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const parsed = readArgs(args, options, allowPositionals);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return {
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  };
}

/** A whole number within limits from an option's text, or the fallback when it was not given. */
export function wholeNumber(
  text: string | boolean | undefined,
  name: string,
  limits: { readonly min: number; readonly max: number; readonly fallback: number },
): number {
  return numberFlag(text, name, limits) ?? limits.fallback;
}
