/**
 * wasmlearn against numpy / scipy / scikit-learn (Debian's /usr/bin/python3) on the same
 * data in the same run. The data is written as raw little-endian float64 files to a
 * temporary directory; a Python snippet reads them, times each workload inside Python
 * (time.perf_counter, best of several runs) and prints JSON; this script times
 * wasmlearn on the same arrays and prints both, with ratios.
 *
 * Workloads: heart pipeline predict_proba on 1M rows (columns / a DataFrame) and one row
 * (median per call), each library fitted on the same 10k training rows; drift on 1M values:
 * histogram on 21 reference edges, 20-bin quantile edges, ks_2samp, wasserstein_distance.
 *
 * Run: npx tsx bench/python-peers.ts [--quick]. Skips (and says so) without python3 + scikit-learn.
 * Writes bench/out/python-peers.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { histogram, ks2samp, quantileEdges, wassersteinDistance } from '../src/drift/index.js';
import { makeHeart, registerFunction } from '../src/index.js';
import { heartPipeline, ratio } from '../test/helpers/heart.js';
import { normal } from './data.js';

const PY = '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const nBatch = quick ? 100_000 : 1_000_000;
const nDrift = 1_000_000;

function hasPython(): string | null {
  try {
    return execFileSync(PY, ['-c', 'import numpy, scipy, sklearn, pandas; print(numpy.__version__, scipy.__version__, sklearn.__version__, pandas.__version__)'], { encoding: 'utf8' }).trim();
  } catch { return null; }
}

const versions = hasPython();
if (!versions) {
  console.log(`skipped: ${PY} with numpy, scipy, scikit-learn and pandas is not available`);
  process.exit(0);
}

// ---- data (same generators as bench/heart-score.ts and bench/drift-kernels.ts)
registerFunction('ratio', ratio);
const heart = (n: number, seed: number) => { const h = makeHeart({ nRows: n, seed }); const { num: _n, ...X } = h.columns; return { X: X as Record<string, Float64Array>, y: h.target }; };
const train = heart(10_000, 1);
const score = heart(nBatch, 2);
const ref = normal(nDrift, 0, 1), cur = normal(nDrift, 0.01, 2);
const edges = quantileEdges(ref.subarray(0, 100_000), 20);

const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-bench-'));
const put = (name: string, a: Float64Array) => writeFileSync(join(dir, `${name}.f64`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const names = Object.keys(train.X);
for (const k of names) { put(`train_${k}`, train.X[k]); put(`score_${k}`, score.X[k]); }
put('train_y', Float64Array.from(train.y as ArrayLike<number>));
put('ref', ref); put('cur', cur); put('edges', edges);

const script = String.raw`
import json, sys, time
import numpy as np, pandas as pd
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
d, names = sys.argv[1], sys.argv[2].split(',')
rd = lambda n: np.fromfile(f"{d}/{n}.f64", dtype="<f8")
def ratio(X): return (X["thalach"] / X["trestbps"]).to_numpy().reshape(-1, 1)
pre = ColumnTransformer([
  ("num", Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]), ["age", "trestbps", "chol", "thalach", "oldpeak"]),
  ("cat", Pipeline([("imputer", SimpleImputer(strategy="constant", fill_value=0)), ("onehot", OneHotEncoder(handle_unknown="ignore"))]), ["cp", "restecg", "ca", "thal", "slope"]),
  ("binary", SimpleImputer(strategy="constant", fill_value=0), ["sex", "fbs", "exang"]),
  ("new", FunctionTransformer(ratio, feature_names_out=lambda t, i: ["ratio"]), ["thalach", "trestbps"])])
clf = Pipeline([("preprocessor", pre), ("classifier", LogisticRegression())])
Xtr = pd.DataFrame({n: rd("train_" + n) for n in names})
clf.fit(Xtr, rd("train_y").astype(int))
Xs = pd.DataFrame({n: rd("score_" + n) for n in names})
def best(f, runs):
  ts = []
  for _ in range(runs):
    t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
  return min(ts) * 1e3
out = {}
out["batch_ms"] = best(lambda: clf.predict_proba(Xs), 3)
one = [Xs.iloc[[i]] for i in range(200)]
per = []
for r in one:
  t = time.perf_counter(); clf.predict_proba(r); per.append(time.perf_counter() - t)
out["row_us"] = float(np.median(per)) * 1e6
ref, cur, edges = rd("ref"), rd("cur"), rd("edges")
out["histogram_ms"] = best(lambda: np.histogram(cur, edges), 5)
out["quantile_ms"] = best(lambda: np.quantile(ref, np.linspace(0, 1, 21)), 5)
out["ks_ms"] = best(lambda: stats.ks_2samp(ref, cur), 3)
out["wasserstein_ms"] = best(lambda: stats.wasserstein_distance(ref, cur), 3)
print(json.dumps(out))
`;

let py: Record<string, number>;
try {
  py = JSON.parse(execFileSync(PY, ['-c', script, dir, names.join(',')], { encoding: 'utf8', maxBuffer: 1 << 24 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- wasmlearn on the same arrays (best of several runs, after a warm-up run)
function best(f: () => unknown, runs: number): number {
  f();
  let m = Infinity;
  for (let i = 0; i < runs; i++) { const t = performance.now(); f(); m = Math.min(m, performance.now() - t); }
  return m;
}
// the ratio declared as an expression, as in `npm run bench` (the same pipeline; the JS-function form is ~1.5x slower in batches)
const clf = heartPipeline(undefined, 'expr').fit(train.X, train.y);
const wl: Record<string, number> = {};
wl.batch_ms = best(() => clf.predictProba(score.X), 7);
const rows = Array.from({ length: 1000 }, (_, i) => Object.fromEntries(names.map((k) => [k, Number.isNaN(score.X[k][i]) ? null : score.X[k][i]])));
for (let i = 0; i < 20_000; i++) clf.predictProbaRow(rows[i % 1000]);
const per: number[] = [];
for (let b = 0; b < 1000; b++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < 100; i++) clf.predictProbaRow(rows[(b * 100 + i) % 1000]);
  per.push(Number(process.hrtime.bigint() - t) / 100 / 1000);
}
per.sort((a, b) => a - b);
wl.row_us = per[per.length >> 1];
wl.histogram_ms = best(() => histogram(cur, edges), 9);
wl.quantile_ms = best(() => quantileEdges(ref, 20), 7);
wl.ks_ms = best(() => ks2samp(ref, cur), 5);
wl.wasserstein_ms = best(() => wassersteinDistance(ref, cur), 5);

const rowsOut = [
  ['heart predict_proba, ' + nBatch.toLocaleString('en') + ' rows (columns / DataFrame)', 'batch_ms', 'ms'],
  ['heart predict_proba, one row (median per call)', 'row_us', 'µs'],
  ['histogram, 1,000,000 values on 21 edges', 'histogram_ms', 'ms'],
  ['quantile edges (20 bins), 1,000,000 values', 'quantile_ms', 'ms'],
  ['ks_2samp, 1,000,000 each', 'ks_ms', 'ms'],
  ['wasserstein_distance, 1,000,000 each', 'wasserstein_ms', 'ms'],
] as const;
const [npv, spv, skv, pdv] = versions.split(' ');
console.log(`\nwasmlearn vs numpy ${npv} / scipy ${spv} / scikit-learn ${skv} (pandas ${pdv}) — ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg()[0].toFixed(1)}${quick ? ' (quick)' : ''}\n`);
console.log('| workload | wasmlearn | Python | Python / wasmlearn |');
console.log('|---|---|---|---|');
for (const [label, key, unit] of rowsOut) {
  console.log(`| ${label} | ${wl[key].toFixed(unit === 'µs' ? 2 : 1)} ${unit} | ${py[key].toFixed(1)} ${unit} | ${(py[key] / wl[key]).toFixed(1)}x |`);
}
mkdirSync(join(process.cwd(), 'bench', 'out'), { recursive: true });
writeFileSync(join(process.cwd(), 'bench', 'out', 'python-peers.json'), JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, python: versions, quick, load: loadavg(), wasmlearn: wl, python_results: py }, null, 1));
