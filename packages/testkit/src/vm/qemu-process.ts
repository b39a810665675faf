import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';

/** How much of the console a failure message quotes. */
const CONSOLE_TAIL_BYTES = 4096;

/** A started qemu: its pid, whether it has exited, and the end of what its console printed. */
export interface QemuProcess {
  readonly pid: number;
  /** Its exit code once it has exited, else null. */
  exitCode(): number | null;
  /** The last few KB of its serial console and its own messages. */
  consoleTail(): string;
}

/**
 * Starts qemu-system-x86_64 in a process group of its own (so that Ctrl-C reaches the run, and the run decides when
 * its kernel goes), not holding the booter alive. Its whole console goes to `consoleFile`, for what the kernel said
 * later (an OOM kill, a panic).
 */
export function startQemu(args: readonly string[], consoleFile: string): QemuProcess {
  const qemu = spawn('qemu-system-x86_64', [...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let tail = '';
  mkdirSync(dirname(consoleFile), { recursive: true });
  writeFileSync(consoleFile, '');
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-CONSOLE_TAIL_BYTES);
    try {
      appendFileSync(consoleFile, chunk);
    } catch {
      // the report folder went away (a bench's temporary one): the tail stays in memory
    }
  };
  qemu.stdout.on('data', keep);
  qemu.stderr.on('data', keep);
  // Whoever booted the kernel powers it off (stop, the teardown, a sweep): it must not keep its booter alive.
  qemu.unref();
  for (const pipe of [qemu.stdout, qemu.stderr]) (pipe as unknown as Socket).unref();
  return {
    pid: qemu.pid ?? -1,
    exitCode: () => qemu.exitCode,
    consoleTail: () => tail,
  };
}
