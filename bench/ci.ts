/**
 * Quick benchmark gate for CI (`npm run bench:ci`, a few seconds): fails (exit 1) when a
 * ratio regresses. Ratios only, measured in the same run; no absolute time thresholds.
 *
 * 1. WebAssembly scoring of a 100,000-row heart batch (columnar input) must beat the
 *    plain-TypeScript reference kernels (`setBackend('reference')`) on the same data by at
 *    least MIN_SPEEDUP (median of interleaved repetitions).
 * 2. `predictProbaRow` must not keep memory per call: after 100,000 calls and a full GC
 *    (`global.gc()`), `heapUsed` must not have grown by more than MAX_RETAINED_BYTES (a
 *    leak of even 3 bytes per call would exceed it). Also reported, not gated: the
 *    short-lived allocation per call (heap growth across the calls with no GC in between,
 *    and the number of collections during the calls).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver } from 'node:perf_hooks';
import { ColumnTransformer, LogisticRegression, Pipeline, loadModel, registerFunction, setBackend } from '../src/index.js';
import { heartPipeline, ratio, toRows } from '../test/helpers/heart.js';
import { features, head } from './peers/common.js';

/**
 * Measured on the development machine (2-core Xeon, Node 20.20): WebAssembly / reference =
 * 3.3–5.3x on the 100k batch over repeated runs. The gate is conservative, under half of the
 * lowest, so noise on a shared CI machine does not trip it while losing the WebAssembly
 * advantage does.
 */
const MIN_SPEEDUP = 1.5;
/** Heap retained after 100,000 calls and a full GC (bytes). */
const MAX_RETAINED_BYTES = 256 * 1024;
const CALLS = 100_000;

v8.setFlagsFromString('--expose-gc');
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? vm.runInNewContext('gc');

registerFunction('ratio', ratio);
const train = features(5000, 1);
const doc = heartPipeline().fit(train.X, train.y).toJSON();
const batch = head(features(100_000, 2).X, 100_000);

// 1. WebAssembly vs reference on the same 100k rows, interleaved so drift in machine speed hits both
function timeOnce(m: ReturnType<typeof loadModel>): number {
  const t0 = performance.now();
  m.predictProba(batch);
  return performance.now() - t0;
}
setBackend('wasm');
const wasmModel = loadModel(doc);
setBackend('reference');
const refModel = loadModel(doc);
const wasmTimes: number[] = [], refTimes: number[] = [];
for (let r = 0; r < 12; r++) {
  setBackend('wasm'); wasmTimes.push(timeOnce(wasmModel));
  setBackend('reference'); refTimes.push(timeOnce(refModel));
}
setBackend('wasm');
const median = (a: number[]) => [...a].sort((x, y) => x - y).slice(2)[(a.length - 2) >> 1]; // first two are warm-up
const wasmMs = median(wasmTimes), refMs = median(refTimes);
const speedup = refMs / wasmMs;
const wasmAgrees = (() => {
  const a = wasmModel.predictProba(head(batch, 1000)).data, b = refModel.predictProba(head(batch, 1000)).data;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
})();

// 2. Single-row calls keep nothing: gated on the heart pipeline (with its `ratio` FunctionTransformer)
// and on the same pipeline without it (the fully fused path).
function heartWithoutFunction() {
  const full = heartPipeline();
  const pre = full.steps[0][1] as ColumnTransformer;
  return new Pipeline([['preprocessor', new ColumnTransformer(pre.params.transformers.filter(([name]) => name !== 'new'))], ['classifier', new LogisticRegression()]]);
}
const rows = toRows(head(batch, 1000));

async function heapPerCall(m: ReturnType<typeof loadModel>) {
  // the loop lives in a function: a module-level double accumulator would box a HeapNumber per call
  const callRows = (n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += m.predictProbaRow(rows[i % rows.length])[1];
    return s;
  };
  callRows(20_000); // warm-up: JIT, plan compiled
  let gcEvents = 0;
  const obs = new PerformanceObserver((list) => { gcEvents += list.getEntries().length; });
  gc(); gc();
  await new Promise((r) => setTimeout(r, 10));
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  const sink = callRows(CALLS);
  const during = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 10)); // deliver GC entries
  obs.disconnect();
  gc(); gc();
  const after = process.memoryUsage().heapUsed;
  return { perCall: (during - before) / CALLS, grown: during - before, retained: after - before, gcEvents, finite: Number.isFinite(sink) };
}
const fused = await heapPerCall(loadModel(heartWithoutFunction().fit(train.X, train.y).toJSON()));
const withFn = await heapPerCall(loadModel(doc));

const checks = [
  { check: `WASM vs reference, 100k-row batch (ratio >= ${MIN_SPEEDUP}x)`, value: `${speedup.toFixed(2)}x (wasm ${wasmMs.toFixed(1)} ms, reference ${refMs.toFixed(1)} ms; max |Δp| ${wasmAgrees.toExponential(1)})`, ok: speedup >= MIN_SPEEDUP && wasmAgrees < 1e-12 },
  ...([['heart pipeline', withFn], ['heart pipeline without FunctionTransformer', fused]] as const).flatMap(([name, r]) => [
    { check: `predictProbaRow, ${name}: heap retained after ${CALLS.toLocaleString('en')} calls and GC (<= ${MAX_RETAINED_BYTES / 1024} KB)`, value: `${(r.retained / 1024).toFixed(1)} KB`, ok: r.retained <= MAX_RETAINED_BYTES && r.finite },
    { check: `predictProbaRow, ${name}: short-lived allocation (reported, not gated)`, value: `${r.perCall.toFixed(1)} B/call without GC; ${r.gcEvents} GCs during the calls`, ok: true, info: true },
  ]),
];
console.log(`bench:ci — Node ${process.version}\n`);
console.log('| check | measured | result |\n|---|---|---|');
for (const c of checks) console.log(`| ${c.check} | ${c.value} | ${'info' in c ? 'info' : c.ok ? 'pass' : 'FAIL'} |`);
const gated = checks.filter((c) => !('info' in c));
const failed = gated.filter((c) => !c.ok).length;
console.log(`\n${gated.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
