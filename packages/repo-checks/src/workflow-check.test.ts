import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, diskTree, memoryTree } from './repo-files';
import {
  namedByScript,
  workflowContextOf,
  workflowProblems,
  type WorkflowContext,
} from './workflow-check';

const context: WorkflowContext = {
  tree: memoryTree({ 'scripts/build.mjs': '', 'tools/check.sh': '', 'sub/run.ts': '' }),
  npmScripts: new Set(['build', 'test']),
  npxCommands: new Set(['sockspec', 'tsx']),
};

/** A workflow with one job whose steps run `scripts`. */
function workflowRunning(...scripts: string[]): string {
  const steps = scripts.map((script) => `      - run: |\n${script.replace(/^/gm, '          ')}\n`);
  return `on: push\njobs:\n  main:\n    runs-on: ubuntu-24.04\n    steps:\n${steps.join('')}`;
}

describe('namedByScript', () => {
  it('reads the files that node, bash, sh, npx tsx and ./ run, after sudo, assignments and options', () => {
    const script = [
      'node scripts/build.mjs --fast',
      'sudo --preserve-env=PATH FOO=1 bash -e tools/check.sh && sh ./x.sh',
      'npx --no-install tsx sub/run.ts',
      'if ./ready; then ../up/go.sh; fi',
    ].join('\n');
    expect(namedByScript(script)).toEqual([
      { kind: 'file', path: 'scripts/build.mjs' },
      { kind: 'file', path: 'tools/check.sh' },
      { kind: 'file', path: './x.sh' },
      { kind: 'file', path: 'sub/run.ts' },
      { kind: 'file', path: './ready' },
      { kind: 'file', path: '../up/go.sh' },
    ]);
  });

  it('reads npm scripts and npx commands, and skips inline code, comments and expansions', () => {
    const script = [
      'npm ci && npm run build && npm test',
      'npx sockspec image # node not/a/file.js',
      'node -e "require(\'x\')"; bash -c "do things"',
      'node "$SCRIPT"; node ${{ matrix.script }}',
      'echo node not/run.js | tee log',
    ].join('\n');
    expect(namedByScript(script)).toEqual([
      { kind: 'npm-script', name: 'build' },
      { kind: 'npm-script', name: 'test' },
      { kind: 'npx-command', name: 'sockspec' },
    ]);
  });
});

describe('workflowProblems', () => {
  it('passes a valid workflow whose steps name what the repository has', () => {
    const workflow = workflowRunning(
      'npm ci && npm run build && node scripts/build.mjs',
      'bash tools/check.sh',
      'npx sockspec image',
    );
    expect(workflowProblems(workflow, context)).toEqual([]);
  });

  it('fails a workflow that runs a file the repository does not have', () => {
    const workflow = workflowRunning('npm ci', 'npm run build && node docker/build-image.mjs');
    expect(workflowProblems(workflow, context)).toEqual([
      'jobs.main.steps[1] runs docker/build-image.mjs, which is not in the repository',
    ]);
  });

  it('resolves a step’s files from its working-directory', () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  main:',
      '    runs-on: ubuntu-24.04',
      '    defaults: { run: { working-directory: sub } }',
      '    steps:',
      '      - run: npx tsx run.ts',
      '      - { run: npx tsx run.ts, working-directory: ., name: from the root }',
    ].join('\n');
    expect(workflowProblems(workflow, context)).toEqual([
      'jobs.main.steps[1] (from the root) runs run.ts, which is not in the repository',
    ]);
  });

  it('fails npm scripts, npx commands and local actions that do not exist', () => {
    const workflow = `${workflowRunning('npm run bench', 'npx sockspec-old run')}      - uses: ./.github/actions/setup\n`;
    expect(workflowProblems(workflow, context)).toEqual([
      "jobs.main.steps[0] runs npm script 'bench', which package.json does not have",
      'jobs.main.steps[1] runs npx sockspec-old, which no workspace or installed package provides',
      'jobs.main.steps[2] uses ./.github/actions/setup, which is not in the repository',
    ]);
  });

  it('fails a workflow that does not fit the workflow schema, or is not YAML', () => {
    const misspelt = 'on: push\njobs:\n  main:\n    runs-on: ubuntu-24.04\n    stepz: []\n';
    expect(workflowProblems(misspelt, context).join('\n')).toMatch(
      /\/jobs\/main: .*Additional property 'stepz' is not allowed/,
    );
    expect(workflowProblems('on: [push\n', context)).toEqual([
      expect.stringMatching(/^Parse Error \(did not find expected ',' or ']'/),
    ]);
  });
});

describe("the repository's workflows", () => {
  const dir = '.github/workflows';
  const workflows = readdirSync(join(REPO_ROOT, dir)).filter((name) => /\.ya?ml$/.test(name));

  it('are there', () => {
    expect(workflows.length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s is valid and names only what the repository has', (name) => {
    const tree = diskTree();
    expect(workflowProblems(tree.read(`${dir}/${name}`), workflowContextOf(tree))).toEqual([]);
  });
});
