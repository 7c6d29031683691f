/**
 * One-hot encoded columns of strings on the scoring paths: arrays of strings in a column
 * object and strings in row objects are mapped straight to category codes; results and
 * errors equal the general path (a Frame), the step-by-step transform and the reference
 * kernels.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  ColumnTransformer, Frame, LogisticRegression, OneHotEncoder, Pipeline, StandardScaler, setBackend,
} from '../../src/index.js';
import { heartData, heartPipeline, heartStringPipeline, maxAbsDiff, toRows, withStringCategories as withStrings } from '../helpers/heart.js';
import { expectError } from '../helpers/errors.js';

const train = heartData(900, 21);
const test = heartData(700, 22);
const S = withStrings(test.X);
const model = heartStringPipeline().fit(withStrings(train.X), train.y);

function same(X: object, viaFrame: Float64Array) {
  expect(Array.from(model.predictProba(X as never).data)).toEqual(Array.from(viaFrame));
  expect(Array.from(model.predictProba(toRows(X as never) as never).data)).toEqual(Array.from(viaFrame));
}

describe('string categories on the scoring paths', () => {
  it('columns and row objects equal the frame path, the steps and the reference kernels', () => {
    expect(model.isCompiled).toBe(true);
    const viaFrame = model.predictProba(Frame.from(S)).data;
    // neither path builds a frame with Frame.from
    const spy = vi.spyOn(Frame, 'from');
    try { same(S, viaFrame); expect(spy).not.toHaveBeenCalled(); } finally { spy.mockRestore(); }
    const pre = model.namedSteps.preprocessor as ColumnTransformer, lr = model.namedSteps.classifier as LogisticRegression;
    expect(maxAbsDiff(viaFrame, lr.predictProba(pre.transformFrame(S)).data)).toBeLessThanOrEqual(1e-15);
    setBackend('reference');
    try {
      expect(Array.from(model.predictProba(S).data)).toEqual(Array.from(viaFrame));
      expect(Array.from(model.predictProba(toRows(S)).data)).toEqual(Array.from(viaFrame));
    } finally { setBackend('wasm'); }
    const rows = toRows(S);
    for (let i = 0; i < rows.length; i += 41) expect(Array.from(model.predictProbaRow(rows[i]))).toEqual(Array.from(viaFrame.subarray(2 * i, 2 * i + 2)));
  });

  it('unknown strings (repeated, in any column), missing as null / undefined / NaN', () => {
    const cp = (S.cp as string[]).map((v, i) => (i % 9 === 0 ? 'other' : i % 13 === 0 ? 'another' : v));
    const thal = (S.thal as (string | null)[]).map((v, i) => (i % 11 === 0 ? undefined : i % 17 === 0 ? NaN : i % 19 === 0 ? 'odd' : v));
    const X = { ...S, cp, thal };
    const viaFrame = model.predictProba(Frame.from(X as never)).data;
    same(X, viaFrame);
    // unknowns seen in one call do not change the next call's results
    expect(Array.from(model.predictProba(toRows(S)).data)).toEqual(Array.from(model.predictProba(Frame.from(S)).data));
    // a row with 'other' scores as the same row with a missing-free unknown value
    const r = { ...toRows(S)[0], cp: 'other' }, r2 = { ...toRows(S)[0], cp: 'zzz' };
    expect(Array.from(model.predictProbaRow(r))).toEqual(Array.from(model.predictProbaRow(r2)));
  });

  it('values the fast paths do not take (booleans, objects) give the general path results or errors', () => {
    const cp = (S.cp as string[]).map((v, i) => (i === 5 ? true : v));
    const X = { ...S, cp };
    expect(Array.from(model.predictProba(X as never).data)).toEqual(Array.from(model.predictProba(Frame.from(X as never)).data));
    expect(Array.from(model.predictProba(toRows(X as never) as never).data)).toEqual(Array.from(model.predictProba(Frame.from(X as never)).data));
    const bad = { ...S, cp: (S.cp as string[]).map((v, i) => (i === 7 ? { x: 1 } : v)) };
    expectError(() => model.predictProba(bad as never), 'COLUMN_TYPE', /cp/);
  });

  it("handleUnknown: 'error' names the column, row and value on every path", () => {
    const strict = new Pipeline([['pre', new ColumnTransformer([
      ['str', new OneHotEncoder({ handleUnknown: 'error' }), ['cp']],
      ['num', new StandardScaler(), ['age']],
    ])], ['lr', new LogisticRegression()]]).fit(withStrings(train.X), train.y);
    const cp = (S.cp as string[]).map((v, i) => (i === 123 ? 'strange' : v));
    const X = { ...S, cp };
    for (const input of [X, toRows(X as never), Frame.from(X as never)]) {
      expectError(() => strict.predictProba(input as never), 'UNKNOWN_CATEGORY', /"strange" in column "cp" at row 123\b/);
    }
  });

  it('numeric pipelines keep their paths; a string in a numeric column is an error naming it', () => {
    const num = heartPipeline(undefined, 'expr').fit(train.X, train.y);
    const X = { ...test.X, chol: Array.from(test.X.chol, (v, i) => (i === 4 ? 'high' : v)) };
    expectError(() => num.predictProba(X as never), 'COLUMN_TYPE', /chol/);
    expectError(() => num.predictProba(toRows(X as never) as never), 'COLUMN_TYPE', /chol/);
  });
});
