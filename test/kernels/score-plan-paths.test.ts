/**
 * The fused scoring kernel's fast paths: numeric terms without per-value NaN tests (rows
 * with a missing value are scored again carefully), categorical compare chains one or two
 * terms per pass, and the column-object path that skips building a frame. Each is checked
 * against the plain-TypeScript reference kernels (bit for bit), the step-by-step
 * transform (to 1e-15) and the single-row path.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  ColumnTransformer, Frame, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, setBackend,
} from '../../src/index.js';
import { heartData, heartPipeline, maxAbsDiff, toRows } from '../helpers/heart.js';
import { expectError } from '../helpers/errors.js';

const train = heartData(800, 11);
const test = heartData(1100, 12);

function withBackend<T>(backend: 'wasm' | 'reference', f: () => T): T {
  setBackend(backend);
  try { return f(); } finally { setBackend('wasm'); }
}

/** WASM == reference bit for bit, fused == step by step to 1e-15, row path == batch. */
function agree(m: Pipeline, X: Record<string, Float64Array>) {
  const w = m.decisionFunction(X).data, p = m.predictProba(X).data;
  expect(Array.from(withBackend('reference', () => m.decisionFunction(X).data))).toEqual(Array.from(w));
  expect(Array.from(withBackend('reference', () => m.predictProba(X).data))).toEqual(Array.from(p));
  const steps = m.params.steps;
  const pre = steps[0][1] as ColumnTransformer, lr = steps[steps.length - 1][1] as LogisticRegression;
  expect(maxAbsDiff(p, lr.predictProba(pre.transformFrame(X)).data)).toBeLessThanOrEqual(1e-15);
  const rows = toRows(X);
  for (let i = 0; i < rows.length; i += 37) expect(Array.from(m.predictProbaRow(rows[i]))).toEqual(Array.from(p.subarray(2 * i, 2 * i + 2)));
  for (let i = 0; i < p.length; i++) expect(Number.isFinite(p[i])).toBe(true);
}

const withNaN = (v: Float64Array, every: number, offset = 0) => v.map((x, i) => (i % every === offset ? NaN : x));

describe('numeric terms: rows with missing values are scored again carefully', () => {
  const m = heartPipeline(undefined, 'expr').fit(train.X, train.y);

  it('a few missing values per 256-row block (rows redone one by one)', () => {
    agree(m, { ...test.X, age: withNaN(test.X.age, 97), chol: withNaN(test.X.chol, 301, 5), sex: withNaN(test.X.sex, 400, 7) });
  });

  it('many missing values (whole blocks redone), odd row counts', () => {
    for (const n of [1, 2, 3, 257, 1100]) {
      const X = Object.fromEntries(Object.entries(test.X).map(([k, v]) => [k, v.subarray(0, n)]));
      agree(m, { ...X, age: withNaN(X.age, 2), oldpeak: withNaN(X.oldpeak, 3, 1), chol: withNaN(X.chol, 5, 2), exang: withNaN(X.exang, 7, 3) });
    }
  });

  it('the declared ratio has no imputer: a missing or zero divisor is an error at its row', () => {
    for (const backend of ['wasm', 'reference'] as const) {
      withBackend(backend, () => {
        const trestbps = test.X.trestbps.slice();
        trestbps[300] = NaN;
        expectError(() => m.predictProba({ ...test.X, trestbps }), 'MISSING_VALUE', /column "ratio" at row 300\b/);
        trestbps[300] = 0;
        expectError(() => m.predictProba({ ...test.X, trestbps }), 'NON_FINITE', /column "ratio" at row 300\b/);
      });
    }
  });

  it('an infinite value after missing ones is reported at its own row', () => {
    const age = withNaN(test.X.age, 2);
    age[301] = Infinity;
    for (const backend of ['wasm', 'reference'] as const) {
      withBackend(backend, () => expectError(() => m.predictProba({ ...test.X, age }), 'NON_FINITE', /Infinity in column "age" at row 301\b/));
    }
  });

  it('without an imputer a missing value is still an error naming its row', () => {
    const s = new Pipeline([['pre', new ColumnTransformer([['n', new StandardScaler(), ['age', 'chol', 'thalach', 'oldpeak', 'trestbps']]])], ['lr', new LogisticRegression()]]).fit(train.X, train.y);
    const chol = test.X.chol.slice();
    chol[700] = NaN;
    chol[900] = NaN;
    for (const backend of ['wasm', 'reference'] as const) {
      withBackend(backend, () => expectError(() => s.predictProba({ ...test.X, chol }), 'MISSING_VALUE', /column "chol" at row 700\b/));
    }
  });
});

describe('categorical compare chains', () => {
  it('two and eight categories, one or two terms per pass, NaN and unknown values', () => {
    const cat = (v: Float64Array, m: number) => v.map((x, i) => (i % 23 === 0 ? NaN : Math.floor(Math.abs(x * 7.3)) % m));
    const X = { ...train.X, a: cat(train.X.chol, 8), b: cat(train.X.age, 2), c: cat(train.X.thalach, 6), d: cat(train.X.trestbps, 3) };
    // a, b: one pass (8 + 2 categories); c, d: the next pass (6 + 3); the lone term below
    for (const cols of [['a', 'b', 'c', 'd'], ['a', 'b', 'c'], ['c']]) {
      const m = new Pipeline([['pre', new ColumnTransformer([
        ['n', new Pipeline([['i', new SimpleImputer({ strategy: 'median' })], ['s', new StandardScaler()]]), ['age', 'oldpeak']],
        ['c', new OneHotEncoder({ handleUnknown: 'ignore' }), cols],
      ])], ['lr', new LogisticRegression()]]).fit(X, train.y);
      // unknown values: 9 and 2.5 (never seen), NaN (seen in training, so a category of its own)
      const T = { ...test.X, a: cat(test.X.chol, 10), b: cat(test.X.age, 2).map((x, i) => (i % 31 === 0 ? 2.5 : x)), c: cat(test.X.thalach, 7), d: cat(test.X.trestbps, 3) };
      agree(m, T);
    }
  });
});

describe('column objects of Float64Arrays skip the frame', () => {
  const m = heartPipeline(undefined, 'expr').fit(train.X, train.y);
  const frame = Frame.from(test.X);

  it('same results as through a frame; other column types take the general path', () => {
    const viaFrame = Array.from(m.predictProba(frame).data);
    const spy = vi.spyOn(Frame, 'from');
    try {
      expect(Array.from(m.predictProba(test.X).data)).toEqual(viaFrame);
      expect(spy).not.toHaveBeenCalled();
    } finally { spy.mockRestore(); }
    expect(Array.from(m.predictProba({ ...test.X, note: Array.from(test.X.age, (_, i) => `r${i}`) }).data)).toEqual(viaFrame);
    expect(Array.from(m.predictProba({ ...test.X, age: Array.from(test.X.age) }).data)).toEqual(viaFrame);
    expect(Array.from(m.predictProba({ ...test.X, extra: new Float64Array(test.X.age.length) }).data)).toEqual(viaFrame);
    const out = new Float64Array(viaFrame.length);
    m.predictProba(test.X, { out });
    expect(Array.from(out)).toEqual(viaFrame);
    expect(Array.from(m.decisionFunction(test.X).data)).toEqual(Array.from(m.decisionFunction(frame).data));
  });

  it('errors as through a frame', () => {
    const { age: _age, ...noAge } = test.X;
    expectError(() => m.predictProba(noAge), 'MISSING_COLUMN', /age/);
    expectError(() => m.predictProba({ ...test.X, extra: new Float64Array(3) }), 'LENGTH_MISMATCH', /extra/);
    expectError(() => m.predictProba({ ...test.X, chol: test.X.chol.subarray(1) }), 'LENGTH_MISMATCH', /chol/);
    expectError(() => m.predictProba(test.X, { out: new Float64Array(5) }), 'LENGTH_MISMATCH', /out/);
    const shared = new Float64Array(3 * test.X.age.length);
    shared.set(test.X.age);
    const age = shared.subarray(0, test.X.age.length);
    expectError(() => m.predictProba({ ...test.X, age }, { out: shared.subarray(age.length) }), 'INVALID_INPUT', /shares memory/);
  });
});
