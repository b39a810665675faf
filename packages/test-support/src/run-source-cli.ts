import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** How one run of a command ended: its exit code (null when it was killed) and what it wrote. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** It was still running after the time limit and was killed. */
  readonly timedOut: boolean;
}

/** A package's sources compiled for a test run, and how to run its commands from them. */
export interface CompiledSources {
  /** Runs `node <dir>/<main>.js args...`, as the built command would run; killed after 4 s (within Jest's 5). */
  run(main: string, args: readonly string[], timeoutMs?: number): Promise<CliRun>;
  remove(): void;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    // Declaration files (.d.ts) only type the code, and have no JavaScript to emit.
    const isSource = entry.name.endsWith('.ts') && !/\.(test|browser|d)\.ts$/.test(entry.name);
    return isSource ? [path] : [];
  });
}

/**
 * Compiles a package's `src` (tests and fixtures left out) to JavaScript as `tsc` emits it, without the type
 * check, into a directory of its own under the repository's node_modules/.cache, where packages resolve as they
 * do from the package. So a test runs a command from the code as it is now, whether or not it was built since.
 */
export function compileSources(srcDir: string): CompiledSources {
  const nodeModules = dirname(dirname(require.resolve('typescript/package.json')));
  const cache = join(nodeModules, '.cache', 'sockspec-cli-tests');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, `${basename(dirname(srcDir))}-`));
  for (const file of sourceFiles(srcDir)) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const out = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  // A package's own node_modules (where npm put what only it depends on) is not on the way up from the cache.
  const ownModules = join(srcDir, '..', 'node_modules');
  const env = existsSync(ownModules) ? { ...process.env, NODE_PATH: ownModules } : process.env;
  return {
    run: (main, args, timeoutMs = 4_000) =>
      runNode(join(outDir, `${main}.js`), args, env, timeoutMs),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

function runNode(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A line of a JavaScript stack trace (`    at parse (/x/y.ts:12:5)`), which no refusal should print. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * For a test file: compiles the package's `src` before its tests and removes the output after them. The answer
 * gives the compiled sources inside a test.
 */
export function compiledSourcesForTests(srcDir: string): () => CompiledSources {
  let sources: CompiledSources | undefined;
  beforeAll(() => {
    sources = compileSources(srcDir);
  });
  afterAll(() => {
    sources?.remove();
  });
  return () => {
    if (sources === undefined) throw new Error('the compiled sources are there only inside a test');
    return sources;
  };
}
