import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { VM_TOKEN_ARGUMENT } from './qemu-command';
import { vmCacheDir } from './vm-artifacts';
import { sweepVms } from './sweep-vms';

/** A pid that cannot be alive: above the kernel's pid_max limit (4194304). */
const DEAD_PID = 4_194_305;
const pids = join(vmCacheDir(), 'pids');

/** A long-lived process, standing in for a qemu when it carries the token argument as qemu does. */
function longLived(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...args], {
    stdio: 'ignore',
  });
}

/** Writes the record a VM target leaves for its qemu; answers its path. */
function record(child: ChildProcess, runId: string, ownerPid: number): string {
  mkdirSync(pids, { recursive: true });
  const file = join(pids, `${child.pid}.json`);
  writeFileSync(file, JSON.stringify({ pid: child.pid, runId, ownerPid }));
  return file;
}

const ended = (child: ChildProcess): Promise<NodeJS.Signals | null> =>
  new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

describe('sweepVms', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('kills the qemu of the run it is given, and forgets its record', async () => {
    const vm = longLived([`${VM_TOKEN_ARGUMENT}=abc`]);
    children.push(vm);
    const runId = `run-${randomUUID()}`;
    const file = record(vm, runId, process.pid);
    const signal = ended(vm);
    expect(sweepVms({ runId })).toBe(1);
    expect(await signal).toBe('SIGKILL');
    expect(existsSync(file)).toBe(false);
  });

  it('kills the qemu of a run whose owner died when sweeping stale ones', async () => {
    const vm = longLived([`${VM_TOKEN_ARGUMENT}=abc`]);
    children.push(vm);
    record(vm, `run-${randomUUID()}`, DEAD_PID);
    const signal = ended(vm);
    expect(sweepVms({ stale: true })).toBeGreaterThanOrEqual(1);
    expect(await signal).toBe('SIGKILL');
  });

  it('never kills a process that is not a VM, though a stale record names its pid', () => {
    const bystander = longLived([]);
    children.push(bystander);
    const file = record(bystander, `run-${randomUUID()}`, DEAD_PID);
    sweepVms({ stale: true });
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
    expect(existsSync(file)).toBe(false);
  });
});
