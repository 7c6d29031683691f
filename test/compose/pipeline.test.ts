import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ColumnTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, WasmlearnError,
  loadModel, saveModel, setBackend, type Category,
} from '../../src/index.js';
import { heartData, heartPipeline, maxAbsDiff, ratio, toRows } from '../helpers/heart.js';

const train = heartData(600, 3);
const test = heartData(300, 4);
const clf = heartPipeline().fit(train.X, train.y);
const pre = clf.namedSteps.preprocessor as ColumnTransformer;
const lr = clf.namedSteps.classifier as LogisticRegression;

describe('heart pipeline', () => {
  it('compiles into a fused scoring plan', () => {
    expect(clf.isCompiled).toBe(true);
  });
  it('feature names follow scikit-learn (num__age, cat__cp_1.0, new__ratio)', () => {
    const names = clf.slice(0, -1).getFeatureNamesOut();
    expect(names.slice(0, 6)).toEqual(['num__age', 'num__trestbps', 'num__chol', 'num__thalach', 'num__oldpeak', 'cat__cp_1.0']);
    expect(names.at(-1)).toBe('new__ratio');
    expect(names).toContain('binary__sex');
    expect(lr.nFeaturesIn_).toBe(names.length);
  });
  it('fused plan equals step-by-step scoring (1e-15 absolute on probabilities, 1e-12 on decision values)', () => {
    const fused = clf.predictProba(test.X);
    const stepwise = lr.predictProba(pre.transformFrame(test.X));
    expect(fused.rows).toBe(300);
    expect(fused.cols).toBe(2);
    expect(maxAbsDiff(fused.data, stepwise.data)).toBeLessThanOrEqual(1e-15);
    expect(maxAbsDiff(clf.decisionFunction(test.X).data, lr.decisionFunction(pre.transformFrame(test.X)).data)).toBeLessThanOrEqual(1e-12);
    expect(clf.predict(test.X)).toEqual(lr.predict(pre.transformFrame(test.X)));
  });
  it('WASM kernels equal the plain-TS reference (decision values exact, probabilities 1e-15)', () => {
    const dW = clf.decisionFunction(test.X).data, pW = clf.predictProba(test.X).data;
    const viaRef = heartPipeline();
    setBackend('reference');
    try {
      const again = loadModel(clf.toJSON(), { functions: { ratio } });
      expect(Array.from(again.decisionFunction(test.X).data)).toEqual(Array.from(dW));
      expect(maxAbsDiff(again.predictProba(test.X).data, pW)).toBeLessThanOrEqual(1e-15);
      viaRef.fit(train.X, train.y);
    } finally { setBackend('wasm'); }
    // fitting with the reference kernels reaches the same coefficients (1e-10)
    expect(maxAbsDiff((viaRef.namedSteps.classifier as LogisticRegression).coef_.data, lr.coef_.data)).toBeLessThanOrEqual(1e-10);
  });
  it('writes into a caller-provided out array (fused plan, step-by-step and a lone classifier) and checks it', () => {
    const want = clf.predictProba(test.X).data, wantZ = clf.decisionFunction(test.X).data;
    const out = new Float64Array(300 * 2), outZ = new Float64Array(300);
    for (let rep = 0; rep < 2; rep++) {
      const m = clf.predictProba(test.X, { out });
      expect(m.data).toBe(out);
      expect([m.rows, m.cols]).toEqual([300, 2]);
      expect(Array.from(out)).toEqual(Array.from(want));
      expect(clf.decisionFunction(test.X, { out: outZ }).data).toBe(outZ);
      expect(Array.from(outZ)).toEqual(Array.from(wantZ));
    }
    const Xt = pre.transformFrame(test.X);
    const viaLr = lr.predictProba(Xt, { out: new Float64Array(600) });
    expect(maxAbsDiff(viaLr.data, want)).toBeLessThanOrEqual(1e-15);
    const code = (f: () => unknown) => { try { f(); } catch (e) { return [(e as WasmlearnError).code, (e as WasmlearnError).details.field]; } throw new Error('did not throw'); };
    expect(code(() => clf.predictProba(test.X, { out: new Float64Array(599) }))).toEqual(['LENGTH_MISMATCH', 'out']);
    expect(code(() => clf.predictProba(test.X, { out: [] as unknown as Float64Array }))).toEqual(['INVALID_INPUT', 'out']);
    expect(code(() => lr.decisionFunction(Xt, { out: new Float64Array(3) }))).toEqual(['LENGTH_MISMATCH', 'out']);
    const shared = new Float64Array(300 * 3);
    const X = { ...test.X, age: shared.subarray(0, 300) };
    expect(code(() => clf.predictProba(X, { out: shared.subarray(300) }))).toEqual(['INVALID_INPUT', 'out']);
  });
  it('single-row path equals the batch row, bit for bit', () => {
    const rows = toRows(test.X);
    const batch = clf.predictProba(rows);
    for (const i of [0, 7, 150, 299]) {
      expect(Array.from(clf.predictProbaRow(rows[i]))).toEqual(Array.from(batch.row(i)));
      expect(clf.predictRow(rows[i])).toBe(clf.predict([rows[i]])[0]);
    }
  });
  it('row objects, column objects and the split form give the same result', () => {
    const rows = toRows(test.X);
    const names = Object.keys(test.X);
    const split = { columns: names, data: rows.map((r) => names.map((n) => r[n])) };
    const a = clf.predictProba(test.X).data;
    expect(Array.from(clf.predictProba(rows).data)).toEqual(Array.from(a));
    expect(Array.from(clf.predictProba(split).data)).toEqual(Array.from(a));
  });
  it('toJSON / loadModel round trip is exact, and saveModel documents carry the signature', () => {
    const doc = saveModel(clf);
    expect(doc.format).toBe('wasmlearn.model');
    expect(doc.signature!.inputs.map((c) => c.name)).toEqual(Object.keys(train.X));
    const again = loadModel(JSON.stringify(doc), { functions: { ratio } });
    expect(Array.from(again.predictProba(test.X).data)).toEqual(Array.from(clf.predictProba(test.X).data));
    expect(again.signature_).toEqual(clf.signature_);
    expect(again.classes_).toEqual([0, 1]);
  });
  it('a saved FunctionTransformer must be bound at load time (NOT_REGISTERED names the function)', () => {
    try { loadModel(clf.toJSON(), { functions: {} }); throw new Error('did not throw'); } catch (e) {
      expect((e as WasmlearnError).code).toBe('NOT_REGISTERED');
      expect((e as WasmlearnError).message).toContain('FunctionTransformer function "ratio"');
      expect((e as WasmlearnError).message).toContain("registerFunction(\"ratio\", fn)");
    }
  });
  it('scores with the learned model: validation accuracy well above chance', () => {
    const pred = clf.predict(test.X);
    const acc = pred.filter((p, i) => p === test.y[i]).length / pred.length;
    expect(acc).toBeGreaterThan(0.8);
  });
  it('memory stays bounded over 100,000 single-row calls and 1,000 batch calls', async () => {
    const { runtime } = await import('../../src/wasm/runtime.js');
    const rows = toRows(test.X);
    clf.predictProbaRow(rows[0]);
    clf.predictProba(test.X);
    const heap = runtime().heap;
    const before = { inUse: heap.bytesInUse, reserved: heap.bytesReserved };
    for (let i = 0; i < 100_000; i++) clf.predictProbaRow(rows[i % rows.length]);
    for (let i = 0; i < 1000; i++) clf.predictProba(test.X);
    expect(heap.bytesInUse).toBe(before.inUse);
    expect(heap.bytesReserved).toBe(before.reserved);
  });
  it('dispose() frees the plan memory; the pipeline recompiles on demand', async () => {
    const { runtime } = await import('../../src/wasm/runtime.js');
    const heap = runtime().heap;
    const p = loadModel(clf.toJSON(), { functions: { ratio } });
    const base = heap.bytesInUse;
    p.predictProba(test.X);
    expect(heap.bytesInUse).toBeGreaterThan(base);
    p.dispose();
    expect(heap.bytesInUse).toBe(base);
    expect(Array.from(p.predictProba(test.X).data)).toEqual(Array.from(clf.predictProba(test.X).data));
    p.dispose();
  });
});

describe('multiclass with string categories and labels', () => {
  const colors = ['red', 'green', 'blue', 'vert', 'é'];
  const n = 400;
  const X = {
    x: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3),
    color: Array.from({ length: n }, (_, i) => colors[(i * 7) % 5]),
    size: Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : (i * 13) % 4)),
  };
  const y = Array.from({ length: n }, (_, i) => ['cat', 'dog', 'bird'][(Math.sin(i) * 3 > 1 ? 1 : 0) + (i * 7) % 5 === 0 ? 2 : (Math.sin(i) > 0 ? 1 : 0)]);
  const model = new Pipeline([
    ['pre', new ColumnTransformer([
      ['num', new StandardScaler(), ['x']],
      ['cat', new Pipeline([['imp', new SimpleImputer({ strategy: 'most_frequent' })], ['oh', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['color', 'size']],
    ])],
    ['lr', new LogisticRegression({ C: 0.5 })],
  ]).fit(X, y);

  it('learns sorted string classes and softmax probabilities summing to 1 (1e-12)', () => {
    expect(model.classes_).toEqual(['bird', 'cat', 'dog']);
    const p = model.predictProba(X);
    expect(p.cols).toBe(3);
    for (let i = 0; i < p.rows; i++) expect(Math.abs(p.row(i).reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12);
  });
  it('unknown categories at predict time score as all-zero one-hot (fused == step-by-step, 1e-15)', () => {
    const Xt = { x: [0.5, -1, 2], color: ['purple', 'red', null], size: [9, 1, null] };
    const fused = model.predictProba(Xt).data;
    const lrStep = model.namedSteps.lr as LogisticRegression;
    const stepwise = lrStep.predictProba((model.namedSteps.pre as ColumnTransformer).transformFrame(Xt)).data;
    expect(maxAbsDiff(fused, stepwise)).toBeLessThanOrEqual(1e-15);
    expect(model.predict(Xt)).toHaveLength(3);
  });
  it("handleUnknown: 'error' throws UNKNOWN_CATEGORY naming column, row and value", () => {
    const strict = new Pipeline([['oh', new OneHotEncoder()], ['lr', new LogisticRegression()]]).fit({ color: X.color }, y);
    try { strict.predictProba({ color: ['red', 'purple'] }); throw new Error('did not throw'); } catch (e) {
      expect((e as WasmlearnError).code).toBe('UNKNOWN_CATEGORY');
      expect((e as WasmlearnError).message).toBe(`Found unknown category "purple" in column "color" at row 1 during transform. Use handleUnknown: 'ignore' to encode unknown categories as all zeros.`);
    }
  });
});

describe('properties (fast-check)', () => {
  const rows = toRows(test.X);
  it('column order in the input does not matter', () => {
    fc.assert(fc.property(fc.shuffledSubarray(Object.keys(test.X), { minLength: Object.keys(test.X).length }), (order) => {
      const shuffled = Object.fromEntries(order.map((k) => [k, test.X[k]]));
      expect(Array.from(clf.predictProba(shuffled).data)).toEqual(Array.from(clf.predictProba(test.X).data));
    }), { numRuns: 20 });
  });
  it('a one-row batch equals the matching row of the big batch, and probabilities lie in [0, 1] summing to 1 (1e-12)', () => {
    const all = clf.predictProba(rows);
    fc.assert(fc.property(fc.integer({ min: 0, max: rows.length - 1 }), (i) => {
      const one = clf.predictProba([rows[i]]);
      expect(Array.from(one.data)).toEqual(Array.from(all.row(i)));
      expect(one.data.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(Math.abs(one.data[0] + one.data[1] - 1)).toBeLessThanOrEqual(1e-12);
    }), { numRuns: 50 });
  });
  it('any finite or missing numeric values score without throwing or producing NaN (imputed pipeline)', () => {
    const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(null), fc.constant(NaN));
    fc.assert(fc.property(fc.record({ age: value, trestbps: fc.double({ min: 50, max: 250, noNaN: true }), chol: value, thalach: fc.double({ min: 50, max: 250, noNaN: true }), oldpeak: value, cp: fc.integer({ min: 0, max: 6 }), restecg: value, ca: value, thal: value, slope: value, sex: value, fbs: value, exang: value }), (r) => {
      const p = clf.predictProbaRow(r as Record<string, number | null>);
      expect(Number.isFinite(p[0]) && Number.isFinite(p[1])).toBe(true);
    }), { numRuns: 200 });
  });
  it('round trip through JSON text is exact for random small pipelines', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom<'mean' | 'median' | 'most_frequent'>('mean', 'median', 'most_frequent'), fc.double({ min: 0.01, max: 100, noNaN: true }), (seed, strategy, C) => {
      const d = heartData(120, seed);
      const p = new Pipeline([['pre', new ColumnTransformer([
        ['n', new Pipeline([['i', new SimpleImputer({ strategy })], ['s', new StandardScaler()]]), ['age', 'chol']],
        ['c', new Pipeline([['i', new SimpleImputer({ strategy: 'most_frequent' })], ['o', new OneHotEncoder({ handleUnknown: 'ignore', drop: 'if_binary' })]]), ['ca', 'sex']],
      ], { remainder: 'drop' })], ['lr', new LogisticRegression({ C })]]).fit(d.X, d.y);
      const again = loadModel(JSON.stringify(p.toJSON()));
      expect(Array.from(again.predictProba(test.X).data)).toEqual(Array.from(p.predictProba(test.X).data));
    }), { numRuns: 15 });
  });
});

describe('labels', () => {
  it('predict returns the original labels (numbers or strings)', () => {
    const y: Category[] = Array.from(train.y, (v) => (v ? 'yes' : 'no'));
    const m = heartPipeline().fit(train.X, y);
    expect(m.classes_).toEqual(['no', 'yes']);
    expect(new Set(m.predict(test.X))).toEqual(new Set(['no', 'yes']));
  });
});
