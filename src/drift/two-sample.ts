/**
 * Two-sample statistics on raw values: `ks2samp` (scipy.stats.ks_2samp, scipy 1.10
 * behaviour) and `wassersteinDistance` (scipy.stats.wasserstein_distance). Samples are
 * sorted in WebAssembly (radix sort) and compared in one merge walk.
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';
import { driftKernels } from '../kernels/index.js';
import { binom, kstwoSf } from './special.js';
import { nonEmpty, noNaN, oneOf, sameLength, toF64 } from './validate.js';

/** Options of {@link ks2samp}. */
export interface Ks2sampOptions {
  /** 'auto' (default): exact when max(n1, n2) <= 10000, else asymptotic; 'exact'; 'asymp'. */
  method?: 'auto' | 'exact' | 'asymp';
  /** 'two-sided' (default), 'less' or 'greater' (the null: F1 >= F2, resp. F1 <= F2). */
  alternative?: 'two-sided' | 'less' | 'greater';
}

/** Statistic and p-value of a test. */
export interface TestResult { statistic: number; pvalue: number }

function gcd(a: number, b: number): number { while (b) { [a, b] = [b, a % b]; } return a; }

/** scipy _compute_prob_outside_square: P(D_{n,n} >= h/n), Horner form. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k -= 1;
  }
  return 2 * P;
}

/** scipy _compute_outer_prob_inside_method: 1 - P(paths stay inside |x/m - y/n| < h/lcm). */
function outerProbInside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g, ng = n / g;
  let minj = 0, maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj, lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) for (let t = maxj - minj; t < maxj - minj + (lastlen - curlen) && t < lenA; t++) A[t] = 1;
  }
  return A[maxj - minj - 1];
}

/** scipy _count_paths_outside_method (one-sided exact, m != n). */
function countPathsOutside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = Math.floor(m / g), ng = Math.floor(n / g);
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj === 0) return binom(m + n, n);
  const xj = Array.from({ length: lxj }, (_, j) => Math.floor((h + mg * j + ng - 1) / ng));
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let Bj = binom(xj[j] + j, j);
    for (let i = 0; i < j; i++) Bj -= binom(xj[j] - xj[i] + j - i, j - i) * B[i];
    B[j] = Bj;
  }
  let num = 0;
  for (let j = 0; j < lxj; j++) num += B[j] * binom(m - xj[j] + (n - j), n - j);
  return num;
}

function attemptExact(n1: number, n2: number, g: number, d: number, alternative: string): { ok: boolean; d: number; p: number } {
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  d = (h * 1.0) / lcm;
  if (h === 0) return { ok: true, d, p: 1 };
  let p = NaN;
  if (alternative === 'two-sided') {
    p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  } else if (n1 === n2) {
    p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1.0);
  } else {
    const num = countPathsOutside(n1, n2, g, h);
    const bin = binom(n1 + n2, n1);
    if (!Number.isFinite(num) || num > bin || !Number.isFinite(bin)) return { ok: false, d, p: NaN };
    p = num / bin;
  }
  if (!Number.isFinite(p)) return { ok: false, d, p: NaN };
  if (!(p >= 0 && p <= 1)) return { ok: false, d, p };
  return { ok: true, d, p };
}

/**
 * Two-sample Kolmogorov-Smirnov test, equal to scipy.stats.ks_2samp (scipy 1.10):
 * the statistic is the largest gap between the empirical CDFs (signed for 'less' /
 * 'greater'); the p-value is exact (lattice-path counting) when `method` is 'exact', or
 * 'auto' with max(n1, n2) <= 10000, and asymptotic otherwise (kstwo.sf(D, round(n1 n2 /
 * (n1 + n2))) two-sided, Hodges' approximation one-sided). An exact computation that
 * overflows falls back to the asymptotic one, as scipy does. ±Infinity is allowed.
 * Cost: O(n) radix sort of both samples plus one merge walk.
 * @param a - First sample (no NaN).
 * @param b - Second sample (no NaN).
 * @param options - `method` (default 'auto'), `alternative` (default 'two-sided').
 * @returns `{ statistic, pvalue }`.
 * @throws WasmlearnError EMPTY_INPUT for an empty sample; INVALID_INPUT for NaN (naming the argument and index) and for the asymptotic two-sided p-value of two samples of size 1 (scipy returns NaN); INVALID_PARAM for a bad option.
 * @example
 * ks2samp([1, 2, 3], [4, 5, 6]) // => { statistic: 1, pvalue: 0.09999999999999998 }
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>, options: Ks2sampOptions = {}): TestResult {
  const fn = 'ks2samp';
  let method = oneOf(fn, 'method', options.method ?? 'auto', ['auto', 'exact', 'asymp'] as const);
  const alternative = oneOf(fn, 'alternative', options.alternative ?? 'two-sided', ['two-sided', 'less', 'greater'] as const);
  const x = toF64(fn, 'a', a), y = toF64(fn, 'b', b);
  nonEmpty(fn, 'a', x); nonEmpty(fn, 'b', y);
  const n1 = x.length, n2 = y.length;
  // the kernel reports NaN (it sorts them out); only then is the input scanned for the error
  const { max, min } = driftKernels().ksExtremesUnsorted(x, y);
  if (Number.isNaN(max)) { noNaN(fn, 'a', x, true); noNaN(fn, 'b', y, true); }
  const minS = Math.min(Math.max(-min, 0), 1);
  const maxS = max;
  let d = alternative === 'less' || (alternative === 'two-sided' && minS > maxS) ? minS : maxS;
  const g = gcd(n1, n2);
  const n1g = n1 / g, n2g = n2 / g;
  let prob = -Infinity;
  if (method === 'auto') method = Math.max(n1, n2) <= 10000 ? 'exact' : 'asymp';
  else if (method === 'exact' && n1g >= 2147483647 / n2g) method = 'asymp';
  if (method === 'exact') {
    const r = attemptExact(n1, n2, g, d, alternative);
    d = r.d;
    if (r.ok) prob = r.p; else method = 'asymp';
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2), n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') {
      const nEff = roundHalfEven(en);
      if (nEff < 1) {
        // scipy returns NaN here (kstwo with n = 0); refuse instead
        throw new WasmlearnError('INVALID_INPUT',
          `${fn}: the asymptotic two-sided p-value is undefined for samples of sizes ${n1} and ${n2} (effective size rounds to 0); use method: 'exact'.`,
          { estimator: fn, field: 'method' });
      }
      prob = kstwoSf(nEff, d);
    }
    else {
      const z = Math.sqrt(en) * d;
      const expt = -2 * z ** 2 - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3.0;
      prob = Math.exp(expt);
    }
  }
  prob = Math.min(Math.max(prob, 0), 1);
  return { statistic: d, pvalue: prob };
}

/** numpy.round: halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function cumulativeWeights(fn: string, arg: string, w: Float64Array, order: Uint32Array): Float64Array {
  const cw = new Float64Array(w.length + 1);
  for (let i = 0; i < w.length; i++) cw[i + 1] = cw[i] + w[order[i]];
  if (!(cw[w.length] > 0) || !Number.isFinite(cw[w.length])) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: '${arg}' must sum to a positive finite number, got ${show(cw[w.length])}.`, { estimator: fn, field: arg });
  }
  return cw;
}

function checkWeights(fn: string, arg: string, w: Float64Array): void {
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0) || w[i] === Infinity) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: '${arg}'[${i}] is ${show(w[i])}; weights must be finite and non-negative.`, { estimator: fn, field: arg, row: i });
    }
  }
}

/**
 * First Wasserstein (earth mover's) distance between two samples, equal to
 * scipy.stats.wasserstein_distance: ∫ |U(x) - V(x)| dx over the empirical CDFs U, V
 * (weighted when weights are given). Values must be finite. Cost: O(n) radix sort of each
 * sample (unweighted) plus one merge walk; the sum is compensated, so it matches numpy's
 * pairwise sum to ~1e-15 relative.
 * @param u - First sample.
 * @param v - Second sample.
 * @param uWeights - Optional non-negative weights for u (same length, positive sum).
 * @param vWeights - Optional weights for v.
 * @returns The distance (in the units of the values).
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT (NaN, infinite values, bad weights), LENGTH_MISMATCH (weights).
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]) // => 5
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>, uWeights?: ArrayLike<number>, vWeights?: ArrayLike<number>): number {
  const fn = 'wassersteinDistance';
  const x = toF64(fn, 'u', u), y = toF64(fn, 'v', v);
  nonEmpty(fn, 'u', x); nonEmpty(fn, 'v', y);
  const k = driftKernels();
  if (uWeights == null && vWeights == null) {
    // NaN or ±Infinity in a sample make the result non-finite; only then is the input
    // scanned for the error (a finite result proves there was none)
    const w = k.wassersteinUnsorted(x, y);
    if (!Number.isFinite(w)) { noNaN(fn, 'u', x, false); noNaN(fn, 'v', y, false); }
    return w;
  }
  noNaN(fn, 'u', x, false); noNaN(fn, 'v', y, false);
  const sortWith = (vals: Float64Array, wArg: string, weights: ArrayLike<number> | undefined): { s: Float64Array; cw: Float64Array | null } => {
    if (weights == null) return { s: k.sortedNonNaN(vals), cw: null };
    const w = toF64(fn, wArg, weights);
    sameLength(fn, wArg === 'uWeights' ? 'u' : 'v', vals, wArg, w);
    checkWeights(fn, wArg, w);
    const order = new Uint32Array(vals.length).map((_, i) => i).sort((i, j) => vals[i] - vals[j]);
    return { s: Float64Array.from(order, (i) => vals[i]), cw: cumulativeWeights(fn, wArg, w, order) };
  };
  const U = sortWith(x, 'uWeights', uWeights), V = sortWith(y, 'vWeights', vWeights);
  return k.wassersteinSorted(U.s, V.s, U.cw, V.cw);
}
