/** FunctionTransformer with a declared expression: same results as the JS function, saved as data. */
import { describe, expect, it } from 'vitest';
import { ColumnTransformer, FunctionTransformer, LogisticRegression, Pipeline, WasmlearnError, loadModel, setBackend } from '../../src/index.js';
import { toONNX } from '../../src/onnx/index.js';
import { heartData, heartPipeline, maxAbsDiff, toRows } from '../helpers/heart.js';

const train = heartData(400, 21), test = heartData(200, 22);

function exprPipeline(op: 'div' | 'mul' | 'add' | 'sub' = 'div'): Pipeline {
  const p = heartPipeline();
  const pre = p.namedSteps.preprocessor as ColumnTransformer;
  const entries = pre.params.transformers.map(([n, t, c]) => (n === 'new'
    ? [n, new FunctionTransformer({ name: 'ratio', expr: { op, inputs: ['thalach', 'trestbps'] } }), c] as const
    : [n, t, c] as const));
  return new Pipeline([['preprocessor', new ColumnTransformer(entries)], ['classifier', new LogisticRegression()]]);
}

describe("FunctionTransformer({ expr: { op: 'div', inputs } })", () => {
  const withFunc = heartPipeline().fit(train.X, train.y);
  const withExpr = exprPipeline().fit(train.X, train.y);
  it('gives exactly the probabilities of the equivalent JS function (fused and row paths)', () => {
    expect(Array.from(withExpr.predictProba(test.X).data)).toEqual(Array.from(withFunc.predictProba(test.X).data));
    const row = Object.fromEntries(Object.entries(test.X).map(([k, v]) => [k, v[3]]));
    expect(Array.from(withExpr.predictProbaRow(row))).toEqual(Array.from(withFunc.predictProbaRow(row)));
    expect(withExpr.slice(0, -1).getFeatureNamesOut().at(-1)).toBe('new__ratio');
  });
  it('is computed inside the fused pass for every op: equal to step-by-step scoring, WASM equal to the plain-TS reference', () => {
    for (const op of ['div', 'mul', 'add', 'sub'] as const) {
      const p = exprPipeline(op).fit(train.X, train.y);
      const pre = p.namedSteps.preprocessor as ColumnTransformer, lr = p.namedSteps.classifier as LogisticRegression;
      expect(p.isCompiled).toBe(true);
      const fused = p.predictProba(test.X).data;
      expect(maxAbsDiff(fused, lr.predictProba(pre.transformFrame(test.X)).data)).toBeLessThanOrEqual(1e-15);
      const rows = toRows(test.X);
      expect(Array.from(p.predictProbaRow(rows[5]))).toEqual(Array.from(p.predictProba([rows[5]]).data));
      const dW = Array.from(p.decisionFunction(test.X).data);
      setBackend('reference');
      try {
        expect(Array.from(loadModel(p.toJSON()).decisionFunction(test.X).data)).toEqual(dW);
      } finally { setBackend('wasm'); }
    }
  });
  it('a non-finite derived value is reported as the JS function reports it (same code, row and column)', () => {
    const err = (m: Pipeline, X: Record<string, Float64Array>) => { try { m.predictProba(X); } catch (e) { return e as WasmlearnError; } throw new Error('did not throw'); };
    for (const [thalach, trestbps] of [[150, 0], [0, 0]]) {
      const X = Object.fromEntries(Object.entries(test.X).map(([k, v]) => [k, v.slice(0, 20)]));
      X.thalach[13] = thalach; X.trestbps[13] = trestbps;
      const a = err(withExpr, X), b = err(withFunc, X);
      expect(a.code).toBe(trestbps === 0 && thalach === 0 ? 'MISSING_VALUE' : 'NON_FINITE'); // 0/0 is NaN: a missing value
      expect([a.code, a.details.row, a.details.column, a.message]).toEqual([b.code, b.details.row, b.details.column, b.message]);
      expect(a.details.row).toBe(13);
    }
  });
  it('is saved in the model document: loading needs no registered function', () => {
    const doc = JSON.parse(JSON.stringify(withExpr.toJSON()));
    expect(doc.params.steps[0][1].state.transformers[3][1].params.expr).toEqual({ op: 'div', inputs: ['thalach', 'trestbps'] });
    const again = loadModel(doc, { functions: {} });
    expect(Array.from(again.predictProba(test.X).data)).toEqual(Array.from(withExpr.predictProba(test.X).data));
  });
  it('exports to ONNX without declaring the function', () => {
    expect(toONNX(withExpr).length).toBeGreaterThan(100);
    expect(() => toONNX(withFunc)).toThrow(/runs JavaScript/);
  });
  it('bad expressions are refused with typed errors', () => {
    const bad = (expr: unknown, X: Record<string, unknown> = { a: [1, 2], b: [3, 4] }) => {
      try { new FunctionTransformer({ name: 'f', expr: expr as never }).fit(X as never); } catch (e) { return e as WasmlearnError; }
      throw new Error('did not throw');
    };
    expect(bad({ op: 'pow', inputs: ['a', 'b'] }).code).toBe('INVALID_PARAM');
    expect(bad({ op: 'pow', inputs: ['a', 'b'] }).message).toContain("the 'expr' option must be { op: 'div' | 'mul' | 'add' | 'sub', inputs: [column, column] }");
    expect(bad({ op: 'div', inputs: ['a', 'zz'] }).code).toBe('MISSING_COLUMN');
    expect(bad({ op: 'div', inputs: ['a', 'c'] }, { a: [1, 2], c: ['x', 'y'] }).code).toBe('COLUMN_TYPE');
    const doc = JSON.parse(JSON.stringify(withExpr.toJSON()));
    doc.params.steps[0][1].state.transformers[3][1].params.expr = { op: 'exp', inputs: ['thalach'] };
    try { loadModel(doc); throw new Error('did not throw'); } catch (e) {
      expect((e as WasmlearnError).code).toBe('INVALID_MODEL');
      expect((e as WasmlearnError).details.field).toBe('(root).params.steps[0][1].state.transformers[3][1].params.expr');
    }
  });
});
