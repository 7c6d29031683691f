/**
 * Heart pipeline scoring benchmark: single row (median / p99 latency), batches of 1k,
 * 100k and 1M rows from columnar input, 100k rows from row objects; WebAssembly vs the
 * plain-TypeScript reference kernels in the same run, plus the memory floor (one pass
 * reading the same 13 float64 columns). Run: `npm run bench:score` (add `--quick` for CI).
 * Prints a Markdown table and writes bench/out/heart-score.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadModel, makeHeart, registerFunction, setBackend } from '../src/index.js';
import { heartPipeline, ratio, toRows } from '../test/helpers/heart.js';

const quick = process.argv.includes('--quick');
registerFunction('ratio', ratio);

function features(n: number, seed: number) {
  const h = makeHeart({ nRows: n, seed });
  const { num: _num, ...X } = h.columns;
  return { X: X as Record<string, Float64Array>, y: h.target };
}

const train = features(10_000, 1);
const model = heartPipeline().fit(train.X, train.y);
const doc = model.toJSON();

function timeIt(fn: () => void, minMs: number): number {
  fn(); // warm
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = performance.now(); } while (t - t0 < minMs);
  return (t - t0) / reps; // ms per call
}

function singleRow(m: ReturnType<typeof loadModel>, rows: Record<string, number | string | null>[], calls: number) {
  // time blocks of 100 calls; per-call latency = block time / 100 (timer overhead amortised)
  const per: number[] = [];
  for (let i = 0; i < 2000; i++) m.predictProbaRow(rows[i % rows.length]);
  for (let b = 0; b < calls / 100; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) m.predictProbaRow(rows[(b * 100 + i) % rows.length]);
    per.push(Number(process.hrtime.bigint() - t0) / 100);
  }
  per.sort((a, b) => a - b);
  return { medianNs: per[Math.floor(per.length / 2)], p99Ns: per[Math.floor(per.length * 0.99)] };
}

function memoryFloor(X: Record<string, Float64Array>): number {
  const cols = Object.values(X);
  let sink = 0;
  const ms = timeIt(() => {
    let s = 0;
    for (const c of cols) for (let i = 0; i < c.length; i++) s += c[i];
    sink += s;
  }, quick ? 200 : 1000);
  if (sink === 42) console.log('');
  return cols[0].length / ms / 1000; // M rows/s
}

type Row = { backend: string; workload: string; value: number; unit: string };
const results: Row[] = [];
const sizes = quick ? [1000, 100_000] : [1000, 100_000, 1_000_000];
const data = features(Math.max(...sizes), 2);
const rows100k = toRows(Object.fromEntries(Object.entries(data.X).map(([k, v]) => [k, v.subarray(0, quick ? 20_000 : 100_000)])));

for (const backend of ['wasm', 'reference'] as const) {
  setBackend(backend);
  const m = loadModel(doc);
  const s = singleRow(m, rows100k, quick ? 20_000 : 100_000);
  results.push({ backend, workload: 'single row predictProbaRow, median', value: s.medianNs / 1000, unit: 'µs' });
  results.push({ backend, workload: 'single row predictProbaRow, p99', value: s.p99Ns / 1000, unit: 'µs' });
  for (const n of sizes) {
    const X = Object.fromEntries(Object.entries(data.X).map(([k, v]) => [k, v.subarray(0, n)]));
    const ms = timeIt(() => m.predictProba(X), quick ? 150 : 1500);
    results.push({ backend, workload: `batch ${n.toLocaleString('en')} rows, columns`, value: n / ms / 1000, unit: 'M rows/s' });
  }
  const msRows = timeIt(() => m.predictProba(rows100k), quick ? 150 : 1500);
  results.push({ backend, workload: `batch ${rows100k.length.toLocaleString('en')} rows, row objects`, value: rows100k.length / msRows / 1000, unit: 'M rows/s' });
  m.dispose();
}
setBackend('wasm');
const floor = memoryFloor(data.X);
results.push({ backend: 'floor', workload: 'read 13 float64 columns once (JS loop)', value: floor, unit: 'M rows/s' });

const fitMs = timeIt(() => heartPipeline().fit(train.X, train.y), quick ? 200 : 2000);
results.push({ backend: 'wasm', workload: 'fit heart pipeline, 10k rows', value: fitMs, unit: 'ms' });

const byKey = new Map(results.map((r) => [`${r.backend}|${r.workload}`, r]));
console.log(`\nHeart pipeline scoring — ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}${quick ? ' (quick)' : ''}\n`);
console.log('| workload | wasm | reference (TS) | wasm / reference |');
console.log('|---|---|---|---|');
for (const r of results.filter((x) => x.backend === 'wasm')) {
  const ref = byKey.get(`reference|${r.workload}`);
  const ratio = ref ? (r.unit === 'µs' || r.unit === 'ms' ? ref.value / r.value : r.value / ref.value) : NaN;
  console.log(`| ${r.workload} | ${r.value.toFixed(r.unit === 'M rows/s' ? 2 : 3)} ${r.unit} | ${ref ? `${ref.value.toFixed(ref.unit === 'M rows/s' ? 2 : 3)} ${ref.unit}` : '—'} | ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '—'} |`);
}
console.log(`| memory floor: ${byKey.get('floor|read 13 float64 columns once (JS loop)')!.workload} | ${floor.toFixed(1)} M rows/s | | |`);
mkdirSync(join(process.cwd(), 'bench', 'out'), { recursive: true });
writeFileSync(join(process.cwd(), 'bench', 'out', 'heart-score.json'), JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, quick, results }, null, 1));
