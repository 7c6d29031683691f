/** FunctionTransformer with a declared expression: same results as the JS function, saved as data. */
import { describe, expect, it } from 'vitest';
import { ColumnTransformer, FunctionTransformer, LogisticRegression, Pipeline, WasmlearnError, loadModel } from '../../src/index.js';
import { toONNX } from '../../src/onnx/index.js';
import { heartData, heartPipeline } from '../helpers/heart.js';

const train = heartData(400, 21), test = heartData(200, 22);

function exprPipeline(): Pipeline {
  const p = heartPipeline();
  const pre = p.namedSteps.preprocessor as ColumnTransformer;
  const entries = pre.params.transformers.map(([n, t, c]) => (n === 'new'
    ? [n, new FunctionTransformer({ name: 'ratio', expr: { op: 'div', inputs: ['thalach', 'trestbps'] } }), c] as const
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
