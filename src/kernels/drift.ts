/**
 * Drift kernels as an interface, with the plain-TypeScript reference implementation
 * (the test oracle and benchmark baseline). The WebAssembly implementation lives in
 * src/wasm/drift-kernels.ts. Inputs are validated by the public functions in
 * src/drift/ before they reach a kernel; kernels trust them.
 */

/** Result slots of a histogram count: see {@link DriftKernels.histogramSlots}. */
export interface HistogramSlots {
  /** One count per bin (edges.length - 1). */
  counts: Float64Array;
  nanCount: number;
  below: number;
  above: number;
}

/** Which sum {@link DriftKernels.divergenceSum} computes. Codes match assembly/drift.ts. */
export const DIVERGENCE = { relEntr: 0, klDiv: 1, jensenShannon: 2, psi: 3, hellinger: 4, entropy: 5 } as const;
export type DivergenceKind = (typeof DIVERGENCE)[keyof typeof DIVERGENCE];

export interface DriftKernels {
  readonly name: 'wasm' | 'reference';
  /** numpy.histogram counts of `x` on ascending `edges` (last bin closed), NaN and out-of-range counted apart. */
  histogramSlots(x: Float64Array, edges: Float64Array, uniform: boolean): HistogramSlots;
  /** Non-NaN count, min and max (±Infinity when there are none). */
  minMaxCount(x: Float64Array): { count: number; min: number; max: number };
  /** New array: the non-NaN values of x in ascending order (-0 before +0). */
  sortedNonNaN(x: Float64Array): Float64Array;
  /** max and min of F_a - F_b over the pooled sample; inputs sorted, no NaN. */
  ksExtremes(a: Float64Array, b: Float64Array): { max: number; min: number };
  /** Wasserstein-1 between sorted finite samples; cumulative weights (n + 1 entries, first 0) or null. */
  wassersteinSorted(u: Float64Array, v: Float64Array, uCw: Float64Array | null, vCw: Float64Array | null): number;
  /**
   * Sum over bins of one divergence term (see {@link DIVERGENCE}); p, q normalised.
   * Terms are summed in numpy's pairwise order; for Jensen-Shannon the two halves are
   * summed separately and then added, as scipy does.
   */
  divergenceSum(p: Float64Array, q: Float64Array | null, kind: DivergenceKind, eps: number): number;
  /** numpy.sum's pairwise summation of x. */
  pairwiseSum(x: Float64Array): number;
  /** ksExtremes of two unsorted samples (sorts, then walks); both NaN when a sample holds NaN. */
  ksExtremesUnsorted(a: Float64Array, b: Float64Array): { max: number; min: number };
  /**
   * Unweighted Wasserstein-1 of two unsorted samples (sorts, then walks). NaN when a
   * sample holds NaN; not finite when one holds ±Infinity (or a gap overflows).
   */
  wassersteinUnsorted(u: Float64Array, v: Float64Array): number;
  /** Sorts the non-NaN values of x and returns the values at `ranks(count)` (ascending indices). */
  sortedAt(x: Float64Array, ranks: (count: number) => number[]): { count: number; values: number[] };
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function klDivTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y) - x + y;
  if (x === 0 && y >= 0) return y;
  return Infinity;
}

/** numpy's pairwise summation of x[o .. o+n) (blocks of 8 accumulators up to 128, halves above). */
export function pairwiseSum(x: Float64Array, o: number, n: number): number {
  if (n < 8) { let s = 0; for (let i = 0; i < n; i++) s += x[o + i]; return s; }
  if (n <= 128) {
    let r0 = x[o], r1 = x[o + 1], r2 = x[o + 2], r3 = x[o + 3], r4 = x[o + 4], r5 = x[o + 5], r6 = x[o + 6], r7 = x[o + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const b = o + i;
      r0 += x[b]; r1 += x[b + 1]; r2 += x[b + 2]; r3 += x[b + 3]; r4 += x[b + 4]; r5 += x[b + 5]; r6 += x[b + 6]; r7 += x[b + 7];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += x[o + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(x, o, n2) + pairwiseSum(x, o + n2, n - n2);
}

/** Plain-TypeScript drift kernels: same formulas and order of operations as the WASM ones. */
export const referenceDriftKernels: DriftKernels = {
  name: 'reference',
  histogramSlots(x, edges) {
    const m = edges.length;
    const counts = new Float64Array(m - 1);
    let nanCount = 0, below = 0, above = 0;
    const eLast = edges[m - 1];
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) { nanCount++; continue; }
      if (v === eLast) { counts[m - 2]++; continue; }
      // p = number of edges <= v
      let lo = 0, hi = m;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (edges[mid] <= v) lo = mid + 1; else hi = mid; }
      if (lo === 0) below++;
      else if (lo === m) above++;
      else counts[lo - 1]++;
    }
    return { counts, nanCount, below, above };
  },
  minMaxCount(x) {
    let count = 0, min = Infinity, max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v === v) { count++; if (v < min) min = v; if (v > max) max = v; }
    }
    return { count, min, max };
  },
  sortedNonNaN(x) {
    // TypedArray sort orders -0 before +0 and NaN last, like the radix kernel
    const s = Float64Array.from(x).sort();
    let k = s.length;
    while (k > 0 && s[k - 1] !== s[k - 1]) k--;
    return k === s.length ? s : s.slice(0, k);
  },
  ksExtremes(a, b) {
    // the gap F_a - F_b as the integer D = i n2 - j n1 (exact below 2^53), divided once
    const n1 = a.length, n2 = b.length;
    let i = 0, j = 0, max = -Infinity, min = Infinity;
    while (i < n1 || j < n2) {
      const v = Math.min(i < n1 ? a[i] : Infinity, j < n2 ? b[j] : Infinity);
      while (i < n1 && a[i] <= v) i++;
      while (j < n2 && b[j] <= v) j++;
      const d = i * n2 - j * n1;
      if (d > max) max = d;
      if (d < min) min = d;
    }
    return { max: max / (n1 * n2), min: min / (n1 * n2) };
  },
  wassersteinSorted(u, v, uCw, vCw) {
    const n1 = u.length, n2 = v.length;
    const uTot = uCw ? uCw[n1] : 0, vTot = vCw ? vCw[n2] : 0;
    let i = 0, j = 0, sum = 0, comp = 0, x: number;
    if (u[0] <= v[0]) { x = u[0]; i = 1; } else { x = v[0]; j = 1; }
    for (let k = 1; k < n1 + n2; k++) {
      const takeU = i < n1 && (j >= n2 || u[i] <= v[j]);
      const y = takeU ? u[i] : v[j];
      const uc = uCw ? uCw[i] / uTot : i / n1;
      const vc = vCw ? vCw[j] / vTot : j / n2;
      const term = Math.abs(uc - vc) * (y - x);
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
      if (takeU) i++; else j++;
      x = y;
    }
    return sum + comp;
  },
  divergenceSum(p, q, kind, eps) {
    const n = p.length;
    const out = new Float64Array(n), out2 = kind === 2 ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const qi = q ? q[i] : 0;
      let r: number;
      switch (kind) {
        case 0: r = relEntr(pi, qi); break;
        case 1: r = klDivTerm(pi, qi); break;
        case 2: { const m = (pi + qi) / 2; r = relEntr(pi, m); out2![i] = relEntr(qi, m); break; }
        case 3: { const e = pi === 0 ? eps : pi, a = qi === 0 ? eps : qi; r = (a - e) * Math.log(a / e); break; }
        case 4: { const d = Math.sqrt(pi) - Math.sqrt(qi); r = d * d; break; }
        default: r = pi > 0 ? -pi * Math.log(pi) : pi === 0 ? 0 : -Infinity;
      }
      out[i] = r;
    }
    return out2 ? pairwiseSum(out, 0, n) + pairwiseSum(out2, 0, n) : pairwiseSum(out, 0, n);
  },
  pairwiseSum(x) { return pairwiseSum(x, 0, x.length); },
  ksExtremesUnsorted(a, b) {
    const sa = referenceDriftKernels.sortedNonNaN(a), sb = referenceDriftKernels.sortedNonNaN(b);
    if (sa.length !== a.length || sb.length !== b.length) return { max: NaN, min: NaN };
    return referenceDriftKernels.ksExtremes(sa, sb);
  },
  wassersteinUnsorted(u0, v0) {
    // sum of |D| (y - x) with the integer D = i n2 - j n1, divided by n1 n2 at the end;
    // terms of pooled positions below half and from half on are summed apart (as the
    // WASM kernel's two walks do), each compensated
    const u = referenceDriftKernels.sortedNonNaN(u0), v = referenceDriftKernels.sortedNonNaN(v0);
    const n1 = u.length, n2 = v.length;
    if (n1 !== u0.length || n2 !== v0.length) return NaN;
    const half = (n1 + n2) >> 1;
    let i = 0, j = 0, d: number, x: number;
    const s = [0, 0], c = [0, 0];
    if (u[0] <= v[0]) { x = u[0]; i = 1; d = n2; } else { x = v[0]; j = 1; d = -n1; }
    for (let k = 1; k < n1 + n2; k++) {
      const takeU = i < n1 && (j >= n2 || u[i] <= v[j]);
      const y = takeU ? u[i] : v[j];
      const term = Math.abs(d) * (y - x);
      const h = k < half ? 0 : 1, sum = s[h];
      const t = sum + term;
      c[h] += sum >= term ? sum - t + term : term - t + sum;
      s[h] = t;
      if (takeU) { i++; d += n2; } else { j++; d -= n1; }
      x = y;
    }
    return (s[0] + c[0] + (s[1] + c[1])) / (n1 * n2);
  },
  sortedAt(x, ranks) {
    const s = referenceDriftKernels.sortedNonNaN(x);
    return { count: s.length, values: ranks(s.length).map((i) => s[i]) };
  },
};
