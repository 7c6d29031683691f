/**
 * Heart pipeline scoring benchmark: single row (median / p99 latency), batches of 1k,
 * 100k and 1M rows from columnar input, 100k rows from row objects, 100k rows with two
 * string categorical columns (columns and row objects); WebAssembly vs the
 * plain-TypeScript reference kernels in the same run, plus the memory floor (one pass
 * reading the same 13 float64 columns). Run: `npx tsx bench/heart-score.ts` (add `--quick` for CI).
 * Prints a Markdown table and writes bench/out/heart-score.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadModel, makeHeart, registerFunction, setBackend } from '../src/index.js';
import { memoryFloor, timeIt } from './floor.js';
import { heartPipeline, heartStringPipeline, ratio, toRows, withStringCategories } from '../test/helpers/heart.js';

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
// the same pipeline with its ratio declared as an expression (computed inside the fused pass)
const exprDoc = heartPipeline(undefined, 'expr').fit(train.X, train.y).toJSON();
// the same data with cp and thal as strings
const stringDoc = heartStringPipeline().fit(withStringCategories(train.X), train.y).toJSON();


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

type Row = { backend: string; workload: string; value: number; unit: string };
const results: Row[] = [];
const sizes = quick ? [1000, 100_000] : [1000, 100_000, 1_000_000];
const data = features(Math.max(...sizes), 2);
// rows as a service receives them (JSON.parse gives every row the same shape)
const rows100k = JSON.parse(JSON.stringify(toRows(Object.fromEntries(Object.entries(data.X).map(([k, v]) => [k, v.subarray(0, quick ? 20_000 : 100_000)]))))) as Record<string, number | null>[];

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
  const e = loadModel(exprDoc);
  for (const n of sizes) {
    const X = Object.fromEntries(Object.entries(data.X).map(([k, v]) => [k, v.subarray(0, n)]));
    const ms = timeIt(() => e.predictProba(X), quick ? 150 : 1500);
    results.push({ backend, workload: `batch ${n.toLocaleString('en')} rows, columns, ratio as expr`, value: n / ms / 1000, unit: 'M rows/s' });
    const out = new Float64Array(n * 2);
    const msOut = timeIt(() => e.predictProba(X, { out }), quick ? 150 : 1500);
    results.push({ backend, workload: `batch ${n.toLocaleString('en')} rows, columns, ratio as expr, into a reused out array`, value: n / msOut / 1000, unit: 'M rows/s' });
  }
  e.dispose();
  // cp and thal as strings (as in a DataFrame of the raw data): columns of strings and row
  // objects with string values, mapped straight to category codes
  const st = loadModel(stringDoc);
  const nS = quick ? 20_000 : 100_000;
  const XS = withStringCategories(Object.fromEntries(Object.entries(data.X).map(([k, v]) => [k, v.subarray(0, nS)])));
  const rowsS = JSON.parse(JSON.stringify(toRows(XS))) as Record<string, number | string | null>[];
  const msS = timeIt(() => st.predictProba(XS), quick ? 150 : 1500);
  results.push({ backend, workload: `batch ${nS.toLocaleString('en')} rows, columns, cp and thal as strings`, value: nS / msS / 1000, unit: 'M rows/s' });
  const msSR = timeIt(() => st.predictProba(rowsS), quick ? 150 : 1500);
  results.push({ backend, workload: `batch ${nS.toLocaleString('en')} rows, row objects, cp and thal as strings`, value: nS / msSR / 1000, unit: 'M rows/s' });
  st.dispose();
}
setBackend('wasm');
const floor = memoryFloor(data.X, quick ? 200 : 1000);
results.push({ backend: 'floor', workload: 'read 13 float64 columns in WASM memory (SIMD)', value: floor.wasmRead, unit: 'M rows/s' });
results.push({ backend: 'floor', workload: 'copy 13 float64 columns JS -> WASM, 4096-row chunks', value: floor.jsCopy, unit: 'M rows/s' });
results.push({ backend: 'floor', workload: 'read 13 float64 columns (JS loop, one add chain)', value: floor.jsLoop, unit: 'M rows/s' });
// The pipeline's own JS function (ratio = thalach.map(...)) runs once per batch: its share of the 1M batch.
{
  const n = sizes[sizes.length - 1];
  const cols = { thalach: data.X.thalach.subarray(0, n), trestbps: data.X.trestbps.subarray(0, n) };
  const ms = timeIt(() => ratio(cols), quick ? 150 : 1000);
  results.push({ backend: 'user', workload: `FunctionTransformer 'ratio' alone (TypedArray.map), ${n.toLocaleString('en')} rows`, value: ms, unit: 'ms' });
}

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
for (const r of results.filter((x) => x.backend === 'floor' || x.backend === 'user')) {
  console.log(`| ${r.backend === 'floor' ? 'memory floor: ' : ''}${r.workload} | ${r.value.toFixed(r.unit === 'ms' ? 2 : 1)} ${r.unit} | | |`);
}
mkdirSync(join(process.cwd(), 'bench', 'out'), { recursive: true });
writeFileSync(join(process.cwd(), 'bench', 'out', 'heart-score.json'), JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, quick, results }, null, 1));
