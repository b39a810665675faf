// The inspector's figures for npm run bench: a snapshot of 10,000 TCP sockets read in-process against the
// programs that list the same table (cat of procfs, the kernel's floor; ss -tan; node-netstat), with pid mapping
// against ss -tanp, and the parser's throughput. The sockets live in a network namespace that the bench makes
// (unshare --net, root), where inspector-namespace.mjs opens them and times every contender side by side; the
// namespace ends with that process.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'inspector-namespace.mjs');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

/** Why the bench cannot run here, or undefined. */
function missing() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare --net)';
  for (const [tool, args] of [
    ['unshare', ['--version']],
    ['ss', ['-V']],
    ['ip', ['-V']],
  ]) {
    if (spawnSync(tool, args, { stdio: 'ignore' }).status !== 0) return `needs ${tool}`;
  }
  return undefined;
}

/** Starts the worker in a new network namespace, with the open-files limit raised for its sockets. */
function runWorker(connections) {
  const needed = 2 * connections + 256;
  // Raise the hard limit if it is too low (root may), then the soft limit to the hard one.
  const shell =
    'need=$1; shift; hard=$(ulimit -Hn); ' +
    'if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then ulimit -Hn "$need" 2>/dev/null; fi; ' +
    'ulimit -n "$(ulimit -Hn)"; exec "$@"';
  return new Promise((resolve, reject) => {
    const worker = spawn(
      'unshare',
      ['--net', 'sh', '-c', shell, 'sh', String(needed), process.execPath, WORKER],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SOCKSPEC_BENCH_CONNECTIONS: String(connections) },
      },
    );
    let stdout = '';
    let stderr = '';
    worker.stdout.on('data', (chunk) => (stdout += chunk));
    worker.stderr.on('data', (chunk) => (stderr += chunk));
    worker.on('error', reject);
    worker.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else
        reject(
          new Error(
            `the namespace worker failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}` +
              (/EMFILE/.test(stderr) ? ` (it needs ${needed} open files; raise ulimit -Hn)` : ''),
          ),
        );
    });
  });
}

/** The targets are the ("Proof of trust"): within 1.2x of cat, faster than ss -tan and ss -tanp. */
function verdict(ratio, comparison, bound) {
  const met = comparison === '<=' ? ratio <= bound : ratio < bound;
  return `target ${comparison} ${bound}: ${met ? 'met' : 'MISSED'}`;
}

/** Table rows [name, value, note] for bench.mjs, from one run of the worker. */
export async function benchInspector({ connections = 5000 } = {}) {
  const reason = missing();
  if (reason !== undefined) return [['inspector benchmark', 'skipped', reason]];
  const result = await runWorker(connections);
  const { samples, seen } = result;
  const m = Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, median(values)]),
  );
  const range = (name) =>
    `min ${Math.min(...samples[name]).toFixed(1)}, max ${Math.max(...samples[name]).toFixed(1)}`;
  const reps = samples.inspector.length;
  const sizes = Object.values(seen);
  const rows = [
    [
      `inspector: ${result.sockets.toLocaleString('en')} TCP sockets in a namespace of their own, median of ${reps} rounds`,
      '',
      sizes.every((size) => size === sizes[0])
        ? `each contender listed ${sizes[0]} sockets`
        : `contenders listed ${JSON.stringify(seen)}`,
    ],
    ['  inspector snapshot, in-process (tcp + tcp6)', ms(m.inspector), range('inspector')],
    ['  cat /proc/net/tcp /proc/net/tcp6 (the floor)', ms(m.cat), range('cat')],
    ['  ss -tan', ms(m.ssTan), range('ssTan')],
  ];
  if (m.nodeNetstat !== undefined)
    rows.push([
      '  node-netstat (runs netstat -apntu, pids too)',
      ms(m.nodeNetstat),
      range('nodeNetstat'),
    ]);
  rows.push(
    [
      '  inspector snapshot / cat',
      (m.inspector / m.cat).toFixed(2),
      verdict(m.inspector / m.cat, '<=', 1.2),
    ],
    [
      '  inspector snapshot / ss -tan',
      (m.inspector / m.ssTan).toFixed(2),
      verdict(m.inspector / m.ssTan, '<', 1),
    ],
  );
  if (m.nodeNetstat !== undefined)
    rows.push([
      '  inspector snapshot / node-netstat',
      (m.inspector / m.nodeNetstat).toFixed(2),
      '',
    ]);
  rows.push(
    ['  inspector snapshot + owners, in-process', ms(m.inspectorOwners), range('inspectorOwners')],
    ['  ss -tanp', ms(m.ssTanp), range('ssTanp')],
    [
      '  inspector + owners / ss -tanp',
      (m.inspectorOwners / m.ssTanp).toFixed(2),
      verdict(m.inspectorOwners / m.ssTanp, '<', 1),
    ],
  );
  if (m.nodeNetstat !== undefined)
    rows.push([
      '  inspector + owners / node-netstat',
      (m.inspectorOwners / m.nodeNetstat).toFixed(2),
      'both with pids',
    ]);
  rows.push(
    [
      `  parser, parse only (${result.parsedLines} lines of captured text)`,
      ms(m.parse),
      range('parse'),
    ],
    [
      '  parser throughput',
      `${((result.parsedLines / m.parse) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })} lines/s`,
      '',
    ],
  );
  return rows;
}
