/**
 * Plain-TypeScript kernels: the oracle the WebAssembly kernels are tested against and
 * the baseline benchmarks compare with. Same formulas, same order of operations.
 */
import type { ColumnStats, CompiledPlan, Kernels, LogisticObjective, PlanFailure, PlanSpec } from './types.js';

export function expit(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}


export function bsearch(cats: Float64Array, n: number, v: number): number {
  let lo = 0, hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = cats[mid];
    if (c < v) lo = mid + 1;
    else if (c > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** numpy's pairwise summation in 8192-value blocks; NaN contributes 0 (see assembly/preprocess.ts). */
function term(v: number, mode: number, m: number): number {
  if (v !== v) return 0;
  if (mode === 0) return v;
  const d = v - m;
  return mode === 1 ? d : d * d;
}
function pairwise(x: Float64Array, o: number, n: number, mode: number, m: number): number {
  if (n < 8) { let res = 0; for (let i = 0; i < n; i++) res += term(x[o + i], mode, m); return res; }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => term(x[o + j], mode, m));
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) for (let j = 0; j < 8; j++) r[j] += term(x[o + i + j], mode, m);
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += term(x[o + i], mode, m);
    return res;
  }
  let n2 = Math.trunc(n / 2);
  n2 -= n2 % 8;
  return pairwise(x, o, n2, mode, m) + pairwise(x, o + n2, n - n2, mode, m);
}
export function blockSum(x: Float64Array, mode: number, m: number): number {
  let total = 0;
  for (let s = 0; s < x.length; s += 8192) total += pairwise(x, s, Math.min(8192, x.length - s), mode, m);
  return total;
}

function colStats(x: Float64Array): ColumnStats {
  let cnt = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) cnt++;
  const mean = cnt > 0 ? blockSum(x, 0, 0) / cnt : NaN;
  const corr = blockSum(x, 1, mean), ss = blockSum(x, 2, mean);
  return { count: cnt, mean, variance: cnt > 0 ? (ss - (corr * corr) / cnt) / cnt : NaN };
}

function softmaxRows(z: Float64Array, n: number, k: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) if (z[i * k + c] > m) m = z[i * k + c];
    let s = 0;
    for (let c = 0; c < k; c++) { const e = Math.exp(z[i * k + c] - m); out[i * k + c] = e; s += e; }
    for (let c = 0; c < k; c++) out[i * k + c] /= s;
  }
}

function probaFromDecision(z: Float64Array, n: number, k: number, out: Float64Array = new Float64Array(n * Math.max(k, 2))): Float64Array {
  if (k === 1) {
    for (let i = 0; i < n; i++) { const p = expit(z[i]); out[2 * i] = 1 - p; out[2 * i + 1] = p; }
  } else softmaxRows(z, n, k, out);
  return out;
}

function dot(X: Float64Array, xo: number, W: Float64Array, wo: number, d: number): number {
  // pairwise lanes like the SIMD kernel: even and odd indices summed separately
  let s0 = 0, s1 = 0, j = 0;
  for (; j + 2 <= d; j += 2) { s0 += X[xo + j] * W[wo + j]; s1 += X[xo + j + 1] * W[wo + j + 1]; }
  let s = s0 + s1;
  for (; j < d; j++) s += X[xo + j] * W[wo + j];
  return s;
}

function linearDecision(X: Float64Array, n: number, d: number, W: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = dot(X, i * d, W, c * (d + 1), d) + W[c * (d + 1) + d];
  return out;
}

// Scalar transcriptions of assembly/math.ts (same constants, same operations in the same
// order, so the same bits). Exponent bits are read and written through one shared buffer.
const bits = new DataView(new ArrayBuffer(8));
const fromWords = (hi: number, lo: number) => { bits.setInt32(0, hi); bits.setInt32(4, lo); return bits.getFloat64(0); };

/** exp(x) for x <= 0 (x below -708 taken as -708), as expNeg in assembly/math.ts. */
export function expNeg(x0: number): number {
  const x = x0 < -708 ? -708 : x0;
  const shift = 6755399441055744.0;
  const kd = x * 1.4426950408889634 + shift;
  const kf = kd - shift;
  const hi = x - kf * 6.93147180369123816490e-01;
  const lo = kf * 1.90821492927058770002e-10;
  const r = hi - lo;
  const t = r * r;
  let p = 4.13813679705723846039e-08;
  p = p * t + -1.65339022054652515390e-06;
  p = p * t + 6.61375632143793436117e-05;
  p = p * t + -2.77777777770155933842e-03;
  p = p * t + 1.66666666666666019037e-01;
  const c = r - t * p;
  const y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  // 2^kf (kf is an integer in [-1021, 0], or NaN when x is, and then y is NaN too)
  return y * fromWords(((kf + 1023) & 0x7ff) << 20, 0);
}

function logTail(f: number, dk: number): number {
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const R = t2 + t1;
  return (((s * (hfsq + R) + dk * 1.90821492927058770002e-10) - hfsq) + f) + dk * 6.93147180369123816490e-01;
}

/** log(x) for positive normal x, as logPos in assembly/math.ts. */
export function logPos(x: number): number {
  bits.setFloat64(0, x);
  const hi = (bits.getInt32(0) + 0x95f62) | 0;
  const k = (hi >> 20) - 0x3ff;
  const m = fromWords((hi & 0xfffff) + 0x3fe6a09e, bits.getInt32(4));
  return logTail(m - 1.0, k);
}

/** log1p(e) for e in [0, 1] given inv = 1 / (1 + e), as log1pUnit in assembly/math.ts. */
export function log1pUnit(e: number, inv: number = 1 / (1 + e)): number {
  const u = 1.0 + e;
  const c = (e - (u - 1.0)) * inv;
  const big = u > 1.4142135623730951;
  return logTail((big ? u * 0.5 : u) - 1.0, big ? 1 : 0) + c;
}

/**
 * Which columns the logistic objective reads as f64 (`dense`) and which as indicator bits
 * (`groups` of up to 8 column indices, in column order): for binary problems with at least
 * 4 columns whose values are all 0 or 1; `flags` gives those columns (computed only then).
 */
export function indicatorGroups(k: number, d: number, flags: () => ArrayLike<number>): { dense: number[]; groups: number[][] } {
  const all = Array.from({ length: d }, (_, j) => j);
  if (k !== 1 || d < 4) return { dense: all, groups: [] };
  const f = flags();
  const ind = all.filter((j) => f[j]);
  if (ind.length < 4) return { dense: all, groups: [] };
  const groups: number[][] = [];
  for (let t = 0; t < ind.length; t += 8) groups.push(ind.slice(t, t + 8));
  return { dense: all.filter((j) => !f[j]), groups };
}

/**
 * The objective of assembly/linear.ts logisticLossGrad row by row, with its order of
 * operations: z = b + x_0 w_0 + x_1 w_1 + … over the dense columns (left to right), then
 * the indicator groups' table entries; the loss and each gradient entry summed in two lanes
 * (even rows, odd rows) added at the end, an indicator column's lanes from histograms of
 * residuals by byte value.
 */
function logisticObjective(columns: readonly Float64Array[], n: number, y: Float64Array, sw: Float64Array | null, k: number): LogisticObjective {
  const d = columns.length;
  const sumSquares = new Float64Array(d);
  columns.forEach((x, j) => {
    const s = [0, 0];
    for (let i = 0; i < n; i++) s[i & 1] += x[i] * x[i];
    sumSquares[j] = s[0] + s[1];
  });
  const { dense, groups } = indicatorGroups(k, d, () => columns.map((x) => (x.every((v) => v === 0 || v === 1) ? 1 : 0)));
  const bytes = groups.map((g) => {
    const b = new Uint8Array(n);
    g.forEach((col, bit) => { for (let i = 0; i < n; i++) if (columns[col][i] === 1) b[i] |= 1 << bit; });
    return b;
  });
  const tables = groups.map(() => new Float64Array(256));
  const hist = groups.map(() => [new Float64Array(256), new Float64Array(256)]);
  const z = new Float64Array(k);
  const w1 = d + 1;
  const acc = new Float64Array(2 * k * w1);
  return {
    sumSquares,
    evaluate(W, grad) {
      acc.fill(0);
      groups.forEach((g, t) => {
        const T = tables[t];
        for (let v = 1; v < 256; v++) {
          const bit = 31 - Math.clz32(v & -v);
          T[v] = T[v & (v - 1)] + (bit < g.length ? W[g[bit]] : 0);
        }
        hist[t][0].fill(0); hist[t][1].fill(0);
      });
      const loss = [0, 0];
      for (let i = 0; i < n; i++) {
        const lane = i & 1, yi = y[i], w = sw ? sw[i] : 1;
        for (let c = 0; c < k; c++) {
          let zc = W[c * w1 + d];
          for (const j of dense) zc += columns[j][i] * W[c * w1 + j];
          for (let t = 0; t < groups.length; t++) zc += tables[t][bytes[t][i]];
          z[c] = zc;
        }
        const addRow = (c: number, r: number) => {
          const o = 2 * c * w1;
          for (const j of dense) acc[o + 2 * j + lane] += columns[j][i] * r;
          acc[o + 2 * d + lane] += r;
          for (let t = 0; t < groups.length; t++) hist[t][lane][bytes[t][i]] += r;
        };
        if (k === 1) {
          const zi = z[0];
          const e = expNeg(-Math.abs(zi));
          const inv = 1 / (1 + e);
          const p = (zi >= 0 ? 1 : e) * inv;
          loss[lane] += w * (((zi > 0 ? zi : 0) + log1pUnit(e, inv)) - yi * zi);
          addRow(0, w * (p - yi));
        } else {
          let zmax = z[0];
          for (let c = 1; c < k; c++) zmax = zmax < z[c] ? z[c] : zmax;
          let s = expNeg(z[0] - zmax);
          for (let c = 1; c < k; c++) s += expNeg(z[c] - zmax);
          const lse = zmax + logPos(s);
          loss[lane] += w * (lse - z[yi]);
          for (let c = 0; c < k; c++) addRow(c, w * (expNeg(z[c] - lse) - (c === yi ? 1 : 0)));
        }
      }
      groups.forEach((g, t) => g.forEach((col, bit) => {
        let se = 0, so = 0;
        for (let v = 0; v < 256; v++) if ((v >> bit) & 1) { se += hist[t][0][v]; so += hist[t][1][v]; }
        acc[2 * col] = se; acc[2 * col + 1] = so;
      }));
      for (let t = 0; t < k * w1; t++) grad[t] = acc[2 * t] + acc[2 * t + 1];
      return loss[0] + loss[1];
    },
    dispose() {},
  };
}

function compilePlan(spec: PlanSpec): CompiledPlan {
  const { k, intercept, terms } = spec;
  return {
    run(inputs, nRows, output, out): PlanFailure | null {
      const z = output === 'decision' ? out : new Float64Array(nRows * k);
      for (let i = 0; i < nRows; i++) for (let c = 0; c < k; c++) z[i * k + c] = intercept[c];
      for (let t = 0; t < terms.length; t++) {
        const term = terms[t];
        if (term.kind === 'numeric') {
          const x = inputs[term.input] as Float64Array;
          const y = term.expr ? inputs[term.expr.input2] as Float64Array : x;
          const op = term.expr?.op ?? -1;
          // binary models: (x - sub)·(w/div), as the WebAssembly kernel computes it (one
          // multiplication per value), unless w/div overflows or underflows
          const w0 = term.weights[0], wd = w0 / term.div;
          const byProduct = k === 1 && Number.isFinite(wd) && !(wd === 0 && w0 !== 0);
          for (let i = 0; i < nRows; i++) {
            const v = op === 0 ? x[i] / y[i] : op === 1 ? x[i] * y[i] : op === 2 ? x[i] + y[i] : op === 3 ? x[i] - y[i] : x[i];
            if (byProduct) { z[i] += v !== v ? w0 * term.nanValue : (v - term.sub) * wd; continue; }
            const f = v !== v ? term.nanValue : (v - term.sub) / term.div;
            for (let c = 0; c < k; c++) z[i * k + c] += term.weights[c] * f;
          }
        } else {
          const nCats = term.kind === 'categoryValues' ? term.categories.length : term.nCategories;
          for (let i = 0; i < nRows; i++) {
            let idx: number;
            if (term.kind === 'categoryCodes') {
              idx = (inputs[term.input] as Int32Array)[i];
              if (idx >= nCats) idx = -1;
            } else {
              const v = (inputs[term.input] as Float64Array)[i];
              idx = v !== v ? term.nanIndex : bsearch(term.categories, nCats, v);
            }
            if (idx < 0) {
              if (term.unknownIsError) return { status: 'unknownCategory', row: i, term: t };
              continue;
            }
            for (let c = 0; c < k; c++) z[i * k + c] += term.weights[idx * k + c];
          }
        }
      }
      for (let i = 0; i < nRows * k; i++) if (!Number.isFinite(z[i])) return { status: 'nonFinite', row: Math.floor(i / k) };
      if (output === 'proba') probaFromDecision(z, nRows, k, out);
      return null;
    },
    runOne(values, output, out) {
      const inputs = spec.inputKinds.map((kind, s) => (kind === 'f64' ? Float64Array.of(values[s]) : Int32Array.of(values[s])));
      return this.run(inputs, 1, output, out);
    },
    dispose() {},
  };
}

export const referenceKernels: Kernels = {
  name: 'reference',
  colStats,
  fillMissing(x, fill) { const o = new Float64Array(x.length); for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v !== v ? fill : v; } return o; },
  subDiv(x, sub, div) { const o = new Float64Array(x.length); for (let i = 0; i < x.length; i++) o[i] = (x[i] - sub) / div; return o; },
  lookupSorted(x, cats) {
    const n = cats.length;
    const nanIdx = n > 0 && Number.isNaN(cats[n - 1]) ? n - 1 : -1;
    const nf = nanIdx >= 0 ? n - 1 : n;
    const o = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v !== v ? nanIdx : bsearch(cats, nf, v); }
    return o;
  },
  logisticObjective,
  linearDecision,
  probaFromDecision: (z, n, k) => probaFromDecision(z, n, k),
  compilePlan,
};
