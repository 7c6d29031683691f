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

function logisticObjective(X: Float64Array, n: number, d: number, y: Float64Array, sw: Float64Array | null, k: number): LogisticObjective {
  const z = new Float64Array(k);
  return {
    evaluate(W, grad) {
      grad.fill(0);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const xo = i * d, yi = y[i], w = sw ? sw[i] : 1;
        if (k === 1) {
          const zi = dot(X, xo, W, 0, d) + W[d];
          const e = Math.exp(-Math.abs(zi));
          loss += w * ((zi > 0 ? zi : 0) + Math.log1p(e) - yi * zi);
          const g = w * ((zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi);
          for (let j = 0; j < d; j++) grad[j] += g * X[xo + j];
          grad[d] += g;
        } else {
          let zmax = -Infinity;
          for (let c = 0; c < k; c++) { z[c] = dot(X, xo, W, c * (d + 1), d) + W[c * (d + 1) + d]; if (z[c] > zmax) zmax = z[c]; }
          let s = 0;
          for (let c = 0; c < k; c++) s += Math.exp(z[c] - zmax);
          const lse = zmax + Math.log(s);
          loss += w * (lse - z[yi]);
          for (let c = 0; c < k; c++) {
            const g = w * (Math.exp(z[c] - lse) - (c === yi ? 1 : 0));
            const o = c * (d + 1);
            for (let j = 0; j < d; j++) grad[o + j] += g * X[xo + j];
            grad[o + d] += g;
          }
        }
      }
      return loss;
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
