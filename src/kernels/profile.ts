/**
 * Profile kernels as an interface, with the plain-TypeScript reference implementation
 * (the test oracle and benchmark baseline). The WebAssembly implementation lives in
 * src/wasm/profile-kernels.ts. Inputs are validated by src/monitoring/profile.ts before
 * they reach a kernel; kernels trust them (edges ascending, at least 2).
 */
import { blockSum } from './reference.js';

/** One numeric column of a batch, with the profile's histogram edges. */
export interface NumericBatchInput {
  /** Values (NaN = missing). */
  x: Float64Array;
  /** Histogram edges (ascending, at least 2). */
  edges: Float64Array;
  /** Count distinct values while there are at most this many (0: do not count). */
  distinctCap: number;
}

/** What one numeric column of a batch adds to a profile. */
export interface NumericBatchStats {
  /** Non-NaN values. */
  count: number;
  nanCount: number;
  /** ±Infinity values (the caller rejects the batch when > 0). */
  infCount: number;
  /** Extremes of the non-NaN values (the first seen among equal ones, so -0 vs +0 keeps input order); ±Infinity when count = 0. */
  min: number;
  max: number;
  /** Mean and population variance exactly as `Kernels.colStats` computes them (numpy pairwise sums; NaN when count = 0). */
  mean: number;
  variance: number;
  /** numpy.histogram counts per bin (last bin closed). */
  counts: Float64Array;
  below: number;
  above: number;
  /**
   * Distinct non-NaN values in order of first occurrence (-0 and +0 are one value) and
   * their counts; null when there are more than `distinctCap` of them or `distinctCap` is 0.
   */
  distinct: { values: Float64Array; counts: Float64Array } | null;
}

export interface ProfileKernels {
  readonly name: 'wasm' | 'reference';
  /** Batch statistics of each numeric column, in input order. */
  numericBatch(columns: readonly NumericBatchInput[]): NumericBatchStats[];
  /**
   * The reservoir's batch step, in place: with splitmix32 draws from `state` (a draw
   * below r is floor(z * r / 2^32) for the 32-bit output z), slots
   * 0 .. m-1 of `vals` become a uniform m-subset of its slots (partial Fisher–Yates), then
   * Floyd's algorithm copies a uniform m-subset of `src` into them. m <= min(vals.length, src.length).
   * @returns the advanced PRNG state (uint32)
   */
  reservoirReplace(vals: Float64Array, src: Float64Array, m: number, state: number): number;
}

const GOLDEN = 0x9e3779b9;
/** Marks for Floyd's sampling, reused across calls (cleared before each use). */
let marks = new Uint8Array(0);

/** splitmix32 output z of state st, mapped below r (< 2^31) by floor(z * r / 2^32), exactly (the 63-bit product in two halves). */
function below(st: number, r: number): number {
  let z = Math.imul(st ^ (st >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z = (z ^ (z >>> 16)) >>> 0;
  if (r <= 0x200000) return Math.floor(z * r * 2.3283064365386963e-10); // z * r < 2^53: exact, and so is the 2^-32 scaling
  const hi = (z >>> 16) * r, lo = (z & 0xffff) * r;
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536);
}

function reservoirReplace(vals: Float64Array, src: Float64Array, m: number, state: number): number {
  const cap = vals.length, nb = src.length;
  let st = state >>> 0;
  for (let s = 0; s < m; s++) {
    st = (st + GOLDEN) >>> 0;
    const j = s + below(st, cap - s);
    const t = vals[s]; vals[s] = vals[j]; vals[j] = t;
  }
  if (marks.length < nb) marks = new Uint8Array(Math.max(nb, 2 * marks.length));
  const mk = marks;
  mk.fill(0, 0, nb);
  for (let j = nb - m, s = 0; j < nb; j++, s++) {
    st = (st + GOLDEN) >>> 0;
    let t = below(st, j + 1);
    if (mk[t] === 1) t = j;
    mk[t] = 1;
    vals[s] = src[t];
  }
  return st;
}

function numericStats({ x, edges, distinctCap }: NumericBatchInput): NumericBatchStats {
  const n = x.length, m = edges.length;
  let count = 0, infCount = 0, min = Infinity, max = -Infinity;
  const counts = new Float64Array(m - 1);
  let below = 0, above = 0;
  const eLast = edges[m - 1];
  const vals: number[] = [], cnts: number[] = [];
  let tracking = distinctCap > 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) continue;
    count++;
    if (v === Infinity || v === -Infinity) infCount++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (tracking) {
      const j = vals.indexOf(v); // === : -0 equals +0, the first seen is kept
      if (j >= 0) cnts[j]++;
      else if (vals.length === distinctCap) tracking = false;
      else { vals.push(v); cnts.push(1); }
    }
    if (v === eLast) { counts[m - 2]++; continue; }
    let lo = 0, hi = m; // lo = number of edges <= v
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (edges[mid] <= v) lo = mid + 1; else hi = mid; }
    if (lo === 0) below++;
    else if (lo === m) above++;
    else counts[lo - 1]++;
  }
  const mean = count > 0 ? blockSum(x, 0, 0) / count : NaN;
  const corr = blockSum(x, 1, mean), ss = blockSum(x, 2, mean);
  return {
    count, nanCount: n - count, infCount, min, max, mean, variance: count > 0 ? (ss - (corr * corr) / count) / count : NaN,
    counts, below, above, distinct: tracking ? { values: Float64Array.from(vals), counts: Float64Array.from(cnts) } : null,
  };
}

/** Plain-TypeScript profile kernels: same results as the WASM ones, value by value. */
export const referenceProfileKernels: ProfileKernels = {
  name: 'reference',
  numericBatch(columns) { return columns.map(numericStats); },
  reservoirReplace,
};
