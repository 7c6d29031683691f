/**
 * Optional peer of bench/peers/heart-peers.ts: scikitjs (the JS port of scikit-learn's API on
 * TensorFlow.js), run on the pure-JS tfjs CPU backend (@tensorflow/tfjs-node does not install
 * here). Install with `npm run setup:peers:scikitjs`; when it is missing the peer is skipped.
 *
 * The heart pipeline in scikitjs terms, and what had to change:
 * - scikitjs has no FunctionTransformer: the ratio thalach/trestbps is computed in JS as an
 *   extra input column and passed through an identity step (SimpleImputer constant, no NaN).
 * - Its ColumnTransformer cannot select columns by index from a Tensor2D under tfjs 4 (it
 *   builds float32 indices for `gather`, which tfjs 4 rejects), so it is given a minimal
 *   danfo-style frame: `loc({ columns }).tensor` builds a float32 Tensor2D from the columns.
 * - Its Pipeline has no predictProba: the preprocessing runs with `transformExceptLast` and the
 *   LogisticRegression's `predictProba` follows. Its class columns follow the order in which
 *   labels were first seen in y, so the class-1 column is looked up.
 * - Its LogisticRegression is a tfjs-layers dense layer (2 softmax units) trained by Adam
 *   (lr 0.1, batch 32, up to 1000 epochs, early stopping after 50 epochs without loss
 *   improvement) on a sigmoid cross-entropy of the softmax outputs, with an L2 penalty of C
 *   (not 1/C) times |w|²: not the same model as scikit-learn's, and not deterministic (Adam
 *   on shuffled batches, unseeded). Its probabilities are therefore not expected to agree.
 * All data goes through float32 tensors. Each scoring call runs in `tf.tidy` and reads the
 * probabilities back (dataSync), so tensors do not pile up.
 */
import { createRequire } from 'node:module';
import { head, latency, medianMs, pkgVersion } from './common.js';

const require = createRequire(import.meta.url);

type Cols = Record<string, Float64Array>;
type Row = Record<string, number | string | null>;
export type PeerResult = {
  name: string; skipped?: string;
  single?: { medianUs: number; p99Us: number; calls: number };
  batch?: Record<number, { ms: number; mRowsPerS: number }>;
  fit?: Record<string, number>;
  /** Why a workload was not measured. */
  skippedWorkloads?: Record<string, string>;
  versions?: Record<string, string>;
  notes?: string[];
};

const NUM = ['age', 'trestbps', 'chol', 'thalach', 'oldpeak'];
const CAT = ['cp', 'restecg', 'ca', 'thal', 'slope'];
const BIN = ['sex', 'fbs', 'exang'];

/* eslint-disable @typescript-eslint/no-explicit-any */
/** scikitjs with @tensorflow/tfjs as its backend, or null with the reason. */
export function loadScikitjs(): { sk: any; tf: any; versions: Record<string, string> } | { sk: null; reason: string } {
  let sk: any, tf: any;
  try {
    sk = require('scikitjs');
    tf = require('@tensorflow/tfjs');
  } catch (e) {
    return { sk: null, reason: `scikitjs / @tensorflow/tfjs are not installed (run \`npm run setup:peers:scikitjs\`): ${(e as Error).message.split('\n')[0]}` };
  }
  sk.setBackend(tf);
  return { sk, tf, versions: { scikitjs: pkgVersion('scikitjs') ?? '?', tfjs: tf.version?.tfjs ?? pkgVersion('@tensorflow/tfjs') ?? '?' } };
}

/** A danfo-style frame over the columns plus `ratio`, enough for scikitjs's ColumnTransformer. */
function frame(tf: any, X: Cols | Row) {
  const cols: Record<string, ArrayLike<number>> = {};
  for (const [k, v] of Object.entries(X)) cols[k] = typeof v === 'object' && v !== null ? (v as Float64Array) : [v === null ? NaN : Number(v)];
  const n = cols.thalach.length;
  const ratio = new Float64Array(n);
  for (let i = 0; i < n; i++) ratio[i] = cols.thalach[i] / cols.trestbps[i];
  cols.ratio = ratio;
  const loc = ({ columns }: { columns: string[] }) => {
    const k = columns.length, a = new Float32Array(n * k);
    columns.forEach((c, j) => { const v = cols[c]; for (let i = 0; i < n; i++) a[i * k + j] = v[i]; });
    return { tensor: tf.tensor2d(a, [n, k]) };
  };
  const unsupported = () => { throw new Error('not supported by this frame'); };
  return { columns: Object.keys(cols), loc, iloc: unsupported, applyMap: unsupported };
}

function pipeline(sk: any) {
  const pre = new sk.ColumnTransformer({
    transformers: [
      ['num', new sk.Pipeline({ steps: [['imputer', new sk.SimpleImputer({ strategy: 'median' })], ['scaler', new sk.StandardScaler()]] }), NUM],
      ['cat', new sk.Pipeline({ steps: [['imputer', new sk.SimpleImputer({ strategy: 'constant', fillValue: 0 })], ['onehot', new sk.OneHotEncoder({ handleUnknown: 'ignore' })]] }), CAT],
      ['binary', new sk.SimpleImputer({ strategy: 'constant', fillValue: 0 }), BIN],
      ['new', new sk.SimpleImputer({ strategy: 'constant', fillValue: 0 }), ['ratio']],
    ],
  });
  return new sk.Pipeline({ steps: [['preprocessor', pre], ['classifier', new sk.LogisticRegression()]] });
}

async function fit(sk: any, tf: any, t: { X: Cols; y: Float64Array }) {
  const p = pipeline(sk);
  await p.fit(frame(tf, t.X), tf.tensor1d(Float32Array.from(t.y)));
  return p;
}

/** P(class 1) per row (Float32Array), preprocessing + LogisticRegression, tensors released. */
function proba(tf: any, p: any, X: Cols | Row): Float32Array {
  const lr = p.getLastEstimator();
  const k = lr.oneHot.categories[0].length;
  const c1 = lr.oneHot.categories[0].indexOf(1);
  return tf.tidy(() => {
    const out = lr.predictProba(p.transformExceptLast(frame(tf, X)));
    return k === 2 ? out.slice([0, c1], [-1, 1]).dataSync() : out.dataSync();
  });
}

export interface ScikitjsJob {
  train: { X: Cols; y: Float64Array };
  score: { X: Cols };
  /** Feature columns for the fit sizes other than train's (same generator as the other peers). */
  fitData: (n: number) => { X: Cols; y: Float64Array };
  rows: Row[];
  batches: number[];
  fitSizes: number[];
  singleCalls: number;
  minMs: number;
  /** wasmlearn's predictProba on the first 1000 scored rows (2 columns per row). */
  want1000: ArrayLike<number>;
  /** Fits longer than this (ms, measured on the first fit size) make larger fit sizes skipped. */
  fitBudgetMs?: number;
  log?: (s: string) => void;
}

/** Times scikitjs on the heart workloads; agreement = max |Δp| vs wasmlearn on the first 1000 rows. */
export async function benchScikitjs(job: ScikitjsJob): Promise<{ backend: PeerResult; agreement?: number }> {
  const name = 'scikitjs';
  const loaded = loadScikitjs();
  if ('reason' in loaded) return { backend: { name, skipped: loaded.reason } };
  const { sk, tf, versions } = loaded;
  job.log?.(`${name} ...`);
  try {
    await tf.setBackend('cpu');
    await tf.ready();
  } catch (e) {
    return { backend: { name, skipped: `tfjs CPU backend did not start: ${(e as Error).message}` } };
  }
  versions.tfjsBackend = tf.getBackend();
  const b: PeerResult = { name, batch: {}, fit: {}, skippedWorkloads: {}, versions };
  // fit: one timed fit per size (each takes seconds: tfjs mini-batch training), largest sizes skipped past the budget
  let model: any = null;
  const budget = job.fitBudgetMs ?? 60_000;
  let lastMs = 0, lastN = 0;
  for (const n of job.fitSizes) {
    if (lastMs && (lastMs * n) / lastN > budget) {
      b.skippedWorkloads![`fit ${n}`] = `fit ${lastN} rows took ${(lastMs / 1000).toFixed(1)} s; ${n} rows would take about ${((lastMs * n) / lastN / 1000).toFixed(0)} s (> ${budget / 1000} s budget)`;
      continue;
    }
    const t = n === job.train.X.age.length ? job.train : job.fitData(n);
    const t0 = performance.now();
    let p: any;
    try {
      p = await fit(sk, tf, t);
    } catch (e) {
      return { backend: { name, skipped: `fit failed: ${(e as Error).message.split('\n')[0]}` } };
    }
    lastMs = performance.now() - t0; lastN = n;
    b.fit![n] = lastMs;
    if (t === job.train) model = p;
  }
  model ??= await fit(sk, tf, job.train);
  b.single = await latency((i) => proba(tf, model, job.rows[i % job.rows.length]), job.singleCalls);
  for (const n of job.batches) {
    const X = head(job.score.X, n);
    try {
      const ms = await medianMs(() => proba(tf, model, X), job.minMs, 5);
      b.batch![n] = { ms, mRowsPerS: n / ms / 1000 };
    } catch (e) {
      b.skippedWorkloads![`batch ${n}`] = `failed: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  const p1 = proba(tf, model, head(job.score.X, 1000));
  let d = 0;
  for (let i = 0; i < p1.length; i++) d = Math.max(d, Math.abs(job.want1000[2 * i + 1] - p1[i]));
  if (!Object.keys(b.skippedWorkloads!).length) delete b.skippedWorkloads;
  b.notes = [`scikitjs ${versions.scikitjs} on @tensorflow/tfjs ${versions.tfjs} (${versions.tfjsBackend} backend), float32 tensors; single row = a 1-row frame built from the row object, then ` +
    "the pipeline's transformExceptLast + predictProba; " +
    'fit = one timed run per size (tfjs mini-batch Adam with early stopping), not a median, and it varies between runs with the number of epochs; its LogisticRegression is not the same model as ' +
    "scikit-learn's or wasmlearn's (softmax layer, sigmoid cross-entropy, L2 weight C, see bench/peers/scikitjs.ts), so its probabilities are not expected to agree."];
  return { backend: b, agreement: d };
}
