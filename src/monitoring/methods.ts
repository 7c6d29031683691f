/**
 * Per-column drift methods over two column profiles (reference, current), with
 * Evidently's conventions for binning, smoothing and thresholds.
 */
import { WasmlearnError, show } from '../core/errors.js';
import { driftFns } from './drift-api.js';
import type { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile } from './profile.js';

/** Drift methods a report can run on a column. */
export type DriftMethod = 'ks' | 'chisquare' | 'wasserstein' | 'jensenshannon' | 'kl' | 'psi' | 'hellinger';
export const DRIFT_METHODS: readonly DriftMethod[] = ['ks', 'chisquare', 'wasserstein', 'jensenshannon', 'kl', 'psi', 'hellinger'];

/** Methods that give a p-value (drift when p < threshold); the others give a distance (drift when >= threshold). */
export const PVALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare']);

/** Default threshold per method (Evidently's defaults). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05, chisquare: 0.05, wasserstein: 0.1, jensenshannon: 0.1, kl: 0.1, psi: 0.1, hellinger: 0.1,
};

/** Outcome of one method on one column. `statistic` is null when infinite (see `note`). */
export interface MethodResult {
  statistic: number | null;
  pvalue: number | null;
  note?: string;
}

/**
 * Paired counts of the reference and current data over common keys: exact value
 * counts for numeric columns with at most 20 distinct values in both profiles, else
 * the histogram bins plus the below / above overflow bins; categories plus `other` for
 * categorical columns. Keys empty in both are dropped.
 * @internal
 */
export function pairedCounts(ref: ColumnProfile, cur: ColumnProfile): { ref: Float64Array; cur: Float64Array } {
  let a: number[], b: number[];
  if (ref.type === 'numeric' && cur.type === 'numeric') {
    if (ref.distinct && cur.distinct) {
      const keys = [...new Set([...ref.distinct.keys(), ...cur.distinct.keys()])].sort((x, y) => x - y);
      a = keys.map((k) => ref.distinct!.get(k) ?? 0);
      b = keys.map((k) => cur.distinct!.get(k) ?? 0);
    } else {
      a = [ref.below, ...ref.counts, ref.above];
      b = [cur.below, ...cur.counts, cur.above];
    }
  } else {
    const r = ref as CategoricalColumnProfile, c = cur as CategoricalColumnProfile;
    a = [...r.counts, r.other];
    b = [...c.counts, c.other];
  }
  const ra: number[] = [], rb: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] > 0 || b[i] > 0) { ra.push(a[i]); rb.push(b[i]); }
  return { ref: Float64Array.from(ra), cur: Float64Array.from(rb) };
}

/** Shares with Evidently's zero fill: empty shares become 1e-4, or min share / 1e6 when the smallest non-zero share is <= 1e-4. */
function fillZeros(counts: Float64Array): Float64Array {
  const total = counts.reduce((s, v) => s + v, 0);
  const p = counts.map((v) => v / total);
  let min = Infinity;
  for (const v of p) if (v > 0 && v < min) min = v;
  const fill = min <= 1e-4 ? min / 1e6 : 1e-4;
  return p.map((v) => (v === 0 ? fill : v));
}

const share = (c: Float64Array) => { const t = c.reduce((s, v) => s + v, 0); return c.map((v) => v / t); };

/** Number of distinct non-missing values in both profiles together; Infinity when more than 20. @internal */
export function nUnique(ref: ColumnProfile, cur: ColumnProfile): number {
  if (ref.type === 'numeric' && cur.type === 'numeric') {
    if (!ref.distinct || !cur.distinct) return Infinity;
    return new Set([...ref.distinct.keys(), ...cur.distinct.keys()]).size;
  }
  const { ref: a } = pairedCounts(ref, cur);
  return a.length;
}

/**
 * Runs one drift method on a column. Both profiles must have non-missing values.
 *
 * - `ks`: scipy `ks_2samp` on the two bounded samples (exact while each column has at most `sampleSize` values).
 * - `chisquare`: scipy `chisquare` of the current counts against the reference counts
 *   scaled to the current total (Evidently's `chi_stat_test`); a key present only in the
 *   current data gives an infinite statistic (null) and p = 0.
 * - `wasserstein`: scipy `wasserstein_distance` of the samples divided by
 *   max(reference std, 0.001) (Evidently's normed Wasserstein).
 * - `jensenshannon`: scipy `jensenshannon` (natural log, a distance) of the shares.
 * - `kl`: scipy `entropy(reference, current)` of the shares after Evidently's zero fill.
 * - `psi`: sum (ref - cur) ln(ref / cur) of the shares, empty shares replaced by 1e-4.
 * - `hellinger`: Hellinger distance of the shares.
 * @internal
 */
export function runMethod(method: DriftMethod, ref: ColumnProfile, cur: ColumnProfile): MethodResult {
  const numeric = ref.type === 'numeric' && cur.type === 'numeric';
  if ((method === 'ks' || method === 'wasserstein') && !numeric) {
    throw new WasmlearnError('INVALID_PARAM', `Drift method '${method}' needs a numeric column, but column ${show(ref.name)} is categorical. Use 'chisquare', 'jensenshannon', 'kl', 'psi' or 'hellinger'.`, { column: ref.name, field: 'method' });
  }
  switch (method) {
    case 'ks': {
      const r = driftFns.ks2samp((ref as NumericColumnProfile).sample.values(), (cur as NumericColumnProfile).sample.values());
      return { statistic: r.statistic, pvalue: r.pvalue };
    }
    case 'wasserstein': {
      const rp = ref as NumericColumnProfile;
      const norm = Math.max(Math.sqrt(rp.m2 / rp.count), 0.001);
      return { statistic: driftFns.wassersteinDistance(rp.sample.values(), (cur as NumericColumnProfile).sample.values()) / norm, pvalue: null };
    }
    case 'chisquare': {
      const { ref: a, cur: b } = pairedCounts(ref, cur);
      if (a.length < 2) return { statistic: 0, pvalue: 1, note: 'a single value in both data sets: no difference to test' };
      const ta = a.reduce((s, v) => s + v, 0), tb = b.reduce((s, v) => s + v, 0);
      const expected = a.map((v) => (v * tb) / ta);
      const unseen = expected.findIndex((e, i) => e === 0 && b[i] > 0);
      if (unseen >= 0) return { statistic: null, pvalue: 0, note: 'the current data holds values absent from the reference (infinite chi-square statistic)' };
      const r = driftFns.chisquare(b, expected);
      return { statistic: r.statistic, pvalue: r.pvalue };
    }
    case 'jensenshannon': {
      const { ref: a, cur: b } = pairedCounts(ref, cur);
      return { statistic: driftFns.jensenshannon(share(a), share(b)), pvalue: null };
    }
    case 'kl': {
      const { ref: a, cur: b } = pairedCounts(ref, cur);
      return { statistic: driftFns.entropy(fillZeros(a), fillZeros(b)), pvalue: null };
    }
    case 'psi': {
      const { ref: a, cur: b } = pairedCounts(ref, cur);
      return { statistic: driftFns.psi(share(a), share(b), { epsilon: 1e-4 }), pvalue: null };
    }
    case 'hellinger': {
      const { ref: a, cur: b } = pairedCounts(ref, cur);
      return { statistic: driftFns.hellinger(share(a), share(b)), pvalue: null };
    }
    default:
      throw new WasmlearnError('INVALID_PARAM', `Unknown drift method ${show(method)} for column ${show(ref.name)}; expected one of ${DRIFT_METHODS.map((m) => `'${m}'`).join(', ')}.`, { column: ref.name, field: 'method' });
  }
}

/** Whether a result is drift under a threshold: p < threshold for p-value methods, statistic >= threshold otherwise (an infinite statistic is drift). @internal */
export function isDrift(method: DriftMethod, r: MethodResult, threshold: number): boolean {
  if (PVALUE_METHODS.has(method)) return r.pvalue !== null && r.pvalue < threshold;
  return r.statistic === null || r.statistic >= threshold;
}
