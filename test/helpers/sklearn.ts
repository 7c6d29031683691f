/** Helpers for the scikit-learn parity tests (fixture decoding and fitted-attribute checks). */
import { expect } from 'vitest';
import { ColumnTransformer, Pipeline, type Estimator } from '../../src/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export function decode(v: Json): Json {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object' && typeof v.$float === 'string') return v.$float === 'NaN' ? NaN : v.$float === 'Infinity' ? Infinity : -Infinity;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  return v;
}

export function columns(cols: Record<string, unknown[]>): Record<string, (number | string | null)[]> {
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.map((x) => (x === null ? null : decode(x)))]));
}

/** Follows a "preprocessor/num/scaler" path through pipelines and column transformers. */
export function resolve(model: Estimator, path: string): any {
  let cur: any = model;
  for (const part of path.split('/')) {
    if (cur instanceof Pipeline) cur = cur.namedSteps[part];
    else if (cur instanceof ColumnTransformer) cur = cur.namedTransformers_[part];
    else throw new Error(`cannot follow ${part} in ${path}`);
  }
  return cur;
}

const unsignZero = (v: unknown) => (v === 0 ? 0 : v);
export const flat = (v: Json): number[] => (Array.isArray(v) ? v.flat(3).map(Number) : [Number(v)]);
/**
 * Relative closeness: |a - b| <= rel * |b| + abs for every value of at least `floor` (1 %) of
 * the largest magnitude, and |a - b| <= rel * max|b| + abs (norm-wise) for the smaller ones,
 * where a relative test is meaningless (e.g. the coefficient of an all-zero column, whose
 * optimum 0 is pinned only by the penalty's gradient w / (C·n)).
 */
export function relClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number, floor = 1e-2): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  let big = 0;
  for (let i = 0; i < b.length; i++) big = Math.max(big, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    const scale = Math.abs(b[i]) >= floor * big ? Math.abs(b[i]) : big;
    if (!(Math.abs(a[i] - b[i]) <= rel * scale + abs)) return `index ${i}: ${a[i]} vs ${b[i]} (largest ${big})`;
  }
  return null;
}

/** Compares wasmlearn's fitted attributes with scikit-learn's (exact except the LR solution). */
export function checkFitted(model: Estimator, fitted: Record<string, Record<string, Json>>, coefRel = 1e-4): void {
  for (const [path, attrs] of Object.entries(fitted)) {
    const est = resolve(model, path);
    for (const [name, raw] of Object.entries(attrs)) {
      const want = decode(raw);
      const where = `${path}.${name}`;
      switch (name) {
        // +0 and -0 count as equal: which signed zero numpy's (unstable) sort puts first in a
        // run of zeros is arbitrary, and imputing either gives identical outputs.
        case 'statistics_': expect(est.statistics_.map(unsignZero), where).toEqual(want.map(unsignZero)); break;
        case 'mean_': case 'var_': case 'scale_': {
          const got = est[name];
          if (want === null) expect(got, where).toBeNull(); else expect(Array.from(got), where).toEqual(want);
          break;
        }
        case 'categories_': expect(est.categories_, where).toEqual(want); break;
        case 'drop_idx_': expect(est.dropIdx_, where).toEqual(want); break;
        case 'n_features_in_': expect(est.nFeaturesIn_, where).toBe(want); break;
        case 'feature_names_in_': expect(est.featureNamesIn_, where).toEqual(want); break;
        case 'classes_': expect(est.classes_, where).toEqual(want); break;
        case 'coef_': expect(relClose(est.coef_.data, flat(want), coefRel, 1e-8), where).toBeNull(); break;
        case 'intercept_': expect(relClose(est.intercept_, flat(want), coefRel, 1e-8), where).toBeNull(); break;
        case 'n_samples_seen_': {
          const got = est.nSamplesSeen_;
          expect(typeof got === 'number' ? got : Array.from(got), where).toEqual(want);
          break;
        }
        default: break; // n_iter_ differs by construction (different line search)
      }
    }
  }
}


/**
 * scikit-learn's logistic-regression objective, sum form: Σ_i logloss_i + ||W||² / (2C)
 * (intercept not penalised), at coefficient rows `coef` (k x d) and `intercept` (k), on the
 * preprocessed training matrix Z. k = 1: binary with classes[1] positive; k > 1: softmax.
 */
export function lrObjective(Z: { rows: number; cols: number; get(i: number, j: number): number }, y: readonly unknown[],
  classes: readonly unknown[], coef: ArrayLike<number>, intercept: ArrayLike<number>, C: number, penalty = 'l2'): number {
  const d = Z.cols, k = intercept.length;
  let f = 0;
  const z = new Float64Array(k);
  for (let i = 0; i < Z.rows; i++) {
    for (let c = 0; c < k; c++) { let s = intercept[c]; for (let j = 0; j < d; j++) s += Z.get(i, j) * coef[c * d + j]; z[c] = s; }
    if (k === 1) {
      const t = y[i] === classes[1] ? 1 : 0;
      f += Math.max(z[0], 0) + Math.log1p(Math.exp(-Math.abs(z[0]))) - t * z[0];
    } else {
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, z[c]);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(z[c] - m);
      f += m + Math.log(s) - z[classes.indexOf(y[i])];
    }
  }
  if (penalty === 'l2') for (let j = 0; j < coef.length; j++) f += (0.5 / C) * coef[j] * coef[j];
  return f;
}
