import { posix } from 'node:path';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { parse } from 'yaml';
import type { FileTree } from './repo-files';
import { simpleCommands } from './shell-words';
import { binNames, readManifest, workspacesOf } from './workspaces';

/** What a workflow's steps may name in the repository, besides its files. */
export interface WorkflowContext {
  readonly tree: FileTree;
  /** The root package.json's scripts (`npm run <name>`, `npm test`). */
  readonly npmScripts: ReadonlySet<string>;
  /** Commands `npx` finds after `npm ci`: the bins of the workspaces and of the installed packages. */
  readonly npxCommands: ReadonlySet<string>;
}

/** Words before a command that do not name it: shell keywords, variable assignments. */
const NOT_THE_COMMAND = new Set('if then else elif do while until ! { ( time exec'.split(' '));
/** Per interpreter, the options after which the next word is code, not a script's path. */
const INLINE_CODE: Readonly<Record<string, readonly string[]>> = {
  node: ['-e', '--eval', '-p', '--print'],
  bash: ['-c'],
  sh: ['-c'],
  tsx: ['-e', '--eval', '-p', '--print'],
};
/** sudo's options that take the next word as their value. */
const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']);
const NPM_LIFECYCLE = new Set(['test', 't', 'start']);

/** What one simple command names: a script file, an npm script or an npx command. */
export type Named =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'npm-script'; readonly name: string }
  | { readonly kind: 'npx-command'; readonly name: string };

const isOption = (word: string): boolean => word.startsWith('-');
/** A word the shell or GitHub expands: what it names is only known at run time. */
const isExpanded = (word: string): boolean => word.includes('$');

/** The command's words without what comes before the command itself: keywords, assignments, sudo. */
function commandWords(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    if (NOT_THE_COMMAND.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) i++;
    else if (word === 'sudo') {
      i++;
      while (i < words.length && isOption(words[i] as string)) {
        i += SUDO_VALUE_OPTIONS.has(words[i] as string) ? 2 : 1;
      }
    } else break;
  }
  return words.slice(i);
}

/** The script `interpreter` runs: the first word after `from` that is not an option, unless code follows. */
function scriptOf(interpreter: string, words: readonly string[], from: number): string | undefined {
  for (let i = from; i < words.length; i++) {
    const word = words[i] as string;
    if (INLINE_CODE[interpreter]?.includes(word)) return undefined;
    if (!isOption(word)) return word;
  }
  return undefined;
}

/** What each command of a `run:` script names: `node|bash|sh <file>`, `npx tsx <file>`, `./<file>`, npm, npx. */
export function namedByScript(script: string): Named[] {
  const named: Named[] = [];
  for (const words of simpleCommands(script).map(commandWords)) {
    const [command, ...rest] = words;
    if (command === undefined || isExpanded(command)) continue;
    if (/^\.{1,2}\//.test(command)) named.push({ kind: 'file', path: command });
    else if (command === 'node' || command === 'bash' || command === 'sh') {
      const path = scriptOf(command, rest, 0);
      if (path !== undefined) named.push({ kind: 'file', path });
    } else if (command === 'npx') {
      const index = rest.findIndex((word) => !isOption(word));
      const name = rest[index];
      if (name === 'tsx') {
        const path = scriptOf('tsx', rest, index + 1);
        if (path !== undefined) named.push({ kind: 'file', path });
      } else if (name !== undefined) named.push({ kind: 'npx-command', name });
    } else if (command === 'npm') {
      const [subcommand, ...args] = rest.filter((word) => !isOption(word));
      if (subcommand === 'run' || subcommand === 'run-script') {
        if (args[0] !== undefined) named.push({ kind: 'npm-script', name: args[0] });
      } else if (subcommand !== undefined && NPM_LIFECYCLE.has(subcommand)) {
        named.push({ kind: 'npm-script', name: subcommand === 't' ? 'test' : subcommand });
      }
    }
  }
  return named.filter((item) => !isExpanded(item.kind === 'file' ? item.path : item.name));
}

/** One line per schema error of action-validator, with the details of its alternatives. */
function describeError(error: ValidationError): string {
  const where = 'path' in error && error.path !== '' ? `${error.path}: ` : '';
  const detail = error.detail === undefined ? '' : ` (${error.detail})`;
  const states = 'states' in error ? (error.states ?? []) : [];
  const alternatives = states.flatMap((state) => state.errors.map(describeError));
  const options = alternatives.length === 0 ? '' : `; alternatives: ${alternatives.join(' | ')}`;
  return `${where}${error.title}${detail}${options}`;
}

interface Step {
  readonly name?: unknown;
  readonly run?: unknown;
  readonly uses?: unknown;
  readonly 'working-directory'?: unknown;
}

interface Job {
  readonly steps?: unknown;
  readonly defaults?: { readonly run?: { readonly 'working-directory'?: unknown } };
}

interface Workflow {
  readonly jobs?: Record<string, Job>;
  readonly defaults?: { readonly run?: { readonly 'working-directory'?: unknown } };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * What is wrong with a GitHub workflow: what action-validator (the workflow schema) finds, and every file, local
 * action, npm script or npx command that a step names and the repository does not have.
 */
export function workflowProblems(source: string, context: WorkflowContext): string[] {
  const state = validateWorkflow(source);
  if (state.errors.length > 0) return state.errors.map(describeError);
  const workflow = parse(source) as Workflow;
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    const steps = Array.isArray(job.steps) ? (job.steps as Step[]) : [];
    steps.forEach((step, index) => {
      const where = `jobs.${jobName}.steps[${index}]${step.name === undefined ? '' : ` (${String(step.name)})`}`;
      const uses = text(step.uses);
      if (uses?.startsWith('./') && !context.tree.exists(posix.normalize(uses))) {
        problems.push(`${where} uses ${uses}, which is not in the repository`);
      }
      const script = text(step.run);
      if (script === undefined) return;
      const directory =
        text(step['working-directory']) ??
        text(job.defaults?.run?.['working-directory']) ??
        text(workflow.defaults?.run?.['working-directory']) ??
        '.';
      for (const named of namedByScript(script)) {
        if (named.kind === 'file') {
          const path = posix.normalize(posix.join(directory, named.path));
          if (!context.tree.exists(path)) {
            problems.push(`${where} runs ${named.path}, which is not in the repository`);
          }
        } else if (named.kind === 'npm-script' && !context.npmScripts.has(named.name)) {
          problems.push(
            `${where} runs npm script '${named.name}', which package.json does not have`,
          );
        } else if (named.kind === 'npx-command' && !context.npxCommands.has(named.name)) {
          problems.push(
            `${where} runs npx ${named.name}, which no workspace or installed package provides`,
          );
        }
      }
    });
  }
  return problems;
}

/** What the repository offers a workflow's steps: its files, root scripts, and the commands npx finds. */
export function workflowContextOf(tree: FileTree): WorkflowContext {
  const installed = tree.exists('node_modules/.bin') ? tree.list('node_modules/.bin') : [];
  return {
    tree,
    npmScripts: new Set(Object.keys(readManifest(tree, '.').scripts ?? {})),
    npxCommands: new Set([
      ...workspacesOf(tree).flatMap(({ manifest }) => binNames(manifest)),
      ...installed,
    ]),
  };
}
