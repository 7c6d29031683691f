/**
 * Load test of the scoring server: the wasmlearn server (startServer, in a child process)
 * and a Flask scikit-learn server of the same pipeline (bench/python/serve_sklearn.py),
 * both on 127.0.0.1, driven by autocannon at concurrency 1 and 64 with 1-row and
 * 100-row `dataframe_split` requests, a bounded duration each. Reports req/s and p50/p99
 * latency and the ratios. Each server is skipped with the reason when unavailable.
 * Run: `npm run bench:server` (`-- --duration 5`, seconds per cell, default 5).
 * Writes bench/out/server-load.json and bench/out/RESULTS-peers.md (merged into bench/RESULTS.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heartToCsv, registerFunction } from './../src/index.js';
import { heartPipeline, ratio } from '../test/helpers/heart.js';
import { PY, ROOT, features, machine, renderResults, sklearnMissing, writeJson } from './peers/common.js';

const CELLS = [{ rows: 1, connections: 1 }, { rows: 1, connections: 64 }, { rows: 100, connections: 1 }, { rows: 100, connections: 64 }];
const argDuration = process.argv.indexOf('--duration');
const durationS = Math.min(30, Math.max(1, argDuration > 0 ? Number(process.argv[argDuration + 1]) : 5));

// Child mode: serve the heart model and print the port.
if (process.argv.includes('--child')) {
  const { startServer } = await import('../src/serve/index.js');
  const { loadModel } = await import('../src/index.js');
  registerFunction('ratio', ratio);
  const train = features(10_000, 1);
  const model = loadModel(heartPipeline().fit(train.X, train.y).toJSON());
  const srv = await startServer({ model, host: '127.0.0.1', port: 0, predictFn: 'predict_proba' });
  process.stdout.write(`PORT ${srv.port}\n`);
  process.on('SIGTERM', () => { void srv.close().then(() => process.exit(0)); });
} else {
  await runAll();
}

function waitForPort(child: ChildProcess, what: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s: ${err.slice(-300)}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /PORT (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.stderr!.on('data', (d) => { err += String(d); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}): ${err.slice(-300)}`)); });
  });
}

function body(rows: number): string {
  const s = features(rows, 5);
  const columns = Object.keys(s.X);
  const data = Array.from({ length: rows }, (_, i) => columns.map((c) => (Number.isNaN(s.X[c][i]) ? null : s.X[c][i])));
  return JSON.stringify({ dataframe_split: { columns, data } });
}

async function load(url: string, rows: number, connections: number) {
  const autocannon = (await import('autocannon' as string)).default as (o: Record<string, unknown>) => Promise<any>;
  const opts = { url: `${url}/invocations`, method: 'POST', headers: { 'content-type': 'application/json' }, body: body(rows), connections };
  await autocannon({ ...opts, duration: 1 }); // warm-up
  const r = await autocannon({ ...opts, duration: durationS });
  // autocannon records latency in whole milliseconds; the mean from the request rate keeps sub-ms resolution
  return { rps: r.requests.average, meanMs: (connections / r.requests.average) * 1000, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts };
}

async function runAll() {
  let hasAutocannon = true;
  try { await import('autocannon' as string); } catch { hasAutocannon = false; }
  const servers: { name: string; skipped?: string; results?: Record<string, unknown> }[] = [];
  const notes = [
    'Each server runs in its own process (the wasmlearn one: startServer, one Node process, predict_fn predict_proba; scikit-learn: Flask threaded dev server, one Python process), autocannon in this process; 2 cores shared.',
    'Request bodies: rows of makeHeart seed 5, missing values as null; answers are probability rows.',
  ];
  if (!hasAutocannon) {
    console.log('server load benchmark skipped: autocannon is not installed (npm ci installs it; or run `npm run setup:peers`).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-load-'));
  const self = fileURLToPath(import.meta.url);
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  try {
    const launchers: { name: string; skip: () => string; start: () => ChildProcess }[] = [
      { name: 'wasmlearn', skip: () => '', start: () => spawn(tsx, [self, '--child'], { stdio: ['ignore', 'pipe', 'pipe'] }) },
      {
        name: 'scikit-learn (Flask)', skip: () => sklearnMissing('sklearn, pandas, flask'),
        start: () => {
          const csv = join(dir, 'train.csv');
          writeFileSync(csv, heartToCsv(features(10_000, 1).data));
          return spawn(PY, [join(ROOT, 'bench', 'python', 'serve_sklearn.py'), csv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
        },
      },
    ];
    for (const l of launchers) {
      const why = l.skip();
      if (why) { servers.push({ name: l.name, skipped: why }); continue; }
      const child = l.start();
      try {
        const port = await waitForPort(child, l.name);
        const results: Record<string, unknown> = {};
        for (const c of CELLS) {
          process.stderr.write(`${l.name}: ${c.rows} row(s), concurrency ${c.connections}, ${durationS} s ...\n`);
          results[`${c.rows}x${c.connections}`] = await load(`http://127.0.0.1:${port}`, c.rows, c.connections);
        }
        servers.push({ name: l.name, results });
      } catch (e) {
        servers.push({ name: l.name, skipped: (e as Error).message });
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeJson('server-load.json', { machine: machine(), durationS, cells: CELLS, servers, notes });
  console.log(renderResults());
}
