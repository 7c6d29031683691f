import {
  ColumnTransformer, FunctionTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler,
  makeHeart, type FunctionColumns,
} from '../../src/index.js';

export const ratio = ({ thalach, trestbps }: FunctionColumns) => thalach.map((v, i) => v / trestbps[i]);

/**
 * The heart pipeline of the MLflow tutorial. Its derived `ratio` column is the tutorial's
 * JS function, or (`ratioAs: 'expr'`) the same division declared as an expression.
 */
export function heartPipeline(lr = new LogisticRegression(), ratioAs: 'function' | 'expr' = 'function'): Pipeline {
  const pre = new ColumnTransformer([
    ['num', new Pipeline([['imputer', new SimpleImputer({ strategy: 'median' })], ['scaler', new StandardScaler()]]), ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']],
    ['cat', new Pipeline([['imputer', new SimpleImputer({ strategy: 'constant', fillValue: 0 })], ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['cp', 'restecg', 'ca', 'thal', 'slope']],
    ['binary', new SimpleImputer({ strategy: 'constant', fillValue: 0 }), ['sex', 'fbs', 'exang']],
    ['new', ratioAs === 'expr'
      ? new FunctionTransformer({ name: 'ratio', expr: { op: 'div', inputs: ['thalach', 'trestbps'] } })
      : new FunctionTransformer({ name: 'ratio', func: ratio }), ['thalach', 'trestbps']],
  ]);
  return new Pipeline([['preprocessor', pre], ['classifier', lr]]);
}

const CP_NAMES = ['typical', 'atypical', 'non-anginal', 'asymptomatic'];
const THAL_NAMES: Record<number, string> = { 3: 'normal', 6: 'fixed', 7: 'reversible' };

/** The heart columns with cp and thal as strings, as a DataFrame of the raw data has them (thal missing as null). */
export function withStringCategories(X: Record<string, Float64Array>): Record<string, Float64Array | (string | null)[]> {
  return { ...X, cp: Array.from(X.cp, (v) => CP_NAMES[v - 1]), thal: Array.from(X.thal, (v) => (Number.isNaN(v) ? null : THAL_NAMES[v])) };
}

/**
 * The heart pipeline for data with string cp / thal (see withStringCategories): those two
 * imputed with the constant 'missing' and one-hot encoded; the ratio declared as an expression.
 */
export function heartStringPipeline(): Pipeline {
  return new Pipeline([['preprocessor', new ColumnTransformer([
    ['num', new Pipeline([['imputer', new SimpleImputer({ strategy: 'median' })], ['scaler', new StandardScaler()]]), ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']],
    ['str', new Pipeline([['imputer', new SimpleImputer({ strategy: 'constant', fillValue: 'missing' })], ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['cp', 'thal']],
    ['cat', new Pipeline([['imputer', new SimpleImputer({ strategy: 'constant', fillValue: 0 })], ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['restecg', 'ca', 'slope']],
    ['binary', new SimpleImputer({ strategy: 'constant', fillValue: 0 }), ['sex', 'fbs', 'exang']],
    ['new', new FunctionTransformer({ name: 'ratio', expr: { op: 'div', inputs: ['thalach', 'trestbps'] } }), ['thalach', 'trestbps']],
  ])], ['classifier', new LogisticRegression()]]);
}

export function heartData(nRows: number, seed: number, drift = 0) {
  const h = makeHeart({ nRows, seed, drift });
  const { num: _num, ...features } = h.columns;
  return { X: features as Record<string, Float64Array>, y: h.target };
}

export function toRows(cols: Record<string, ArrayLike<number | string | null>>): Record<string, number | string | null>[] {
  const names = Object.keys(cols);
  const n = names.length ? cols[names[0]].length : 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, cols[k][i]])));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) { if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity; } else if (d > m) m = d;
  }
  return m;
}
