/**
 * A run leaves nothing behind, however it ends.                                 Claims: none (trust)
 *
 * Everything a run makes carries its labels (sockspec.run, sockspec.owner-pid). Each case starts a real run as a
 * child process, on a fixture of kit/fixtures/ that the suite itself never picks up, ends it one way, and asks
 * Docker afterwards what of that run is left: a spec that fails (globalTeardown removes the run's things), Ctrl-C
 * on `sockspec run` or a SIGINT to it alone (it sweeps its run once Jest has stopped), `sockspec run` killed outright
 * (its Jest, in a process group of its own, notices and removes the run), plain Jest stopped without its teardown
 * (its things stay until the next run's globalSetup removes what dead runs left). The children are runs of their own, never this
 * suite's: their sweeps must leave this suite's live target alone, and the last case checks that they did.
 * These checks start container runs whatever SOCKSPEC_TARGET says; when it names a VM kernel, child runs on that
 * kernel are also interrupted (Ctrl-C, kill -9), and afterwards no qemu of theirs may run: a kernel's namespaces,
 * agents and programs all live inside its qemu.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import {
  ContainerTarget,
  isVmProcess,
  LABEL_OWNER_PID,
  LABEL_RUN,
  runningVms,
  testkitConfig,
  vmSeries,
} from '@sockspec/testkit/runner';
import {
  ChildRun,
  containerLabels,
  leftovers,
  ownerLabel,
  removeAll,
  runLabel,
  type Runner,
} from './child-run';

const docker = new Docker();
/** What a fixture prints once its target is up: the target's short id and its network's name. */
const FIXTURE_READY = /fixture: (?:holding|made) container:([0-9a-f]{12}) on (sockspec-[0-9a-f]+)/;
const NOTHING = { containers: [], networks: [] };
/** What the fixture prints once its target on a VM kernel is up: the target's name and its bridge's. */
const VM_FIXTURE_READY = /fixture: holding (vm:\S+) on (\S+)/;
/** The VM kernel this suite runs on, if any: the child runs of the VM cases boot one of the same series. */
const VM_TARGET =
  vmSeries(testkitConfig().target) === undefined ? undefined : testkitConfig().target;
/** Starting a run (Jest, a target) takes 2 to 5 s here; a busy machine gets ample margin. */
const READY_MS = 30_000;
/** How soon an interrupted run must be gone, its sweep included. */
const PROMPT_MS = 10_000;
/** How soon a run whose `sockspec run` was killed notices (it checks every second) and has removed its targets. */
const ORPHAN_CLEANUP_MS = 15_000;

const reportDir = mkdtempSync(join(tmpdir(), 'sockspec-cleanup-'));
const runs: ChildRun[] = [];
const labels: string[] = [];

function start(runner: Runner, fixture: string, runId?: string, target?: string): ChildRun {
  const run = ChildRun.start(runner, fixture, { runId, reportDir, target });
  runs.push(run);
  labels.push(ownerLabel(run.pid), ...(runId === undefined ? [] : [runLabel(runId)]));
  return run;
}

/** Waits for the fixture's target and answers with it, its network and the run id on its labels. */
async function heldTarget(
  run: ChildRun,
): Promise<{ container: string; network: string; runId: string }> {
  const [, container = '', network = ''] = await run.waitForOutput(FIXTURE_READY, READY_MS);
  const runId = (await containerLabels(container))?.[LABEL_RUN];
  if (runId === undefined) throw new Error(`container ${container} has no ${LABEL_RUN} label`);
  labels.push(runLabel(runId));
  return { container, network, runId };
}

async function networkExists(name: string): Promise<boolean> {
  return docker
    .getNetwork(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe('runs started as child processes', () => {
  /** This suite's own target: alive all along, so no child's sweep may take it. */
  let bystander: ContainerTarget;

  beforeAll(async () => {
    bystander = await ContainerTarget.start();
  });

  afterAll(async () => {
    for (const run of runs) await run.kill();
    for (const label of labels) await removeAll(label);
    await bystander?.stop();
    rmSync(reportDir, { recursive: true, force: true });
  });

  it('a run whose spec fails exits non-zero and leaves no container or network of its run', async () => {
    const runId = `kit-cleanup-${randomUUID()}`;
    const run = start('jest', 'fails-on-purpose', runId);
    const exit = await run.exitWithin(40_000);
    expect(exit).toEqual({ code: 1, signal: null });
    const [, container = '', network = ''] = FIXTURE_READY.exec(run.output) ?? [];
    expect(container).not.toBe(''); // the fixture did make a target and a network
    expect(run.output).toMatch(/teardown removed 1 container\(s\) and 1 network\(s\)/);
    expect(await containerLabels(container)).toBeUndefined();
    expect(await networkExists(network)).toBe(false);
    expect(await leftovers(runLabel(runId))).toEqual(NOTHING);
  }, 50_000);

  describe('sockspec run, interrupted while a scenario holds a target', () => {
    it('stops within seconds on Ctrl-C (SIGINT to its process group) and leaves nothing of its run', async () => {
      const run = start('sockspec', 'holds-a-target');
      const held = await heldTarget(run);
      expect((await containerLabels(held.container))?.[LABEL_OWNER_PID]).toBe(String(run.pid));
      expect(await leftovers(runLabel(held.runId))).toEqual({
        containers: [`${held.container} (running)`],
        networks: [held.network],
      });

      const sent = Date.now();
      run.signal('SIGINT', 'group');
      const exit = await run.exitWithin(PROMPT_MS);
      expect(exit).toEqual({ code: 130, signal: null });
      expect(Date.now() - sent).toBeLessThan(PROMPT_MS);
      expect(run.output).toMatch(/removed 1 container\(s\), 1 network\(s\)/);
      expect(await leftovers(runLabel(held.runId))).toEqual(NOTHING);
      expect(await leftovers(ownerLabel(run.pid))).toEqual(NOTHING);
    }, 50_000);

    it('stops within seconds on a SIGINT to its own process alone (kill -INT) and leaves nothing of its run', async () => {
      const run = start('sockspec', 'holds-a-target');
      const held = await heldTarget(run);

      run.signal('SIGINT', 'runner');
      expect(await run.exitWithin(PROMPT_MS)).toEqual({ code: 130, signal: null });
      expect(await leftovers(runLabel(held.runId))).toEqual(NOTHING);
    }, 50_000);
  });

  describe('a runner that ends without cleaning up', () => {
    it('plain jest stopped by Ctrl-C exits at once, and its run stays until the next run starts', async () => {
      const runId = `kit-cleanup-${randomUUID()}`;
      const run = start('jest', 'holds-a-target', runId);
      const held = await heldTarget(run);

      run.signal('SIGINT', 'group');
      expect(await run.exitWithin(PROMPT_MS)).toEqual({ code: null, signal: 'SIGINT' });
      expect(await leftovers(runLabel(runId))).toEqual({
        containers: [`${held.container} (running)`],
        networks: [held.network],
      });

      const next = start('jest', 'passes', `kit-cleanup-${randomUUID()}`);
      expect(await next.exitWithin(40_000)).toEqual({ code: 0, signal: null });
      expect(next.output).toMatch(
        /removed [1-9]\d* container\(s\) and [1-9]\d* network\(s\) left by runs that died/,
      );
      expect(await leftovers(runLabel(runId))).toEqual(NOTHING);
    }, 50_000);

    it('sockspec run killed outright (SIGKILL): its Jest notices its owner is gone and removes the run itself', async () => {
      const run = start('sockspec', 'holds-a-target');
      const held = await heldTarget(run);

      run.signal('SIGKILL', 'group');
      expect(await run.exitWithin(PROMPT_MS)).toEqual({ code: null, signal: 'SIGKILL' });
      // Jest runs in a process group of its own, which the kill did not reach; it checks its owner every second.
      const deadline = Date.now() + ORPHAN_CLEANUP_MS;
      while (
        Date.now() < deadline &&
        (await leftovers(runLabel(held.runId))).containers.length > 0
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await leftovers(runLabel(held.runId))).toEqual(NOTHING);
      expect(await leftovers(ownerLabel(run.pid))).toEqual(NOTHING);
    }, 50_000);
  });

  /** Only a run on a VM kernel boots one; on containers there is nothing of this kind to leave behind. */
  (VM_TARGET === undefined ? describe.skip : describe)(
    `sockspec run on a VM kernel (${VM_TARGET ?? 'SOCKSPEC_TARGET=vm:<series>'}), interrupted while a namespace target is held`,
    () => {
      /** Booting a kernel under TCG takes 8 to 20 s here, before the fixture's target starts. */
      const VM_READY_MS = 120_000;

      it.each([
        ['Ctrl-C (SIGINT to its process group)', 'SIGINT' as const],
        ['kill -9 of sockspec run', 'SIGKILL' as const],
      ])(
        '%s leaves no qemu of the run running',
        async (_how, signal) => {
          const run = start('sockspec', 'holds-a-target', undefined, VM_TARGET);
          const [, name = ''] = await run.waitForOutput(VM_FIXTURE_READY, VM_READY_MS);
          expect(name).toMatch(/^vm:/);
          const booted = runningVms(run.pid);
          expect(booted).toHaveLength(1);

          run.signal(signal, 'group');
          const exit = await run.exitWithin(PROMPT_MS);
          expect(exit).toEqual(
            signal === 'SIGINT' ? { code: 130, signal: null } : { code: null, signal: 'SIGKILL' },
          );
          // After kill -9 its Jest (a process group of its own) notices its owner is gone within a second or so.
          const deadline = Date.now() + ORPHAN_CLEANUP_MS;
          // The pids themselves are checked: a sweep removes their records, but only a dead qemu is gone.
          while (Date.now() < deadline && booted.some(isVmProcess)) {
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          expect(booted.filter(isVmProcess)).toEqual([]);
          expect(runningVms(run.pid)).toEqual([]);
        },
        180_000,
      );
    },
  );

  it("no child run's sweep touched this suite's live target", async () => {
    const inspected = await docker.getContainer(bystander.containerId).inspect();
    expect(inspected.State.Running).toBe(true);
    expect((await bystander.info()).kernel).toMatch(/^\d+\.\d+/);
  });
});
