/**
 * Heart pipeline against its peers, in one run, on the same synthetic data (makeHeart):
 * predictProba single row (median, p99) and batches of 1k / 100k / 1M rows, and fit on
 * 10k / 100k rows, for
 *   (a) wasmlearn, (b) onnxruntime-node and (c) onnxruntime-web (wasm backend in Node) on
 *   the model exported with toONNX, (d) scikit-learn 1.2 via /usr/bin/python3 (same CSV,
 *   timed inside Python), (e) scikitjs on the pure-JS tfjs CPU backend (bench/peers/scikitjs.ts).
 * Each unavailable peer is skipped with the reason. All single-threaded.
 * Run: `npm run bench` (`-- --quick` for a short run). Writes bench/out/peers.json and
 * bench/out/RESULTS-peers.md (merged into bench/RESULTS.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heartToCsv, type Pipeline } from '../../src/index.js';
import { toONNX } from '../../src/onnx/index.js';
import { heartPipeline, toRows } from '../../test/helpers/heart.js';
import { feedsFor, type Ort, type OrtSession } from '../../test/onnx/helpers.js';
import { benchScikitjs } from './scikitjs.js';
import { memoryFloor } from '../floor.js';
import { PY, ROOT, features, head, latency, loadOrtNode, loadOrtWeb, machine, medianMs, renderResults, sklearnMissing, writeJson } from './common.js';

const quick = process.argv.includes('--quick');
const batches = quick ? [1000, 100_000] : [1000, 100_000, 1_000_000];
const fitSizes = quick ? [10_000] : [10_000, 100_000];
const singleCalls = quick ? 2000 : 20_000;
const minMs = quick ? 300 : 1500;

type Backend = {
  name: string; skipped?: string;
  single?: { medianUs: number; p99Us: number; calls: number };
  batch?: Record<number, { ms: number; mRowsPerS: number }>;
  fit?: Record<string, number>;
};

const log = (s: string) => process.stderr.write(s + '\n');

const train = features(10_000, 1);
const score = features(Math.max(...batches), 2);
// The ratio declared as an expression (`expr: { op: 'div', … }`): the same Div the exported
// ONNX graph runs. The tutorial's JS-function form is timed as its own row below.
const model = heartPipeline(undefined, 'expr').fit(train.X, train.y);
const withFunction = heartPipeline().fit(train.X, train.y);
const onnxBytes = toONNX(model);
const rows = toRows(head(score.X, 10_000));
const want1000 = model.predictProba(head(score.X, 1000)).data;
const agreement: Record<string, number> = {};
const backends: Backend[] = [];

// (a) wasmlearn
{
  log('wasmlearn ...');
  const b: Backend = { name: 'wasmlearn', batch: {}, fit: {} };
  b.single = await latency((i) => model.predictProbaRow(rows[i % rows.length]), singleCalls);
  for (const n of batches) {
    const X = head(score.X, n);
    const ms = await medianMs(() => model.predictProba(X), minMs);
    b.batch![n] = { ms, mRowsPerS: n / ms / 1000 };
  }
  for (const n of fitSizes) {
    const t = n === train.X.age.length ? train : features(n, 3);
    b.fit![n] = await medianMs(() => heartPipeline(undefined, 'expr').fit(t.X, t.y), minMs, 5);
  }
  backends.push(b);
}
// (a') wasmlearn with the ratio as the tutorial's JS function (called once per batch, per row on the single-row path)
{
  log('wasmlearn (ratio as a JS function) ...');
  const b: Backend = { name: 'wasmlearn (JS function)', batch: {} };
  b.single = await latency((i) => withFunction.predictProbaRow(rows[i % rows.length]), singleCalls);
  for (const n of batches) {
    const X = head(score.X, n);
    const ms = await medianMs(() => withFunction.predictProba(X), minMs);
    b.batch![n] = { ms, mRowsPerS: n / ms / 1000 };
  }
  backends.push(b);
}

// (b), (c) onnxruntime on the exported model
async function ortBackend(name: string, loaded: { ort: Ort | null; reason: string }, sessionOptions: Record<string, unknown>): Promise<Backend> {
  if (!loaded.ort) return { name, skipped: loaded.reason };
  log(`${name} ...`);
  const ort = loaded.ort;
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(onnxBytes, sessionOptions);
  } catch (e) {
    return { name, skipped: `could not load the exported model: ${(e as Error).message}` };
  }
  const none = new Set<string>();
  const b: Backend = { name, batch: {} };
  const names = session.inputNames;
  // single row: the row object's values into 13 [1,1] float32 tensors, then run
  b.single = await latency(async (i) => {
    const row = rows[i % rows.length];
    const feeds: Record<string, unknown> = {};
    for (const k of names) feeds[k] = new ort.Tensor('float32', Float32Array.of(row[k] === null ? NaN : (row[k] as number)), [1, 1]);
    return session.run(feeds);
  }, Math.min(singleCalls, 10_000));
  for (const n of batches) {
    const ms = await medianMs(() => session.run(feedsFor(ort, names, none, score.X, 0, n)), minMs, 200);
    b.batch![n] = { ms, mRowsPerS: n / ms / 1000 };
  }
  const out = await session.run(feedsFor(ort, names, none, score.X, 0, 1000));
  let d = 0;
  for (let i = 0; i < want1000.length; i++) d = Math.max(d, Math.abs(want1000[i] - Number(out.probabilities.data[i])));
  agreement[name] = d;
  await session.release?.();
  return b;
}
backends.push(await ortBackend('onnxruntime-node', loadOrtNode(), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' }));
backends.push(await ortBackend('onnxruntime-web', loadOrtWeb(), { executionProviders: ['wasm'] }));

// (d) scikit-learn, timed inside Python on the same rows written as CSV
let sklearnVersions: Record<string, string> | null = null;
{
  const missing = sklearnMissing();
  if (missing) backends.push({ name: 'scikit-learn', skipped: missing });
  else {
    log('scikit-learn ...');
    const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-bench-'));
    try {
      const trainPaths: Record<string, string> = {};
      for (const n of fitSizes) {
        const t = n === train.X.age.length ? train : features(n, 3);
        trainPaths[n] = join(dir, `train-${n}.csv`);
        writeFileSync(trainPaths[n], heartToCsv(t.data));
      }
      const scorePath = join(dir, 'score.csv');
      writeFileSync(scorePath, heartToCsv(score.data, false));
      const job = { train: trainPaths, score: scorePath, batches, singleCalls: quick ? 500 : 2000, fitReps: quick ? 3 : 5, minSeconds: minMs / 1000 };
      const r = spawnSync(PY, [join(ROOT, 'bench', 'python', 'heart_sklearn.py')], {
        input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 256 << 20,
        env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      });
      if (r.status !== 0) backends.push({ name: 'scikit-learn', skipped: `python failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}` });
      else {
        const res = JSON.parse(r.stdout);
        sklearnVersions = { python: res.python, sklearn: res.sklearn, numpy: res.numpy, pandas: res.pandas };
        const batch: Record<number, { ms: number; mRowsPerS: number }> = {};
        for (const [n, v] of Object.entries(res.batch as Record<string, { ms: number; mRowsPerS: number }>)) batch[Number(n)] = v;
        backends.push({ name: 'scikit-learn', single: res.single, batch, fit: res.fit });
        // scikit-learn fitted the same pipeline on the same rows: its probabilities should agree closely
        let d = 0;
        (res.probaFirst1000 as number[]).forEach((p, i) => { d = Math.max(d, Math.abs(p - want1000[2 * i + 1])); });
        agreement['scikit-learn (own fit)'] = d;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

// (e) scikitjs, optional (`npm run setup:peers:scikitjs`)
{
  const r = await benchScikitjs({ train, score, fitData: (n) => features(n, 3), rows, batches, fitSizes, singleCalls: Math.min(singleCalls, 2000), minMs, want1000, log });
  backends.push(r.backend);
  if (r.agreement !== undefined) agreement['scikitjs (own fit)'] = r.agreement;
}

// The memory floor in the same run: copying the batch's 13 input columns from JS arrays into
// linear memory (what the plan does before scoring), and reading them there (SIMD).
const floor: Record<number, { copyMs: number; readMs: number }> = {};
for (const n of batches) {
  const f = memoryFloor(head(score.X, n), quick ? 150 : 500);
  floor[n] = { copyMs: f.msCopy, readMs: f.msRead };
}

const result = { machine: machine(), sklearnVersions, floor, quick, trainRows: train.X.age.length, batches, fitRows: Object.fromEntries(fitSizes.map((n) => [n, true])), onnxBytes: onnxBytes.length, agreement, backends };
writeJson('peers.json', result);
console.log(renderResults());

export type { Pipeline };
