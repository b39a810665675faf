import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VM_TOKEN_ARGUMENT } from './qemu-command';
import { runningVms, sweepVms } from './sweep-vms';
import { vmPidDir, writeVmPidRecord } from './vm-pid-record';

/** A pid that cannot be alive: above the kernel's pid_max limit (4194304). */
const DEAD_PID = 4_194_305;

/** A long-lived process, standing in for a qemu when it carries the token argument as qemu does. */
function longLived(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...args], {
    stdio: 'ignore',
  });
}

/** Writes the record a VM target leaves for its qemu; answers its path. */
function record(child: ChildProcess, runId: string, ownerPid: number): string {
  writeVmPidRecord({ pid: child.pid ?? -1, runId, ownerPid });
  return join(vmPidDir(), `${child.pid}.json`);
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

describe('runningVms', () => {
  it("lists an owner's qemu while it runs, and never a process that is not a VM", async () => {
    const ownerPid = DEAD_PID - 1;
    const vm = longLived([`${VM_TOKEN_ARGUMENT}=abc`]);
    const bystander = longLived([]);
    const runId = `run-${randomUUID()}`;
    record(vm, runId, ownerPid);
    record(bystander, runId, ownerPid);
    expect(runningVms(ownerPid)).toEqual([vm.pid]);
    const signal = ended(vm);
    sweepVms({ runId });
    bystander.kill('SIGKILL');
    await signal;
    expect(runningVms(ownerPid)).toEqual([]);
  });
});
