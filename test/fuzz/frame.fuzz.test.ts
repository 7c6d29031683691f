/**
 * Fuzzing the table inputs: `Frame.from` on every accepted shape, and fit / predict of the
 * estimators through frames full of NaN, ±Infinity, -0, null, undefined, extreme
 * magnitudes, strings in numeric columns, odd and duplicate column names, 0 rows and very
 * wide inputs. Each case returns a result or throws a `WasmlearnError` with a known code;
 * probabilities are always finite, in [0, 1], rows summing to 1.
 *
 * Run counts and seeds are in each `fuzz(...)` call (scaled by WASMLEARN_FUZZ_SCALE).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Frame, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, ColumnTransformer, type FrameInput,
} from '../../src/index.js';
import { HEART_COLS, HEART_ROW, checkProba, fuzz, heartCell, heartModel, oddCell, typed } from './helpers.js';

const name = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', 'c', 'age', 'cp') },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', 'a.b', 'x0', '\u0000', 'é') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

/** Any value a caller might pass as a table, well-formed or not. */
const frameInput: fc.Arbitrary<unknown> = fc.oneof(
  // row objects
  fc.array(fc.dictionary(name, oddCell, { maxKeys: 5 }), { maxLength: 8 }),
  // column objects (arrays, typed arrays, lengths that may disagree)
  fc.dictionary(name, fc.oneof(
    fc.array(oddCell, { maxLength: 6 }),
    fc.float64Array({ maxLength: 6 }),
    fc.int32Array({ maxLength: 6 }),
    fc.constantFrom(null, 1, 'abc', {}),
  ), { maxKeys: 4 }),
  // split form, with duplicate names and ragged rows
  fc.record({ columns: fc.array(name, { maxLength: 4 }), data: fc.array(fc.array(oddCell, { maxLength: 4 }), { maxLength: 6 }) }),
  // positional rows
  fc.array(fc.array(oddCell, { minLength: 0, maxLength: 4 }), { maxLength: 6 }),
  // not a table at all
  fc.constantFrom(null, undefined, 0, 'a,b\n1,2', true, [null], [1, 2], [[]], [{}], { columns: 'a', data: [] }),
);

describe('Frame.from', () => {
  it('builds a consistent frame or throws a typed error, for any input', () => {
    fuzz('Frame.from', frameInput, 2000, 0x5eed01, (input) => typed(() => Frame.from(input as FrameInput), (f) => {
      const frame = f as Frame;
      expect(new Set(frame.names).size).toBe(frame.nCols);
      for (const c of frame.columns) {
        const len = c.kind === 'numeric' ? c.values.length : c.codes.length;
        expect(len).toBe(frame.nRows);
        if (c.kind === 'categorical') for (const k of c.codes) expect(k >= -1 && k < c.dictionary.length).toBe(true);
      }
    }));
  });

  it('duplicate column names in the split form are refused', () => {
    expect(() => Frame.from({ columns: ['a', 'a'], data: [[1, 2]] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('100,000 columns: built once, and the heart model picks its 13 columns from them', () => {
    const columns = Array.from({ length: 100_000 }, (_, j) => `c${j}`);
    const wide: Record<string, number[]> = Object.fromEntries(columns.map((c) => [c, [1]]));
    Object.assign(wide, Object.fromEntries(HEART_COLS.map((c) => [c, [HEART_ROW[c]]])));
    const { model } = heartModel();
    checkProba(model.predictProba(wide), 1);
    // a transformer fitted on 2 columns rejects a positional input of 100,000 columns with a typed error
    const sc = new StandardScaler().fit([[1, 2], [3, 4]]);
    const row = Array.from({ length: 100_000 }, () => 1);
    expect(() => sc.transform([row])).toThrow(expect.objectContaining({ code: 'FEATURE_MISMATCH' }));
  });

  it('StandardScaler fits 100,000 columns of 2 rows (positional) or refuses with a typed error', () => {
    const row = Array.from({ length: 100_000 }, (_, j) => j);
    expect(typed(() => new StandardScaler().fit([row, row]).transform([row]))).toMatch(/ok|error/);
  });
});

/** A batch of heart rows in any of the three table forms, cells sometimes odd. */
const heartBatch = fc.tuple(
  fc.array(fc.record(Object.fromEntries(HEART_COLS.map((c) => [c, heartCell(c)])) as Record<string, fc.Arbitrary<unknown>>), { minLength: 0, maxLength: 12 }),
  fc.constantFrom('rows', 'columns', 'split'),
  fc.subarray([...HEART_COLS], { minLength: 0, maxLength: 2 }),
).map(([rows, form, drop]) => {
  for (const r of rows) for (const d of drop) delete r[d];
  const cols = HEART_COLS.filter((c) => !drop.includes(c));
  if (form === 'rows') return rows;
  if (form === 'split') return { columns: cols, data: rows.map((r) => cols.map((c) => r[c])) };
  return Object.fromEntries(cols.map((c) => [c, rows.map((r) => r[c])]));
});

describe('scoring the heart pipeline', () => {
  it('predictProba / predict on odd batches: probabilities or a typed error, never NaN', () => {
    const { model } = heartModel();
    fuzz('heart predictProba', heartBatch, 1500, 0x5eed02, (X) => typed(() => {
      const p = model.predictProba(X as FrameInput);
      checkProba(p);
      const labels = model.predict(X as FrameInput);
      expect(labels.every((l) => l === 0 || l === 1)).toBe(true);
      return p;
    }));
  });

  it('predictProbaRow on odd rows: probabilities or a typed error, never NaN', () => {
    const { model } = heartModel();
    const row = fc.record(Object.fromEntries(HEART_COLS.map((c) => [c, heartCell(c)])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
    fuzz('heart predictProbaRow', fc.oneof(row, fc.constantFrom(null, 1, 'x', [])), 3000, 0x5eed03, (r) => typed(() => {
      const p = model.predictProbaRow(r as Record<string, number>);
      checkProba({ rows: 1, cols: p.length, data: p });
      return p;
    }));
  });

  it('fused plan and single-row path agree: both fail (typed), or both give the same probabilities', () => {
    const { model } = heartModel();
    fuzz('heart fused vs row', heartBatch.filter((b) => Array.isArray(b) && b.length === 1), 800, 0x5eed04, (X) => {
      const rows = X as Record<string, number>[];
      const a = typed(() => model.predictProba(rows));
      const b = typed(() => model.predictProbaRow(rows[0]));
      expect(b).toBe(a);
      if (a === 'ok') expect(Array.from(model.predictProbaRow(rows[0]))).toEqual(Array.from(model.predictProba(rows).data));
      return a;
    });
  });
});

/** Small training sets: clean columns plus 0–3 odd cells planted anywhere (also in y). */
const trainSet = fc.record({
  n: fc.integer({ min: 0, max: 16 }),
  num: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 16, maxLength: 16 }),
  num2: fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(1e300, -1e300, 5e-324, 1e-300)), { minLength: 16, maxLength: 16 }),
  cat: fc.array(fc.constantFrom('a', 'b', 'c', null, ''), { minLength: 16, maxLength: 16 }),
  y: fc.array(fc.constantFrom(0, 1, 0, 1, 2), { minLength: 16, maxLength: 16 }),
  yLen: fc.constantFrom(0, 0, 0, 0, -1, 1),
  odd: fc.array(fc.tuple(fc.constantFrom('num', 'num2', 'cat', 'y'), fc.nat(15), oddCell), { maxLength: 3 }),
}).map((t) => {
  const cols: Record<string, unknown[]> = { num: [...t.num], num2: [...t.num2], cat: [...t.cat], y: [...t.y] };
  for (const [c, i, v] of t.odd) cols[c][i] = v;
  return { ...t, ...cols };
});

function pipelineFor(kind: number): Pipeline {
  const imputeScale = new Pipeline([['imp', new SimpleImputer({ strategy: 'median' })], ['sc', new StandardScaler()]]);
  const onehot = new Pipeline([['imp', new SimpleImputer({ strategy: 'most_frequent' })], ['oh', new OneHotEncoder({ handleUnknown: 'ignore' })]]);
  switch (kind) {
    case 0: return new Pipeline([['ct', new ColumnTransformer([['n', imputeScale, ['num', 'num2']], ['c', onehot, ['cat']]])], ['lr', new LogisticRegression()]]);
    case 1: return new Pipeline([['sc', new StandardScaler()], ['lr', new LogisticRegression({ C: 1e-3 })]]);
    default: return new Pipeline([['imp', new SimpleImputer({ strategy: 'mean' })], ['lr', new LogisticRegression({ penalty: 'none', maxIter: 50 })]]);
  }
}

describe('fit and predict through frames', () => {
  it('fit on odd training data then predict: finite probabilities or a typed error', () => {
    fuzz('pipeline fit/predict', fc.tuple(trainSet, fc.integer({ min: 0, max: 2 })), 400, 0x5eed05, ([t, kind]) => {
      const X: Record<string, unknown[]> = kind === 0
        ? { num: t.num.slice(0, t.n), num2: t.num2.slice(0, t.n), cat: t.cat.slice(0, t.n) }
        : { num: t.num.slice(0, t.n), num2: t.num2.slice(0, t.n) };
      const y = t.y.slice(0, Math.max(0, t.n + t.yLen));
      const warnings: string[] = [];
      return typed(() => {
        const clf = pipelineFor(kind).fit(X as FrameInput, y as number[]);
        const p = clf.predictProba(X as FrameInput);
        checkProba(p, t.n);
        return p;
      }, () => warnings);
    });
  });
});
