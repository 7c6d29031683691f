/** Bad input: each case throws WasmlearnError with a stable code and a message naming the culprit. */
import { describe, expect, it } from 'vitest';
import { LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, WasmlearnError, loadModel } from '../src/index.js';
import { heartData, heartPipeline, ratio, toRows } from './helpers/heart.js';

function thrown(fn: () => unknown): WasmlearnError {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(WasmlearnError);
    return e as WasmlearnError;
  }
  throw new Error('expected a WasmlearnError, nothing was thrown');
}

const train = heartData(300, 5);
const clf = heartPipeline().fit(train.X, train.y);
const rows = toRows(heartData(5, 6).X);

describe('bad input to a fitted pipeline', () => {
  it('missing column', () => {
    const { age: _a, ...rest } = heartData(5, 6).X;
    const e = thrown(() => clf.predictProba(rest));
    expect(e.code).toBe('MISSING_COLUMN');
    expect(e.details.column).toBe('age');
    expect(e.message).toMatch(/^Column "age" is missing from the input/);
  });
  it('missing column on the single-row path', () => {
    const { chol: _c, ...rest } = rows[0];
    const e = thrown(() => clf.predictProbaRow(rest));
    expect(e.code).toBe('MISSING_COLUMN');
    expect(e.details.column).toBe('chol');
  });
  it('a string in a numeric column names column and row', () => {
    const bad = rows.map((r, i) => (i === 3 ? { ...r, chol: 'high' } : r));
    const e = thrown(() => clf.predictProba(bad));
    expect(e.code).toBe('COLUMN_TYPE');
    expect(e.details).toMatchObject({ column: 'chol', row: 3 });
    expect(e.message).toContain('but row 3 holds "high"');
  });
  it('NaN where the model cannot take it (no imputer before the classifier)', () => {
    const m = new Pipeline([['s', new StandardScaler()], ['lr', new LogisticRegression()]]).fit({ a: [1, 2, 3, 4], b: [0, 1, 0, 1] }, [0, 0, 1, 1]);
    const e = thrown(() => m.predictProba({ a: [1, NaN], b: [0, 1] }));
    expect(e.code).toBe('MISSING_VALUE');
    expect(e.details).toMatchObject({ column: 'a', row: 1 });
    expect(e.message).toBe('Input contains NaN (a missing value) in column "a" at row 1, which LogisticRegression does not accept. Add a SimpleImputer before it, or drop the rows with missing values.');
    const inf = thrown(() => m.predictProba({ a: [1, 2], b: [Infinity, 1] }));
    expect(inf.code).toBe('NON_FINITE');
    expect(inf.details).toMatchObject({ column: 'b', row: 0 });
    expect(inf.message).toContain('Input contains Infinity in column "b" at row 0');
  });
  it('NaN at fit time is refused with the column and row', () => {
    const e = thrown(() => new LogisticRegression().fit({ a: [1, NaN, 3] }, [0, 1, 0]));
    expect(e.code).toBe('MISSING_VALUE');
    expect(e.details).toMatchObject({ column: 'a', row: 1 });
  });
  it('empty batch at fit; empty batch at predict returns an empty result', () => {
    const e = thrown(() => heartPipeline().fit({ age: [] }, []));
    expect(e.code).toBe('EMPTY_INPUT');
    expect(e.message).toBe('Found input with 0 rows, while a minimum of 1 is required by Pipeline.');
    const empty = Object.fromEntries(Object.keys(train.X).map((k) => [k, new Float64Array(0)]));
    expect(clf.predictProba(empty).rows).toBe(0);
  });
  it('y of the wrong length', () => {
    const e = thrown(() => heartPipeline().fit(train.X, train.y.subarray(0, 10)));
    expect(e.code).toBe('LENGTH_MISMATCH');
    expect(e.message).toBe('y has length 10, expected 300.');
  });
  it('one class only in y', () => {
    const e = thrown(() => heartPipeline().fit(train.X, new Float64Array(300)));
    expect(e.code).toBe('SINGLE_CLASS');
    expect(e.message).toBe('This solver needs samples of at least 2 classes in the data, but the data contains only one class: 0.');
  });
  it('missing labels in y', () => {
    const y = Array.from(train.y, (v, i) => (i === 4 ? null : v));
    const e = thrown(() => heartPipeline().fit(train.X, y as never));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details.row).toBe(4);
  });
  it('predict before fit', () => {
    const e = thrown(() => heartPipeline().predict(rows));
    expect(e.code).toBe('NOT_FITTED');
    expect(e.message).toBe("This Pipeline instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.");
  });
  it('mean strategy on a string column', () => {
    const e = thrown(() => new SimpleImputer().fit({ c: ['a', null] }));
    expect(e.code).toBe('COLUMN_TYPE');
    expect(e.message).toContain('Cannot use mean strategy with non-numeric data: column "c"');
  });
  it('mixed numbers and strings in one categorical column', () => {
    const e = thrown(() => new OneHotEncoder().fit({ c: ['a', 1, 'b'] }));
    expect(e.code).toBe('COLUMN_TYPE');
    expect(e.message).toContain('uniformly strings or numbers');
  });
  it('invalid parameters are reported at fit, listing what is allowed', () => {
    const e = thrown(() => new SimpleImputer({ strategy: 'mode' as never }).fit({ a: [1] }));
    expect(e.code).toBe('INVALID_PARAM');
    expect(e.message).toBe(`The 'strategy' parameter of SimpleImputer must be one of 'mean', 'median', 'most_frequent', 'constant'. Got "mode" instead.`);
    expect(thrown(() => new LogisticRegression({ C: -1 }).fit({ a: [1, 2] }, [0, 1])).code).toBe('INVALID_PARAM');
    expect(thrown(() => new Pipeline([['a__b', new StandardScaler()]]).fit({ a: [1] })).code).toBe('INVALID_PARAM');
  });
});

describe('corrupted model documents are rejected before anything is built', () => {
  const good = () => JSON.parse(JSON.stringify(clf.toJSON()));
  const bad = (mutate: (d: any) => void) => { const d = good(); mutate(d); return thrown(() => loadModel(d, { functions: { ratio } })); };
  it('not JSON', () => {
    const e = thrown(() => loadModel('{"type": "Pipe'));
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toMatch(/^Invalid model document: not JSON/);
  });
  it('unknown estimator type', () => {
    const e = bad((d) => { d.params.steps[1][1].type = 'RandomForest'; });
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toContain('at (root).params.steps[1][1].type: unknown estimator type "RandomForest"');
  });
  it('coefficient row of the wrong length', () => {
    const e = bad((d) => { d.params.steps[1][1].state.coef[0].pop(); });
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.details.field).toBe('(root).params.steps[1][1].state.coef[0]');
  });
  it('a non-number in the coefficients', () => {
    const e = bad((d) => { d.params.steps[1][1].state.coef[0][2] = 'x'; });
    expect(e.details.field).toBe('(root).params.steps[1][1].state.coef[0][2]');
  });
  it('unsorted categories', () => {
    const e = bad((d) => { const c = d.params.steps[0][1].state.transformers[1][1].params.steps[1][1].state.categories[0]; c.reverse(); });
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toContain('categories must be sorted and unique');
  });
  it('zero or negative scale', () => {
    const e = bad((d) => { d.params.steps[0][1].state.transformers[0][1].params.steps[1][1].state.scale[1] = 0; });
    expect(e.message).toContain('scale[1]: expected a positive finite number');
  });
  it('wrong format version', () => {
    const e = thrown(() => loadModel({ format: 'wasmlearn.model', formatVersion: 99, estimator: good() } as never));
    expect(e.message).toBe('Invalid model document at formatVersion: this version of wasmlearn reads format version 1, the document has 99.');
  });
  it('deep nesting is bounded', () => {
    let d: any = { type: 'StandardScaler', version: 1, params: {}, state: null };
    for (let i = 0; i < 100; i++) d = { type: 'Pipeline', version: 1, params: { steps: [['p', d]] }, state: null };
    expect(thrown(() => loadModel(d)).code).toBe('INVALID_MODEL');
  });
});

describe('model documents whose steps do not fit together', () => {
  it("a classifier expecting a different width than the preprocessing produces is INVALID_MODEL at load", () => {
    const d = JSON.parse(JSON.stringify(clf.toJSON()));
    const enc = d.params.steps[0][1].state.transformers[1][1].params.steps[1][1].state;
    enc.categories[0] = [...enc.categories[0], 99];
    const e = thrown(() => loadModel(d, { functions: { ratio } }));
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toBe('Invalid model document at (root).params.steps[1][1].state.nFeaturesIn: expected 28 (the output width of step "preprocessor"), got 27.');
  });
});
