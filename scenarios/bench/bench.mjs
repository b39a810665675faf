#!/usr/bin/env node
// npm run bench: speed figures measured side by side in one run, printed as a table with ratios.
//   - the Jest transform: one package's unit tests with ts-jest (transpile-only) against @swc/jest, cold cache
//     (transform-bench.mjs);
//   - the inspector: a snapshot of 10,000 TCP sockets in-process against cat, ss and node-netstat, with pid
//     mapping against ss -tanp, and its parser's throughput (inspector-bench.mjs);
//   - the scenario suite's wall time against its longest spec (the suite runs its specs concurrently), and its
//     targets' agents' CPU time with each sampling policy (agent-cpu.mjs);
//   - the time from asking for a container target to its agent answering, against a plain `docker run`
//     of the same image until its agent prints that it listens;
//   - the time from asking for a VM target to its agent answering, and the suite's wall time on VM kernels
//     against its wall time in a container.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentCpuOfRun } from './agent-cpu.mjs';
import { benchInspector } from './inspector-bench.mjs';
import { benchTransforms } from './transform-bench.mjs';

const scenarios = join(dirname(fileURLToPath(import.meta.url)), '..');
const STARTS = Number(process.env.SOCKSPEC_BENCH_STARTS ?? 5);
const CONNECTIONS = Number(process.env.SOCKSPEC_BENCH_CONNECTIONS ?? 5000);
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`Usage: npm run bench [-- --no-suite] [-- --only-inspector] [-- --only-transform] [-- --only-sampling]
       node scenarios/bench/bench.mjs --only-inspector    (after npm run build; no image build)

Prints, from one run on this machine:
  unit tests, ts-jest / @swc/jest    one package's unit tests (SOCKSPEC_BENCH_UNITS, default report) with a cold
                                     Jest cache, with the project's transform (ts-jest, transpile-only) and with
                                     @swc/jest: wall time and CPU time of Jest and its workers, and their ratios
  inspector snapshot / cat, / ss -tan, / node-netstat
                                     reading and parsing /proc/net/tcp and tcp6 in-process, for 10,000
                                     loopback sockets in a network namespace the bench makes (root, unshare),
                                     against programs listing the same table; with owners against ss -tanp;
                                     and the parser's throughput on the captured text
  suite wall time / longest spec     the scenario suite (npm test's scenarios) runs its specs side by side
  suite CPU time, asleep / busy      the machine's busy CPU time during the suite, against the same suite with
                                     its targets busy while idle (agents sampling every 10 ms, programs polling
                                     every 5 ms, as before 2026-12-02)
  agent CPU per suite run, on demand / adaptive / always
                                     the CPU time (user + system) the suite's targets' agents spent, each read by
                                     the agent of itself as its target stopped, summed: sampling on demand (now:
                                     only while a wait, program or capture is open), adaptive (whenever the table
                                     can change, as before 2026-12-03, SOCKSPEC_SAMPLING=adaptive) and always
  npm start / its longest spec       npm start end to end (image check, Jest, every spec, the report)
  target start / plain docker run    asking for a container target until its agent answers, against
                                     docker run of the same image until its agent says it listens
  VM kernel boot, target start on it / in a container, suite on vm:SERIES / in a container
                                     a VM kernel's boot (once per run); a target's start on it (a network
                                     namespace with its agent) against a container's; the same suite on VM
                                     kernels (about 5 minutes each under TCG) against its time in a container
  --only-inspector  the inspector figures only (about a minute, no Docker)
  --no-inspector    skip the inspector figures
  --only-transform  the transform figures only (about a minute, no Docker)
  --no-transform    skip the transform figures
  --no-suite   skip the suite (four runs: as now, sampling adaptive as before 2026-12-03, with targets busy
               while idle as before 2026-12-02, and npm start end to end; about 7 minutes) and time target
               starts only
  --only-sampling  the suite on demand and adaptive only, with their agents' CPU time (about 3 minutes)
  --no-vm      skip the VM figures (timed where qemu-system-x86_64 is installed)
  --kernels LIST  VM kernel series whose suite is timed, comma-separated (5.10,6.1,6.12,7.2), or all;
                  default: the one of SOCKSPEC_BENCH_VM
  SOCKSPEC_BENCH_VM=SERIES  kernel series of the VM target started (default 6.1)
  SOCKSPEC_BENCH_STARTS=N   target starts to time (default 5)
  SOCKSPEC_BENCH_CONNECTIONS=N  loopback connections for the inspector (default 5000: 10,000 sockets)
  SOCKSPEC_BENCH_REPS=N     inspector rounds, each figure their median (default 15, after 2 warm-up rounds)
  SOCKSPEC_BENCH_UNITS=PKG  the package whose unit tests time the transforms (default report)
  SOCKSPEC_BENCH_TRANSFORM_REPS=N  cold runs with each transform, each figure their median (default 3)`);
  process.exit(0);
}
const onlySampling = args.includes('--only-sampling');
const onlyTransform = args.includes('--only-transform');
const onlyInspector = args.includes('--only-inspector') || onlyTransform;

const spawnSyncOk = (command, commandArgs) =>
  spawnSync(command, commandArgs, { stdio: 'ignore' }).status === 0;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Busy CPU time of the whole machine so far, in ms of all cores (/proc/stat, USER_HZ ticks): what a suite costs,
 * its targets' containers and Docker's own processes included, which a child's rusage would miss.
 */
function machineBusyMs() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** Targets kept busy while idle, to measure what that costs: agents sampling every 10 ms, programs waking every 5 ms. */
const BUSY_IDLE = { SOCKSPEC_SAMPLING: 'always', SOCKSPEC_PROGRAM_WAKE_MS: '5' };
/** Agents sampling whenever the table can change, as before 2026-12-03 (the default since: only while wanted). */
const ADAPTIVE = { SOCKSPEC_SAMPLING: 'adaptive' };

/**
 * The scenario suite on a target (SOCKSPEC_TARGET: container or vm:SERIES): its wall time, the machine's busy CPU
 * time meanwhile, each spec's wall time, and its targets' agents' CPU time (from the records it wrote).
 */
async function timeSuite(target = 'container', env = {}) {
  const { runSuite } = await import('@sockspec/cli');
  const dir = mkdtempSync(join(tmpdir(), 'sockspec-bench-'));
  const busyBefore = machineBusyMs();
  const outcome = await runSuite({ target, reportDir: dir, env, output: 'quiet' });
  const cpuMs = machineBusyMs() - busyBefore;
  const agents = agentCpuOfRun(dir);
  rmSync(dir, { recursive: true, force: true });
  // A failed test is reported, not hidden: its time still counts, and the row says the run was not clean.
  const failures = outcome.records.specs.flatMap((spec) => [
    ...(spec.failure === undefined ? [] : [`${spec.file}: ${spec.failure.split('\n')[0]}`]),
    ...spec.tests
      .filter((test) => test.status === 'failed')
      .map((test) => `${spec.file}: ${test.fullName}: ${(test.failure ?? '').split('\n')[0]}`),
  ]);
  if (outcome.code !== 0 && failures.length === 0) failures.push(`Jest exited ${outcome.code}`);
  for (const failure of failures) process.stderr.write(`bench: FAILED on ${target}: ${failure}\n`);
  const specs = outcome.records.specs.map((spec) => ({ name: spec.file, ms: spec.durationMs }));
  const longest = specs.reduce((a, b) => (b.ms > a.ms ? b : a), { name: '-', ms: 0 });
  return { wallMs: outcome.wallMs, cpuMs, agents, longest, specs, failures };
}

/** A row of a suite's agents' CPU time: the sum, and how many targets it covers. */
const agentCpuRow = (name, suite, policy) => [
  name,
  seconds(suite.agents.cpuMs),
  `${suite.agents.targets} targets` +
    (suite.agents.unmeasured > 0 ? `, ${suite.agents.unmeasured} without the figure` : '') +
    `; ${policy}; wall ${seconds(suite.wallMs)}; ${clean(suite)}`,
];

/** The suite on demand (now) and adaptive (before 2026-12-03), one after the other: their agents' CPU time. */
async function timeSamplingPolicies() {
  process.stderr.write('bench: the scenario suite, agents sampling on demand ...\n');
  const onDemand = await timeSuite();
  process.stderr.write(
    'bench: the suite again, agents sampling adaptive as before 2026-12-03 ...\n',
  );
  const adaptive = await timeSuite('container', ADAPTIVE);
  return { onDemand, adaptive };
}

/**
 * An agent's CPU time from its start to answering (Node's start, loading the agent, its first sample): a cost
 * every target pays whatever the policy, read of agents asked at once after their start (median of 3).
 */
async function agentStartCpuMs() {
  const testkit = await loadTestkit();
  const readings = [];
  for (let i = 0; i < 3; i += 1) {
    const target = await testkit.ContainerTarget.start();
    readings.push((await target.info()).cpuMs);
    await target.stop();
  }
  return median(readings);
}

/** The rows comparing the agents' CPU time of the policies, also beyond what the agents' starts cost. */
const samplingRows = ({ onDemand, adaptive }, startMs) => [
  ['agent start, CPU (median of 3)', seconds(startMs), 'paid by every target, whatever the policy'],
  agentCpuRow(
    'agent CPU per suite run, on demand',
    onDemand,
    'only while a wait, program or capture is open',
  ),
  agentCpuRow('agent CPU per suite run, adaptive', adaptive, 'whenever the table can change'),
  [
    'agent CPU, on demand / adaptive',
    (onDemand.agents.cpuMs / adaptive.agents.cpuMs).toFixed(2),
    '',
  ],
  [
    "the same beyond the agents' starts",
    (
      (onDemand.agents.cpuMs - onDemand.agents.targets * startMs) /
      (adaptive.agents.cpuMs - adaptive.agents.targets * startMs)
    ).toFixed(2),
    'each suite less its targets times an agent start',
  ],
];

/** The note of a suite's wall-time row: whether every test passed. */
const clean = (suite) =>
  suite.failures.length === 0
    ? 'all tests passed'
    : `${suite.failures.length} test(s) FAILED (listed above)`;

/**
 * `npm start` end to end, as a user types it (build check, image check, Jest's start, every spec, the report), and
 * its longest spec, from the results.json it wrote.
 */
async function timeNpmStart() {
  const dir = mkdtempSync(join(tmpdir(), 'sockspec-bench-start-'));
  const started = Date.now();
  await new Promise((resolve, reject) => {
    const npm = spawn('npm', ['start'], {
      cwd: join(scenarios, '..'),
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SOCKSPEC_REPORT_DIR: dir },
    });
    npm.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm start failed (exit ${code})`)),
    );
  });
  const wallMs = Date.now() - started;
  const { specs } = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const longest = specs.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  return { wallMs, longest: { name: longest.file, ms: longest.durationMs } };
}

/** The kit's runner, loaded only when targets are timed; it removes its own containers. */
async function loadTestkit() {
  // testcontainers' reaper image cannot be pulled everywhere.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const runner = await import('@sockspec/testkit/runner');
  await runner.ensureTargetImage();
  return runner;
}

async function timeTargetStarts() {
  const testkit = await loadTestkit();
  const times = [];
  for (let i = 0; i < STARTS; i += 1) {
    const asked = Date.now();
    const target = await testkit.ContainerTarget.start();
    await target.info();
    times.push(Date.now() - asked);
    await target.stop();
  }
  return times;
}

function timePlainDockerRuns() {
  const image = process.env.SOCKSPEC_IMAGE ?? 'sockspec-target:latest';
  const times = [];
  for (let i = 0; i < STARTS; i += 1) {
    const asked = Date.now();
    const id = execFileSync('docker', [
      'run',
      '-d',
      '--label',
      'sockspec=true',
      '-e',
      `SOCKSPEC_AGENT_TOKEN=${randomBytes(24).toString('hex')}`,
      image,
    ])
      .toString()
      .trim();
    try {
      while (!execFileSync('docker', ['logs', id]).toString().includes('agent-listening')) {
        execFileSync('sleep', ['0.01']);
      }
      times.push(Date.now() - asked);
    } finally {
      execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
    }
  }
  return times;
}

/**
 * A VM kernel's boot (once per run), then asking for a target on it (a namespace with its agent) until that agent
 * answers, as often as container starts are timed. The kernel is booted by this process and powered off at exit.
 */
async function timeVmStarts(series) {
  const testkit = await loadTestkit();
  const { kernelFor } = testkit;
  const booting = Date.now();
  const kernel = await kernelFor(series);
  const bootMs = Date.now() - booting;
  const times = [];
  for (let i = 0; i < STARTS; i += 1) {
    const asked = Date.now();
    const target = await testkit.VmTarget.start(series);
    await target.info();
    times.push(Date.now() - asked);
    await target.stop();
  }
  // Powered off before the suites on VM kernels, which boot their own: an idle qemu beside them would cost CPU.
  kernel.stop();
  return { bootMs, times };
}

const rows = [];
if (!args.includes('--no-transform') && !args.includes('--only-inspector') && !onlySampling) {
  const pkg = process.env.SOCKSPEC_BENCH_UNITS ?? 'report';
  process.stderr.write(`bench: packages/${pkg}'s unit tests with ts-jest, then @swc/jest ...\n`);
  const reps = Number(process.env.SOCKSPEC_BENCH_TRANSFORM_REPS ?? 3);
  rows.push(...benchTransforms({ pkg, reps }));
}
if (!args.includes('--no-inspector') && !onlyTransform && !onlySampling) {
  process.stderr.write(
    `bench: the inspector, on ${2 * CONNECTIONS} loopback sockets in a network namespace ...\n`,
  );
  rows.push(...(await benchInspector({ connections: CONNECTIONS })));
}
let containerSuite;
if (onlySampling) {
  rows.push(...samplingRows(await timeSamplingPolicies(), await agentStartCpuMs()));
} else if (!onlyInspector && !args.includes('--no-suite')) {
  const policies = await timeSamplingPolicies();
  const suite = policies.onDemand;
  containerSuite = suite;
  const suiteRows = suite.specs
    .sort((a, b) => b.ms - a.ms)
    .map((spec) => [`  spec ${spec.name}`, seconds(spec.ms), '']);
  process.stderr.write(
    'bench: the suite again, its targets busy while idle as before 2026-12-02 ...\n',
  );
  const before = await timeSuite('container', BUSY_IDLE);
  process.stderr.write('bench: npm start, end to end ...\n');
  const start = await timeNpmStart();
  rows.push(
    ['scenario suite, wall time', seconds(suite.wallMs), clean(suite)],
    [`longest spec (${suite.longest.name})`, seconds(suite.longest.ms), ''],
    ['suite / longest spec', (suite.wallMs / suite.longest.ms).toFixed(2), 'target <= 1.5'],
    ['suite, CPU time of the whole machine', seconds(suite.cpuMs), 'targets asleep while idle'],
    [
      'the same suite, targets busy while idle',
      seconds(before.cpuMs),
      `agents sampling every 10 ms, programs waking every 5 ms; wall ${seconds(before.wallMs)}; ${clean(before)}`,
    ],
    ['suite CPU time, asleep / busy while idle', (suite.cpuMs / before.cpuMs).toFixed(2), ''],
    ...samplingRows(policies, await agentStartCpuMs()),
    agentCpuRow(
      'agent CPU per suite run, always',
      before,
      'every 10 ms, programs waking every 5 ms',
    ),
    ['npm start, end to end', seconds(start.wallMs), ''],
    [`  its longest spec (${start.longest.name})`, seconds(start.longest.ms), ''],
    ['npm start / its longest spec', (start.wallMs / start.longest.ms).toFixed(2), 'target <= 1.3'],
    ...suiteRows,
  );
}
/** Container target starts (ms), to compare a VM kernel's target starts with. */
let containerStarts;
if (!onlyInspector && !onlySampling) {
  process.stderr.write(`bench: starting ${STARTS} targets, then ${STARTS} plain docker runs ...\n`);
  const targetTimes = await timeTargetStarts();
  containerStarts = targetTimes;
  const plainTimes = timePlainDockerRuns();
  rows.push(
    [`target start to agent answering (median of ${STARTS})`, seconds(median(targetTimes)), ''],
    [`plain docker run to agent listening (median of ${STARTS})`, seconds(median(plainTimes)), ''],
    ['target start / plain docker run', (median(targetTimes) / median(plainTimes)).toFixed(2), ''],
  );
}
const vmSeries = process.env.SOCKSPEC_BENCH_VM ?? '6.1';
/** The kernel series of --kernels (or all four), else the one VM kernel started above. */
function suiteKernels() {
  const at = args.indexOf('--kernels');
  const list = at >= 0 ? (args[at + 1] ?? '') : vmSeries;
  return list === 'all' ? ['5.10', '6.1', '6.12', '7.2'] : list.split(',').filter(Boolean);
}
const hasQemu = spawnSyncOk('qemu-system-x86_64', ['--version']);
if (hasQemu && !onlyInspector && !onlySampling && !args.includes('--no-vm')) {
  process.stderr.write(`bench: booting Linux ${vmSeries}, then starting targets on it ...\n`);
  const vm = await timeVmStarts(vmSeries);
  rows.push([
    `VM kernel (${vmSeries}) boot to supervisor answering`,
    seconds(vm.bootMs),
    'once per run',
  ]);
  rows.push([
    `target start on the booted ${vmSeries} kernel (median of ${vm.times.length})`,
    seconds(median(vm.times)),
    '',
  ]);
  if (containerStarts !== undefined) {
    rows.push([
      `target start: on a VM kernel / in a container`,
      (median(vm.times) / median(containerStarts)).toFixed(2),
      '',
    ]);
  }
  if (containerSuite !== undefined) {
    for (const series of suiteKernels()) {
      process.stderr.write(`bench: running the scenario suite on vm:${series} (minutes) ...\n`);
      const suite = await timeSuite(`vm:${series}`);
      rows.push(
        [`scenario suite on vm:${series}, wall time`, seconds(suite.wallMs), clean(suite)],
        [
          `suite on vm:${series} / in a container`,
          (suite.wallMs / containerSuite.wallMs).toFixed(2),
          'target <= 1.5',
        ],
        [
          `suite on vm:${series}, CPU time of the whole machine`,
          seconds(suite.cpuMs),
          `in a container: ${seconds(containerSuite.cpuMs)} (qemu's emulated CPU is in it)`,
        ],
      );
    }
  }
}
const width = Math.max(...rows.map((row) => row[0].length));
const valueWidth = Math.max(9, ...rows.map((row) => row[1].length));
console.log(
  `\nsockspec bench, ${new Date().toISOString()}, kernel ${execFileSync('uname', ['-r']).toString().trim()}, ` +
    `${availableParallelism()} cores, node ${process.version}`,
);
for (const [name, value, note] of rows)
  console.log(`${name.padEnd(width)}  ${value.padStart(valueWidth)}  ${note}`);
