/**
 * Divergences between two distributions over the same bins, with scipy's semantics:
 * `entropy` (scipy.stats.entropy), `relEntr` / `klDiv` (scipy.special), `jensenshannon`
 * (scipy.spatial.distance), plus `psi` (population stability index, Evidently's
 * empty-bin rule) and `hellinger`. Inputs are counts or probabilities per bin; sums
 * follow numpy's pairwise order.
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';
import { driftKernels } from '../kernels/index.js';
import { DIVERGENCE } from '../kernels/drift.js';
import { distribution, logBase, sameLength, toF64 } from './validate.js';

function normalised(fn: string, arg: string, values: ArrayLike<number>): Float64Array {
  const x = toF64(fn, arg, values);
  distribution(fn, arg, x);
  const s = driftKernels().pairwiseSum(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (1.0 * x[i]) / s;
  return out;
}

function pair(fn: string, p: ArrayLike<number>, q: ArrayLike<number>, pName = 'p', qName = 'q'): [Float64Array, Float64Array] {
  const a = normalised(fn, pName, p);
  const b = normalised(fn, qName, q);
  sameLength(fn, pName, a, qName, b);
  return [a, b];
}

/**
 * Shannon entropy of pk, or the Kullback-Leibler divergence D(pk || qk) when qk is given,
 * as scipy.stats.entropy: both inputs are normalised to sum 1; S = -Σ pk log pk, or
 * Σ pk log(pk / qk) (Infinity when some qk = 0 where pk > 0). Natural log unless `base`.
 * @param pk - Counts or probabilities (finite, non-negative, not all 0).
 * @param qk - Optional second distribution of the same length.
 * @param options - `base`: logarithm base (default e).
 * @returns The entropy or divergence.
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT (negative, non-finite or all-zero entries), LENGTH_MISMATCH, INVALID_PARAM (base).
 * @example
 * entropy([1, 1]) // => 0.6931471805599453
 */
export function entropy(pk: ArrayLike<number>, qk?: ArrayLike<number> | null, options: { base?: number } = {}): number {
  const fn = 'entropy';
  const base = logBase(fn, options.base);
  let s: number;
  if (qk == null) s = driftKernels().divergenceSum(normalised(fn, 'pk', pk), null, DIVERGENCE.entropy, 0);
  else {
    const [p, q] = pair(fn, pk, qk, 'pk', 'qk');
    s = driftKernels().divergenceSum(p, q, DIVERGENCE.relEntr, 0);
  }
  return base === undefined ? s : s / Math.log(base);
}

function elementwise(fn: string, p: ArrayLike<number>, q: ArrayLike<number>, f: (x: number, y: number) => number): Float64Array {
  const a = toF64(fn, 'p', p), b = toF64(fn, 'q', q);
  sameLength(fn, 'p', a, 'q', b);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    for (const [name, v] of [['p', x], ['q', y]] as const) {
      if (!(v >= 0) || v === Infinity) {
        throw new WasmlearnError('INVALID_INPUT', `${fn}: '${name}'[${i}] is ${show(v)}; entries must be finite and non-negative.`, { estimator: fn, field: name, row: i });
      }
    }
    out[i] = f(x, y);
  }
  return out;
}

/**
 * Elementwise relative entropy, scipy.special.rel_entr: x log(x / y) for x, y > 0; 0 for
 * x = 0, y >= 0; Infinity for x > 0, y = 0. No normalisation. Sum it for the KL divergence.
 * @param p - First array (finite, non-negative).
 * @param q - Second array, same length.
 * @returns The terms.
 * @throws WasmlearnError INVALID_INPUT for negative or non-finite entries; LENGTH_MISMATCH.
 * @example
 * relEntr([0.5, 0.5], [0.25, 0.75]) // => Float64Array [0.34657359027997264, -0.2027325540540822]
 */
export function relEntr(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  return elementwise('relEntr', p, q, (x, y) => (x > 0 && y > 0 ? x * Math.log(x / y) : x === 0 ? 0 : Infinity));
}

/**
 * Elementwise Kullback-Leibler term, scipy.special.kl_div: x log(x / y) - x + y for
 * x, y > 0; y for x = 0; Infinity for x > 0, y = 0. Every term is >= 0.
 * @param p - First array (finite, non-negative).
 * @param q - Second array, same length.
 * @returns The terms.
 * @throws WasmlearnError INVALID_INPUT for negative or non-finite entries; LENGTH_MISMATCH.
 * @example
 * klDiv([0.5, 0], [0.25, 1]) // => Float64Array [0.09657359027997264, 1]
 */
export function klDiv(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  return elementwise('klDiv', p, q, (x, y) => (x > 0 && y > 0 ? x * Math.log(x / y) - x + y : x === 0 ? y : Infinity));
}

/**
 * Jensen-Shannon distance, scipy.spatial.distance.jensenshannon: p and q are normalised,
 * m = (p + q) / 2, JS = sqrt((D(p||m) + D(q||m)) / 2). A distance (the square root of
 * the divergence), symmetric, in [0, sqrt(ln 2)] with the natural log (default) and in
 * [0, 1] with base 2.
 * @param p - Counts or probabilities per bin.
 * @param q - Same length.
 * @param options - `base`: logarithm base (default e).
 * @returns The distance.
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT, LENGTH_MISMATCH, INVALID_PARAM.
 * @example
 * jensenshannon([1, 0], [0, 1], { base: 2 }) // => 1
 */
export function jensenshannon(p: ArrayLike<number>, q: ArrayLike<number>, options: { base?: number } = {}): number {
  const fn = 'jensenshannon';
  const base = logBase(fn, options.base);
  const [a, b] = pair(fn, p, q);
  let js = driftKernels().divergenceSum(a, b, DIVERGENCE.jensenShannon, 0);
  if (base !== undefined) js /= Math.log(base);
  // Rounding can leave a sum of -1e-17 for (nearly) equal inputs, where scipy returns NaN
  // from the square root; the divergence is 0 there.
  return Math.sqrt(Math.max(js, 0) / 2.0);
}

/**
 * Population stability index between expected (reference) and actual (current) bins:
 * both are normalised to shares; a share of exactly 0 is replaced by `epsilon` (default
 * 1e-4, Evidently's rule, so an empty bin gives a large finite term instead of
 * Infinity); PSI = Σ (a - e) ln(a / e) >= 0. Rules of thumb: < 0.1 stable, 0.1-0.25
 * moderate shift, > 0.25 large shift.
 * @param expected - Reference counts or shares per bin.
 * @param actual - Current counts or shares, same length.
 * @param options - `epsilon`: share used for empty bins (default 1e-4, > 0).
 * @returns The PSI.
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT, LENGTH_MISMATCH, INVALID_PARAM (epsilon).
 * @example
 * psi([50, 50], [50, 50]) // => 0
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, options: { epsilon?: number } = {}): number {
  const fn = 'psi';
  const eps = options.epsilon ?? 1e-4;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: the 'epsilon' option must be a finite number > 0. Got ${show(eps)} instead.`, { estimator: fn, field: 'epsilon' });
  }
  const [e, a] = pair(fn, expected, actual, 'expected', 'actual');
  return driftKernels().divergenceSum(e, a, DIVERGENCE.psi, eps);
}

/**
 * Hellinger distance between two distributions after normalising both:
 * H = (1 / sqrt 2) ‖sqrt p - sqrt q‖₂, in [0, 1]. This equals sqrt(1 - Σ sqrt(p q)) but
 * the norm form is used because it keeps accuracy when p ≈ q (no 1 - x cancellation).
 * @param p - Counts or probabilities per bin.
 * @param q - Same length.
 * @returns The distance.
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT, LENGTH_MISMATCH.
 * @example
 * hellinger([1, 0], [0, 1]) // => 1
 */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [a, b] = pair('hellinger', p, q);
  return Math.sqrt(driftKernels().divergenceSum(a, b, DIVERGENCE.hellinger, 0)) / Math.SQRT2;
}
