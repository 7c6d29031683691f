/**
 * The heart pipeline's derived feature written two ways: the tutorial's JS function
 * (`thalach.map((v, i) => v / trestbps[i])`) and a declared expression
 * (`expr: { op: 'div', inputs: ['thalach', 'trestbps'] }`). Same results; this measures
 * what the function call costs in batch and single-row scoring (the expression is computed
 * inside the fused WebAssembly pass; the function is called once per batch, or per row).
 * Run: `taskset -c 1 npx tsx bench/heart-expr.ts`.
 */
import { cpus, loadavg } from 'node:os';
import { type Pipeline, makeHeart } from '../src/index.js';
import { heartPipeline, toRows } from '../test/helpers/heart.js';

const features = (n: number, seed: number) => { const h = makeHeart({ nRows: n, seed }); const { num: _n, ...X } = h.columns; return { X: X as Record<string, Float64Array>, y: h.target }; };
const train = features(10_000, 1);
const withFunc = heartPipeline().fit(train.X, train.y);
const withExpr = heartPipeline(undefined, 'expr').fit(train.X, train.y);

function best(fn: () => void, reps: number): number {
  for (let i = 0; i < 3; i++) fn();
  let b = Infinity;
  for (let r = 0; r < reps; r++) { const t = performance.now(); fn(); b = Math.min(b, performance.now() - t); }
  return b;
}
console.log(`\nDerived feature as a JS function vs a declared expression — ${cpus()[0]?.model}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}\n`);
console.log('| workload | JS function | expr | expr speed-up |');
console.log('|---|---|---|---|');
for (const n of [1000, 100_000, 1_000_000]) {
  const { X } = features(n, 2);
  const a = best(() => withFunc.predictProba(X), n >= 1e6 ? 15 : 50), b = best(() => withExpr.predictProba(X), n >= 1e6 ? 15 : 50);
  console.log(`| batch ${n.toLocaleString('en')} rows (best call) | ${a.toFixed(3)} ms (${(n / a / 1000).toFixed(1)} M rows/s) | ${b.toFixed(3)} ms (${(n / b / 1000).toFixed(1)} M rows/s) | ${(a / b).toFixed(2)}x |`);
}
const rows = toRows(features(1000, 3).X);
const single = (m: Pipeline) => { const per: number[] = []; for (let k = 0; k < 300; k++) { const t = process.hrtime.bigint(); for (let i = 0; i < 100; i++) m.predictProbaRow(rows[(k * 100 + i) % rows.length]); per.push(Number(process.hrtime.bigint() - t) / 100); } per.sort((p, q) => p - q); return per[per.length >> 1] / 1000; };
single(withFunc); single(withExpr);
const sa = single(withFunc), sb = single(withExpr);
console.log(`| single row predictProbaRow (median) | ${sa.toFixed(3)} µs | ${sb.toFixed(3)} µs | ${(sa / sb).toFixed(2)}x |`);
