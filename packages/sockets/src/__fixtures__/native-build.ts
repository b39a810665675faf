import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The C programs' sources (packages/sockets/native), built by the tests with the host's gcc. */
const NATIVE_DIR = join(__dirname, '..', '..', 'native');

/** Where a test file's native build put sockspec-server and sockspec-client. */
export interface NativeBuild {
  readonly server: string;
  readonly client: string;
}

/**
 * For a test file: builds the native programs into a folder of its own before its tests (make, with gcc), and
 * removes it after them. The answer gives the binaries' paths inside a test.
 */
export function nativeProgramsForTests(): () => NativeBuild {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sockspec-native-'));
    execFileSync('make', ['-s', '-C', NATIVE_DIR, `OUT=${dir}`], { stdio: 'pipe' });
  }, 60_000);
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('the native programs are built only inside a test');
    return { server: join(dir, 'sockspec-server'), client: join(dir, 'sockspec-client') };
  };
}
