/**
 * Histograms and bin edges with numpy semantics: `histogram` (numpy.histogram on given
 * edges, NaN and out-of-range values reported instead of dropped), `quantileEdges`
 * (numpy.quantile, method 'linear') and `histogramBinEdges` (numpy.histogram_bin_edges).
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';
import { driftKernels } from '../kernels/index.js';
import { toF64, oneOf } from './validate.js';

/** Counts of {@link histogram}. */
export interface HistogramResult {
  /** One count per bin: bin i is [edges[i], edges[i+1]), the last bin is closed. */
  counts: Float64Array;
  /** NaN values (numpy drops them silently). */
  nanCount: number;
  /** Values below edges[0] (including -Infinity). */
  below: number;
  /** Values above the last edge (including +Infinity). */
  above: number;
}

function checkEdges(fn: string, edges: Float64Array): void {
  if (edges.length < 2) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: 'edges' must hold at least 2 values, got ${edges.length}.`, { estimator: fn, field: 'edges' });
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: 'edges'[${i}] is ${show(edges[i])}; edges must be finite.`, { estimator: fn, field: 'edges', row: i });
    }
    if (i > 0 && edges[i] < edges[i - 1]) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: 'edges' must be non-decreasing, but edges[${i}] = ${edges[i]} < edges[${i - 1}] = ${edges[i - 1]}.`,
        { estimator: fn, field: 'edges', row: i });
    }
  }
}

function isUniform(edges: Float64Array): boolean {
  const m = edges.length, e0 = edges[0], w = (edges[m - 1] - e0) / (m - 1);
  if (!(w > 0)) return false;
  for (let i = 1; i < m - 1; i++) if (Math.abs(edges[i] - (e0 + i * w)) > 0.25 * w) return false;
  return true;
}

/**
 * Counts values into bins on given edges, as numpy.histogram(values, edges) does: bin i
 * holds edges[i] <= x < edges[i+1], the last bin also holds x equal to the last edge.
 * Unlike numpy, NaN values and values outside the edges are counted apart rather than
 * dropped, so `sum(counts) + nanCount + below + above` always equals `values.length`.
 * Cost: O(n): an exact lookup table over the distinct edge values (up to 259 of them, and
 * unless the last edge repeats), else a lookup-table guess corrected against the edges.
 * @param values - The values (NaN and ±Infinity allowed).
 * @param edges - At least 2 finite, non-decreasing bin edges.
 * @returns Per-bin counts plus the NaN, below-range and above-range counts.
 * @throws WasmlearnError INVALID_INPUT when edges are fewer than 2, non-finite or decreasing, or a value is not a number.
 * @example
 * histogram([0.5, 1, 2, 7, NaN], [0, 1, 2]) // => { counts: Float64Array [1, 2], nanCount: 1, below: 0, above: 1 }
 */
export function histogram(values: ArrayLike<number>, edges: ArrayLike<number>): HistogramResult {
  const fn = 'histogram';
  const x = toF64(fn, 'values', values);
  const e = toF64(fn, 'edges', edges);
  checkEdges(fn, e);
  return driftKernels().histogramSlots(x, e, isUniform(e));
}

/** numpy._lerp: a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** numpy.quantile (method 'linear') of sorted values at probabilities qs, given a rank lookup. */
function quantilesFromRanks(n: number, qs: number[]): { ranks: number[]; finish: (vals: number[]) => number[] } {
  const idx: number[] = [];
  const plan = qs.map((q) => {
    const v = (n - 1) * q;
    let lo = Math.floor(v);
    let hi = lo + 1;
    if (v >= n - 1) { lo = n - 1; hi = n - 1; }
    const prevForGamma = v >= n - 1 ? -1 : lo;
    const gamma = v - prevForGamma;
    idx.push(lo, hi);
    return { gamma, at: idx.length - 2 };
  });
  const ranks = [...new Set(idx)].sort((a, b) => a - b);
  return {
    ranks,
    finish: (vals) => {
      const byRank = new Map<number, number>();
      ranks.forEach((r, i) => byRank.set(r, vals[i]));
      return plan.map(({ gamma, at }) => lerp(byRank.get(idx[at])!, byRank.get(idx[at + 1])!, gamma));
    },
  };
}

/** Quantiles of the non-NaN values (numpy.quantile 'linear'); throws on all-NaN or infinite values. */
export function nanQuantiles(fn: string, x: Float64Array, qs: number[]): number[] {
  let planned: ReturnType<typeof quantilesFromRanks> | undefined;
  const { count, values } = driftKernels().sortedAt(x, (n) => {
    if (n === 0) return [];
    planned = quantilesFromRanks(n, qs);
    return [0, ...planned.ranks, n - 1];
  });
  if (count === 0) {
    throw new WasmlearnError('EMPTY_INPUT', `${fn}: 'values' has no non-NaN values (${x.length} values, all NaN or empty).`, { estimator: fn, field: 'values' });
  }
  if (!Number.isFinite(values[0]) || !Number.isFinite(values[values.length - 1])) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: 'values' contains ${show(Number.isFinite(values[0]) ? values[values.length - 1] : values[0])}; quantiles need finite values.`, { estimator: fn, field: 'values' });
  }
  return planned!.finish(values.slice(1, values.length - 1));
}

/**
 * Bin edges at evenly spaced quantiles of the non-NaN values: `numpy.quantile(values[~isnan],
 * numpy.linspace(0, 1, nBins + 1))` with numpy's default 'linear' method (probabilities
 * i * (1 / nBins), the last exactly 1). Edges can repeat when values tie. Cost: O(n)
 * selection in WebAssembly (the values are counted into equal-width buckets as they are
 * copied in, then only the buckets holding the needed ranks are gathered and refined; no
 * full sort).
 * @param values - The reference values; NaN is ignored.
 * @param nBins - Number of bins (a positive integer).
 * @returns nBins + 1 non-decreasing edges.
 * @throws WasmlearnError INVALID_PARAM for a bad nBins; EMPTY_INPUT when there is no non-NaN value; INVALID_INPUT for infinite values.
 * @example
 * quantileEdges([1, 2, 3, 4, 5], 4) // => Float64Array [1, 2, 3, 4, 5]
 */
export function quantileEdges(values: ArrayLike<number>, nBins: number): Float64Array {
  const fn = 'quantileEdges';
  if (!Number.isInteger(nBins) || nBins < 1) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: 'nBins' must be a positive integer. Got ${show(nBins)} instead.`, { estimator: fn, field: 'nBins' });
  }
  const x = toF64(fn, 'values', values);
  const step = 1 / nBins;
  const qs = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step));
  return Float64Array.from(nanQuantiles(fn, x, qs));
}

/** Bin-count rules of {@link histogramBinEdges}, named as in numpy. */
export type BinRule = 'auto' | 'sturges' | 'fd' | 'sqrt' | 'scott' | 'rice' | 'doane';
const RULES: readonly BinRule[] = ['auto', 'sturges', 'fd', 'sqrt', 'scott', 'rice', 'doane'];

function meanStd(x: Float64Array): { mean: number; std: number } {
  const k = driftKernels();
  const mean = k.pairwiseSum(x) / x.length;
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) { const t = Math.abs(x[i] - mean); d[i] = t * t; }
  return { mean, std: Math.sqrt(k.pairwiseSum(d) / x.length) };
}

function binWidth(rule: BinRule, x: Float64Array, min: number, max: number): number {
  const n = x.length;
  const ptp = max - min;
  const sturges = () => ptp / (Math.log2(n) + 1);
  const fd = () => {
    const [q75, q25] = nanQuantiles('histogramBinEdges', x, [0.75, 0.25]);
    return 2 * (q75 - q25) * Math.pow(n, -1 / 3);
  };
  switch (rule) {
    case 'sqrt': return ptp / Math.sqrt(n);
    case 'sturges': return sturges();
    case 'rice': return ptp / (2 * Math.pow(n, 1 / 3));
    case 'scott': return Math.pow((24 * Math.pow(Math.PI, 0.5)) / n, 1 / 3) * meanStd(x).std;
    case 'fd': return fd();
    case 'doane': {
      if (n <= 2) return 0;
      const sg1 = Math.sqrt((6 * (n - 2)) / ((n + 1) * (n + 3)));
      const { mean, std } = meanStd(x);
      if (!(std > 0)) return 0;
      const t = new Float64Array(n);
      for (let i = 0; i < n; i++) t[i] = Math.pow((x[i] - mean) / std, 3);
      const g1 = driftKernels().pairwiseSum(t) / n;
      return ptp / (1 + Math.log2(n) + Math.log2(1 + Math.abs(g1) / sg1));
    }
    default: {
      const f = fd(), s = sturges();
      return f ? Math.min(f, s) : s;
    }
  }
}

/**
 * Evenly spaced bin edges as numpy.histogram_bin_edges computes them: a fixed number of
 * bins, or a rule ('auto' = min of 'fd' and 'sturges' widths, 'sturges', 'fd', 'sqrt',
 * 'scott', 'rice', 'doane'). The range is [min, max] of the non-NaN values (or `range`;
 * with a rule only values inside it are used); when min === max the range becomes
 * [min - 0.5, max + 0.5], as numpy does. NaN values are ignored (numpy would fail).
 * @param values - The reference values.
 * @param bins - Number of bins or a rule name (default 10).
 * @param range - Optional [lower, upper] range, finite, lower <= upper.
 * @returns The edges: linspace(lower, upper, nBins + 1).
 * @throws WasmlearnError INVALID_PARAM for a bad bins or range; EMPTY_INPUT when there is no non-NaN value and no range; INVALID_INPUT for infinite values.
 * @example
 * histogramBinEdges([1, 2, 3, 4], 3) // => Float64Array [1, 2, 3, 4]
 */
export function histogramBinEdges(values: ArrayLike<number>, bins: number | BinRule = 10, range?: [number, number]): Float64Array {
  const fn = 'histogramBinEdges';
  let x = toF64(fn, 'values', values);
  let lo: number, hi: number;
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || range[0] > range[1]) {
      throw new WasmlearnError('INVALID_PARAM', `${fn}: 'range' must be [lower, upper] with finite lower <= upper. Got ${show(range)} instead.`, { estimator: fn, field: 'range' });
    }
    [lo, hi] = range;
  } else {
    const mm = driftKernels().minMaxCount(x);
    if (mm.count === 0) {
      throw new WasmlearnError('EMPTY_INPUT', `${fn}: 'values' has no non-NaN values (${x.length} values); pass 'range' or some data.`, { estimator: fn, field: 'values' });
    }
    if (!Number.isFinite(mm.min) || !Number.isFinite(mm.max)) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: autodetected range of [${mm.min}, ${mm.max}] is not finite; remove infinite values or pass 'range'.`, { estimator: fn, field: 'values' });
    }
    lo = mm.min; hi = mm.max;
  }
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  let nBins: number;
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) {
      throw new WasmlearnError('INVALID_PARAM', `${fn}: 'bins' must be a positive integer or one of ${show([...RULES])}. Got ${show(bins)} instead.`, { estimator: fn, field: 'bins' });
    }
    nBins = bins;
  } else {
    const rule = oneOf(fn, 'bins', bins, RULES);
    // values used by the rule: non-NaN, inside the range
    let k = 0;
    const kept = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) { const v = x[i]; if (v >= lo && v <= hi) kept[k++] = v; }
    x = kept.subarray(0, k);
    if (k === 0) nBins = 1;
    else {
      const mm = driftKernels().minMaxCount(x);
      const w = binWidth(rule, x, mm.min, mm.max);
      nBins = w ? Math.ceil((hi - lo) / w) : 1;
    }
  }
  const out = new Float64Array(nBins + 1);
  const step = (hi - lo) / nBins;
  for (let i = 0; i <= nBins; i++) out[i] = step === 0 ? ((i / nBins) * (hi - lo)) + lo : i * step + lo;
  out[nBins] = hi;
  return out;
}
