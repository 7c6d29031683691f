import { describe, expect, it } from 'vitest';
import { ColumnTransformer, FunctionTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, setBackend, loadModel } from '../../src/index.js';
import { heartData, heartPipeline, maxAbsDiff, ratio, toRows } from '../helpers/heart.js';

const train = heartData(600, 3);
const test = heartData(301, 4);
const clf = heartPipeline().fit(train.X, train.y);
const pre = clf.namedSteps.preprocessor as ColumnTransformer;
const lr = clf.namedSteps.classifier as LogisticRegression;

describe('edge cases of the fast paths', () => {
  it('odd batch sizes: fused == stepwise, row == batch bitwise', () => {
    for (const n of [1, 2, 3, 255, 256, 257, 301]) {
      const X = Object.fromEntries(Object.entries(test.X).map(([k, v]) => [k, v.subarray(0, n)]));
      const fused = clf.predictProba(X).data, step = lr.predictProba(pre.transformFrame(X)).data;
      expect(maxAbsDiff(fused, step)).toBeLessThanOrEqual(1e-15);
      const rows = toRows(X);
      expect(Array.from(clf.predictProba(rows).data)).toEqual(Array.from(fused));
      for (let i = 0; i < n; i += 17) expect(Array.from(clf.predictProbaRow(rows[i]))).toEqual(Array.from(fused.subarray(2 * i, 2 * i + 2)));
    }
  });
  it('rows with booleans, strings, missing keys fall back with the same results/errors', () => {
    const rows = toRows(test.X).slice(0, 20);
    const base = clf.predictProba(rows).data;
    const withBool = rows.map((r, i) => (i === 3 ? { ...r, sex: r.sex === 1 } : r));
    expect(Array.from(clf.predictProba(withBool as never).data)).toEqual(Array.from(base));
    const withNull = rows.map((r, i) => (i === 5 ? { ...r, age: null } : r));
    const p = clf.predictProba(withNull).data;
    expect(Number.isFinite(p[10])).toBe(true);
    const { age: _a, ...noAge } = rows[2];
    const missingKey = rows.map((r, i) => (i === 2 ? noAge : r));
    expect(Array.from(clf.predictProba(missingKey as never).data)).toEqual(Array.from(clf.predictProba(withNull.map((r, i) => (i === 2 ? { ...r, age: null } : i === 5 ? rows[5] : r))).data));
    expect(() => clf.predictProba(rows.map((r, i) => (i === 4 ? { ...r, chol: 'x' } : r)))).toThrow(/chol/);
    const noAgeAll = rows.map(({ age: _x, ...r }) => r);
    expect(() => clf.predictProba(noAgeAll as never)).toThrow(/age/);
  });
  it('FunctionTransformer outputs: plain array, object, matrix, throwing; row path with null/string', () => {
    const mk = (func: any) => new Pipeline([['pre', new ColumnTransformer([
      ['num', new StandardScaler(), ['age', 'chol']],
      ['f', new FunctionTransformer({ name: 'f', func }), ['thalach', 'trestbps']]])], ['lr', new LogisticRegression()]]).fit(train.X, train.y);
    for (const func of [
      ({ thalach, trestbps }: any) => Array.from(thalach as Float64Array, (v, i) => v / trestbps[i]),
      ({ thalach, trestbps }: any) => ({ a: thalach.map((v: number, i: number) => v / trestbps[i]), b: trestbps.map((v: number) => v * 2) }),
      ({ thalach, trestbps }: any) => { const n = thalach.length; const d = new Float64Array(2 * n); for (let i = 0; i < n; i++) { d[2 * i] = thalach[i]; d[2 * i + 1] = trestbps[i]; } return { rows: n, cols: 2, data: d }; },
      null,
    ]) {
      const m = mk(func);
      expect(m.isCompiled).toBe(true);
      const ct = m.namedSteps.pre as ColumnTransformer, l = m.namedSteps.lr as LogisticRegression;
      expect(maxAbsDiff(m.predictProba(test.X).data, l.predictProba(ct.transformFrame(test.X)).data)).toBeLessThanOrEqual(1e-15);
      const rows = toRows(test.X);
      for (const i of [0, 1, 100]) expect(Array.from(m.predictProbaRow(rows[i]))).toEqual(Array.from(m.predictProba(rows).row(i)));
    }
    const bad = mk(({ thalach }: any) => { if (thalach.length < 50) throw new Error('boom'); return thalach.map((v: number) => v); });
    expect(() => bad.predictProba(toRows(test.X).slice(0, 3))).toThrow("FunctionTransformer 'f' threw: boom");
    expect(() => bad.predictProbaRow(toRows(test.X)[0])).toThrow("FunctionTransformer 'f' threw: boom");
    const short = mk(({ thalach }: any) => (thalach.length > 100 ? thalach.map((v: number) => v) : new Float64Array(1)));
    expect(() => short.predictProba(toRows(test.X).slice(0, 3))).toThrow(/length|rows|3/);
  });
  it('categorical NaN index, handleUnknown error, unknown values, -0', () => {
    const X = { ...train.X, cp: train.X.cp.map((v, i) => (i % 7 === 0 ? NaN : v)) };
    const m = new Pipeline([['pre', new ColumnTransformer([['c', new OneHotEncoder({ handleUnknown: 'ignore' }), ['cp', 'ca']], ['n', new StandardScaler(), ['age']]])], ['lr', new LogisticRegression()]]).fit(X, train.y);
    const T = { ...test.X, cp: test.X.cp.map((v, i) => (i % 5 === 0 ? NaN : i % 11 === 0 ? 9 : i % 13 === 0 ? 2.5 : i % 17 === 0 ? -0 : v)) };
    const ct = m.namedSteps.pre as ColumnTransformer, l = m.namedSteps.lr as LogisticRegression;
    expect(maxAbsDiff(m.predictProba(T).data, l.predictProba(ct.transformFrame(T)).data)).toBeLessThanOrEqual(1e-15);
    const dW = m.decisionFunction(T).data;
    setBackend('reference');
    try { expect(Array.from(m.decisionFunction(T).data)).toEqual(Array.from(dW)); } finally { setBackend('wasm'); }
    const e = new Pipeline([['pre', new ColumnTransformer([['c', new OneHotEncoder({ handleUnknown: 'error' }), ['cp']]])], ['lr', new LogisticRegression()]]).fit(train.X, train.y);
    expect(() => e.predictProba({ ...test.X, cp: test.X.cp.map((v, i) => (i === 7 ? 9 : v)) })).toThrow(/unknown categor/i);
  });
});
