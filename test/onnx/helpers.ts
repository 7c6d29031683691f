/** Shared pieces of the ONNX tests and the peer benchmarks: optional onnxruntime, feeds from columns. */
import { createRequire } from 'node:module';
import {
  ColumnTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, type Category,
} from '../../src/index.js';

const require = createRequire(import.meta.url);

/** The part of the onnxruntime JS API used here (onnxruntime-node and onnxruntime-web share it); typed locally so the package is optional. */
export interface OrtTensor { data: ArrayLike<number | bigint | string>; dims: readonly number[]; type: string }
export interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface Ort {
  Tensor: new (type: 'float32' | 'string', data: Float32Array | string[], dims: number[]) => unknown;
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  env: Record<string, unknown> & { wasm?: Record<string, unknown> };
}

/** onnxruntime-node when installed (`npm run setup:peers`), else null with the reason. */
export function loadOrtNode(): { ort: Ort | null; reason: string } {
  try {
    return { ort: require('onnxruntime-node') as Ort, reason: '' };
  } catch (e) {
    return { ort: null, reason: `onnxruntime-node is not installed (run \`npm run setup:peers\`): ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Input tensors for an ONNX model exported by toONNX: numeric columns float32 [N,1] (NaN = missing), string columns [N,1] ("" = missing). */
export function feedsFor(
  ort: Pick<Ort, 'Tensor'>,
  inputNames: readonly string[],
  stringInputs: ReadonlySet<string>,
  columns: Record<string, ArrayLike<Category | null>>,
  start = 0, end?: number,
): Record<string, unknown> {
  const feeds: Record<string, unknown> = {};
  for (const name of inputNames) {
    const col = columns[name];
    const stop = end ?? col.length;
    const n = stop - start;
    if (stringInputs.has(name)) {
      const s = new Array<string>(n);
      for (let i = 0; i < n; i++) { const v = col[start + i]; s[i] = v === null || v === undefined ? '' : String(v); }
      feeds[name] = new ort.Tensor('string', s, [n, 1]);
    } else {
      const f = new Float32Array(n);
      for (let i = 0; i < n; i++) { const v = col[start + i]; f[i] = v === null || v === undefined ? NaN : (v as number); }
      feeds[name] = new ort.Tensor('float32', f, [n, 1]);
    }
  }
  return feeds;
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A multiclass dataset with string categories (some missing, some unseen at test time) and numeric columns with NaN. */
export function multiclassData(n: number, seed: number, unseen = false) {
  const r = rng(seed);
  const colors = ['red', 'green', 'blue', 'black'];
  const sizes = ['S', 'M', 'L'];
  const shapes = ['round', 'square'];
  const X: { x1: number[]; x2: number[]; color: (string | null)[]; size: (string | null)[]; shape: string[] } = { x1: [], x2: [], color: [], size: [], shape: [] };
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = r() * 10 - 5, x2 = r() * 3;
    const ci = Math.floor(r() * colors.length), si = Math.floor(r() * sizes.length);
    X.x1.push(r() < 0.05 ? NaN : x1);
    X.x2.push(r() < 0.05 ? NaN : x2);
    X.color.push(r() < 0.05 ? null : unseen && r() < 0.1 ? 'purple' : colors[ci]);
    X.size.push(r() < 0.05 ? null : sizes[si]);
    X.shape.push(shapes[Math.floor(r() * 2)]);
    const score = [x1 + ci * 0.8, x2 * 2 - si, 1.5 - 0.3 * x1 + (ci === 2 ? 1 : 0)];
    const noise = score.map((s) => s + (r() - 0.5) * 2);
    const best = noise.indexOf(Math.max(...noise));
    y.push(['alpha', 'beta', 'gamma'][best]);
  }
  return { X, y };
}

/** Multiclass pipeline over string and numeric columns: missing strings imputed or kept as their own category, a dropped category. */
export function multiclassPipeline(): Pipeline {
  return new Pipeline([
    ['pre', new ColumnTransformer([
      ['num', new Pipeline([['imp', new SimpleImputer({ strategy: 'mean' })], ['sc', new StandardScaler()]]), ['x1', 'x2']],
      ['cat', new Pipeline([['imp', new SimpleImputer({ strategy: 'most_frequent' })], ['oh', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['color']],
      ['raw', new OneHotEncoder({ handleUnknown: 'ignore' }), ['size']],
      ['shape', new OneHotEncoder({ drop: 'first' }), ['shape']],
    ])],
    ['lr', new LogisticRegression({ C: 0.5 })],
  ]);
}
