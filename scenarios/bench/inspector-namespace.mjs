// Runs inside a network namespace of its own (inspector-bench.mjs starts it under `unshare --net`): opens the
// loopback sockets, then times every way of listing them side by side, round after round, and prints one JSON
// object with the samples. Every contender sees the same table: cat, ss and netstat inherit this namespace.
//   SOCKSPEC_BENCH_CONNECTIONS  loopback connections (default 5000: 10,000 sockets and the listener)
//   SOCKSPEC_BENCH_REPS         measured rounds (default 15), after SOCKSPEC_BENCH_WARMUP (default 2)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import inspector from '@sockspec/inspector';
import netstat from 'node-netstat';
import { openLoopbackSockets } from './loopback-sockets.mjs';

const { parseProcNetTcp, readTcpSocketsSync, socketOwners } = inspector;
const CONNECTIONS = Number(process.env.SOCKSPEC_BENCH_CONNECTIONS ?? 5000);
const REPS = Number(process.env.SOCKSPEC_BENCH_REPS ?? 15);
const WARMUP = Number(process.env.SOCKSPEC_BENCH_WARMUP ?? 2);

/** A process's whole output, as a Node program shelling out would get it; fails loudly on a non-zero exit. */
function run(command, args) {
  const result = spawnSync(command, args, {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${result.status}`);
  return result.stdout;
}

/** node-netstat's listing, synchronous; its Linux command is `netstat -apntu` (TCP and UDP, with pids). */
function nodeNetstatTcp() {
  const items = [];
  let failure;
  netstat(
    {
      sync: true,
      done: (error) => {
        failure = error ?? undefined;
      },
    },
    (item) => {
      if (item.protocol.startsWith('tcp')) items.push(item);
    },
  );
  if (failure !== undefined) throw failure;
  return items;
}

/** The table and who holds each socket: every entry's owners looked up in socketOwners' map, as ss -p shows them. */
function snapshotWithOwners() {
  const entries = readTcpSocketsSync();
  const owners = socketOwners();
  return entries.map((entry) => owners.get(entry.inode) ?? []);
}

const lineCount = (buffer) => {
  let lines = 0;
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines += 1;
  return lines;
};

const table = await openLoopbackSockets(CONNECTIONS);
const tcpText = readFileSync('/proc/net/tcp', 'latin1');
const tcp6Text = readFileSync('/proc/net/tcp6', 'latin1');
const parseAll = () => [
  ...parseProcNetTcp(tcpText, 'ipv4').entries,
  ...parseProcNetTcp(tcp6Text, 'ipv6').entries,
];

const contenders = {
  inspector: () => readTcpSocketsSync(),
  cat: () => run('cat', ['/proc/net/tcp', '/proc/net/tcp6']),
  ssTan: () => run('ss', ['-tan']),
  nodeNetstat: nodeNetstatTcp,
  inspectorOwners: () => snapshotWithOwners(),
  ssTanp: () => run('ss', ['-tanp']),
  parse: () => parseAll(),
};

// node-netstat runs net-tools' netstat, which not every machine has.
if (spawnSync('netstat', ['--version'], { stdio: 'ignore' }).status !== 0)
  delete contenders.nodeNetstat;

// What each one saw, once: the table must be the same size for all of them.
const seen = {
  inspector: contenders.inspector().length,
  cat: lineCount(contenders.cat()) - 2,
  ssTan: lineCount(contenders.ssTan()) - 1,
  ...(contenders.nodeNetstat && { nodeNetstat: contenders.nodeNetstat().length }),
  inspectorOwners: contenders.inspectorOwners().filter((owners) => owners.length > 0).length,
  ssTanp: lineCount(contenders.ssTanp()) - 1,
  parse: parseAll().length,
};

const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const names = Object.keys(contenders);
for (let round = 0; round < WARMUP + REPS; round += 1) {
  // Each round starts with another contender, so that none always runs right after the same neighbour.
  for (let i = 0; i < names.length; i += 1) {
    const name = names[(round + i) % names.length];
    const started = performance.now();
    contenders[name]();
    const ms = performance.now() - started;
    if (round >= WARMUP) samples[name].push(ms);
  }
}

table.close();
process.stdout.write(
  `${JSON.stringify({ sockets: table.sockets, parsedLines: seen.parse, seen, samples })}\n`,
);
process.exit(0);
