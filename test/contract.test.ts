/**
 * One contract suite run against every estimator (scikit-learn's estimator checks,
 * the parts that apply): defaults construct, fit returns this, unfitted use throws,
 * refit equals fit, wrong width rejected, row subsets, one row / one column,
 * JSON round trip, and use inside Pipeline and ColumnTransformer.
 */
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer, Frame, FunctionTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler,
  WasmlearnError, estimatorFromJSON, loadModel, type Estimator, type Transformer,
} from '../src/index.js';

const X = { a: [1, 2, NaN, 4, 5, 6], b: [0.5, -1, 2, 2, NaN, 3] };
const Xcat = { c: ['x', 'y', 'x', 'z', 'y', 'x'], d: [1, 2, 1, 2, 1, 1] };
const y = [0, 1, 0, 1, 1, 0];
const Xfull = { a: [1, 2, 3, 4, 5, 6], b: [0.5, -1, 2, 2, 1, 3] };

interface Case { name: string; make: () => Estimator; X: Record<string, unknown[]>; supervised?: boolean; functions?: Record<string, never>; byName?: boolean }
const double = ({ a }: Record<string, Float64Array>) => a.map((v) => 2 * v);
const cases: Case[] = [
  { name: 'SimpleImputer', make: () => new SimpleImputer(), X },
  { name: 'SimpleImputer(most_frequent, strings)', make: () => new SimpleImputer({ strategy: 'most_frequent' }), X: { c: ['x', null, 'y', 'y', 'x', 'y'] } },
  { name: 'StandardScaler', make: () => new StandardScaler(), X },
  { name: 'OneHotEncoder', make: () => new OneHotEncoder(), X: Xcat },
  { name: 'FunctionTransformer', make: () => new FunctionTransformer({ name: 'double', func: double }), X: Xfull, functions: { double } as never, byName: true },
  { name: 'LogisticRegression', make: () => new LogisticRegression(), X: Xfull, supervised: true },
  { name: 'ColumnTransformer', make: () => new ColumnTransformer([['s', new StandardScaler(), ['a']], ['o', new OneHotEncoder(), ['d']]], { remainder: 'passthrough' }), X: { ...Xfull, d: Xcat.d }, byName: true },
  { name: 'Pipeline', make: () => new Pipeline([['imp', new SimpleImputer()], ['lr', new LogisticRegression()]]), X, supervised: true },
];

const output = (e: Estimator, data: unknown) => {
  const anyE = e as unknown as { predictProba?: (x: unknown) => { data: Float64Array }; transformFrame?: (x: unknown) => Frame };
  if (anyE.predictProba) return Array.from(anyE.predictProba(data as never).data);
  return anyE.transformFrame!(data as never).toRows();
};

describe.each(cases)('estimator contract: $name', ({ make, X: data, supervised, functions, byName }) => {
  const fit = (e: Estimator) => e.fit(data as never, supervised ? y : undefined);

  it('constructs with defaults and keeps params frozen', () => {
    const e = make();
    expect(e.isFitted).toBe(false);
    expect(Object.isFrozen(e.params)).toBe(true);
  });
  it('fit returns this', () => {
    const e = make();
    expect(fit(e)).toBe(e);
    expect(e.isFitted).toBe(true);
  });
  it('using an unfitted estimator throws NOT_FITTED', () => {
    const e = make();
    try { output(e, data); throw new Error('did not throw'); } catch (err) {
      expect(err).toBeInstanceOf(WasmlearnError);
      expect((err as WasmlearnError).code).toBe('NOT_FITTED');
      expect((err as WasmlearnError).message).toMatch(/instance is not fitted yet\. Call 'fit' with appropriate arguments before using this estimator\./);
    }
  });
  it('fitting twice equals fitting once (refit forgets the past)', () => {
    const a = fit(make());
    const b = make();
    // first fit on other rows (reversed, first four), then on the data
    b.fit(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, [...v].reverse().slice(0, 4)])) as never, supervised ? [1, 0, 1, 1] : undefined);
    fit(b);
    expect(output(b, data)).toEqual(output(a, data));
  });
  it('fit does not mutate its input', () => {
    const copy = JSON.parse(JSON.stringify(data));
    fit(make());
    expect(JSON.parse(JSON.stringify(data))).toEqual(copy);
  });
  it('row subset in gives row subset out', () => {
    const e = fit(make());
    const full = output(e, data) as unknown[];
    const sub = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.slice(1, 3)]));
    const part = output(e, sub) as unknown[];
    const width = full.length / Object.values(data)[0].length;
    expect(part).toEqual(typeof full[0] === 'number' ? full.slice(width, 3 * width) : full.slice(1, 3));
  });
  it('one row works', () => {
    const e = fit(make());
    const one = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.slice(0, 1)]));
    expect(() => output(e, one)).not.toThrow();
  });
  it('a missing input column is rejected naming it', () => {
    const e = fit(make());
    const first = Object.keys(data)[0];
    const less = Object.fromEntries(Object.entries(data).filter(([k]) => k !== first));
    try { output(e, Object.keys(less).length ? less : { zzz: [1] }); throw new Error('did not throw'); } catch (err) {
      expect((err as WasmlearnError).code).toBe('MISSING_COLUMN');
      expect((err as WasmlearnError).details.column).toBe(first);
    }
  });
  it.skipIf(byName)('wrong width of positional input is rejected', () => {
    const e = make();
    const rows = Object.values(data)[0].map((_, i) => Object.values(data).map((c) => c[i]));
    e.fit(rows as never, supervised ? y : undefined);
    try { output(e, rows.map((r) => [...r, 1])); throw new Error('did not throw'); } catch (err) {
      expect((err as WasmlearnError).code).toBe('FEATURE_MISMATCH');
      expect((err as WasmlearnError).message).toMatch(/^X has \d+ features, but \w+ is expecting \d+ features as input\.$/);
    }
  });
  it('fromJSON(toJSON()) gives identical outputs, and unfitted documents rebuild unfitted', () => {
    const e = fit(make());
    const doc = JSON.parse(JSON.stringify(e.toJSON()));
    const again = estimatorFromJSON(doc, { functions });
    expect(output(again, data)).toEqual(output(e, data));
    const blank = estimatorFromJSON(JSON.parse(JSON.stringify(make().toJSON())), { functions });
    expect(blank.isFitted).toBe(false);
    if (supervised) expect(output(loadModel(doc, { functions }), data)).toEqual(output(e, data));
  });
  it('clone() is unfitted with the same params', () => {
    const e = fit(make());
    const c = e.clone();
    expect(c.isFitted).toBe(false);
    expect(JSON.stringify(c.toJSON())).toBe(JSON.stringify(make().toJSON()));
  });
  it('works inside Pipeline and ColumnTransformer', () => {
    if (supervised) {
      const p = new Pipeline([['e', make()]]).fit(data as never, y);
      expect(output(p, data)).toEqual(output(fit(make()), data));
    } else {
      const names = Object.keys(data);
      const ct = new ColumnTransformer([['t', make() as Transformer, names]]).fit(data as never);
      const direct = (fit(make()) as Transformer).transformFrame(data as never);
      const via = ct.transformFrame(data as never);
      expect(via.names).toEqual(direct.names.map((n) => `t__${n}`));
      expect(via.toRows().map((r) => Object.values(r))).toEqual(direct.toRows().map((r) => Object.values(r)));
    }
  });
});
