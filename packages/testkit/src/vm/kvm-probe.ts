import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Accelerator, KvmMode } from '../testkit-config';

/** How long a kernel under KVM may take to print its first line: it does so within a second where KVM works. */
export const KVM_PROBE_LIMIT_MS = 8_000;

/** The firmware's terminal codes (reset, clear, modes), which share a line with qemu's own message. */
const TERMINAL_CODES = /\x1b(\[[0-9;?]*[A-Za-z]|c)/g;

/** The line every Linux kernel prints first, once its decompressor has run. */
const KERNEL_GREETING = /Linux version \S+/;

export type KvmProbe =
  | { readonly works: true }
  | {
      readonly works: false;
      /** Why not, in qemu's or the kernel's words where they said something: `KVM internal error. Suberror: 1`. */
      readonly reason: string;
    };

/** The first line of qemu's output that tells why a guest failed under KVM, or undefined. Pure. */
export function kvmFailureIn(output: string): string | undefined {
  const line = output
    .replace(TERMINAL_CODES, '')
    .split('\n')
    .map((one) => one.trim())
    .find((one) =>
      /KVM internal error|failed to (set|get|initialize) |kvm.*(error|failed)/i.test(one),
    );
  return line?.replace(/^qemu-system-x86_64: /, '');
}

/**
 * Boots `vmlinuz` under KVM with no root filesystem and watches its serial console: a kernel that prints its
 * greeting runs there. "Is /dev/kvm writable" is not "does KVM work": on some machines KVM_CREATE_VM succeeds, yet a
 * guest dies at its first unusual instruction ("KVM internal error. Suberror: 1") or hangs without a word.
 */
export async function probeKvm(
  vmlinuz: string,
  limitMs: number = KVM_PROBE_LIMIT_MS,
): Promise<KvmProbe> {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { works: false, reason: code === 'ENOENT' ? 'no /dev/kvm' : `/dev/kvm: ${code}` };
  }
  return new Promise((resolve) => {
    const qemu = spawn(
      'qemu-system-x86_64',
      [
        ...['-accel', 'kvm', '-cpu', 'host', '-m', '256', '-kernel', vmlinuz],
        ...['-append', 'console=ttyS0 earlyprintk=ttyS0 panic=-1', '-nographic', '-no-reboot'],
        ...['-nodefaults', '-serial', 'stdio', '-display', 'none'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let settled = false;
    const finish = (probe: KvmProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      qemu.kill('SIGKILL');
      resolve(probe);
    };
    const timer = setTimeout(() => {
      finish({
        works: false,
        reason:
          kvmFailureIn(output) ??
          `the kernel under KVM printed nothing of its own within ${limitMs / 1000} s (it hangs)`,
      });
    }, limitMs);
    const read = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8192);
      if (KERNEL_GREETING.test(output)) finish({ works: true });
      else {
        const failure = kvmFailureIn(output);
        if (failure !== undefined) finish({ works: false, reason: failure });
      }
    };
    qemu.stdout.on('data', read);
    qemu.stderr.on('data', read);
    qemu.on('error', (error) => finish({ works: false, reason: `qemu: ${error.message}` }));
    qemu.on('close', (code) => {
      if (!KERNEL_GREETING.test(output)) {
        finish({
          works: false,
          reason: kvmFailureIn(output) ?? `qemu exited (${String(code)}) before the kernel spoke`,
        });
      }
    });
  });
}

/**
 * The accelerator a run's kernel boots with. `off`: TCG. `auto`: KVM where a probe boot works, else TCG, saying
 * once why. `on`: KVM, or an error with the probe's reason.
 */
export async function chooseAccelerator(
  mode: KvmMode,
  vmlinuz: string,
  log: (line: string) => void,
  probe: (vmlinuz: string) => Promise<KvmProbe> = probeKvm,
): Promise<Accelerator> {
  if (mode === 'off') {
    log('[vm] under TCG (software emulation): SOCKSPEC_KVM=0\n');
    return 'tcg';
  }
  const found = await probe(vmlinuz);
  if (found.works) {
    log('[vm] under KVM: a probe boot ran\n');
    return 'kvm';
  }
  if (mode === 'on') {
    throw new Error(
      `SOCKSPEC_KVM=1, but KVM does not run a guest here: ${found.reason}. Hint: unset SOCKSPEC_KVM to fall back to TCG`,
    );
  }
  log(`[vm] under TCG (software emulation): KVM probe failed: ${found.reason}\n`);
  return 'tcg';
}
