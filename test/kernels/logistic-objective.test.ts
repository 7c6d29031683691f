/**
 * The logistic-regression objective: the WebAssembly kernel (row blocks, SIMD exp / log1p)
 * equals the plain-TypeScript reference bit for bit, and both equal the textbook formulas
 * (Math.exp / Math.log1p, rows summed one by one) to rounding.
 */
import { describe, expect, it } from 'vitest';
import { expNeg, log1pUnit, logPos, referenceKernels } from '../../src/kernels/reference.js';
import { wasmKernels } from '../../src/wasm/kernels.js';
import { LogisticRegression, WasmlearnError } from '../../src/index.js';
import { rng } from '../../src/core/random.js';

const ulps = (got: number, want: number) => Math.abs(got - want) / (Math.abs(want) * Number.EPSILON);

function problem(seed: number, n: number, d: number, k: number, weighted: boolean) {
  const rnd = rng(seed);
  // a mix of column kinds: wide-ranged, 0/1 indicators, constant zero
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, () =>
    j % 3 === 0 ? (rnd() - 0.5) * 8 : j % 3 === 1 ? (rnd() < 0.3 ? 1 : 0) : j === 2 ? 0 : rnd() * 50));
  const y = Float64Array.from({ length: n }, () => Math.floor(rnd() * Math.max(k, 2)));
  const sw = weighted ? Float64Array.from({ length: n }, () => rnd() * 3) : null;
  const W = Float64Array.from({ length: k * (d + 1) }, () => (rnd() - 0.5) * 0.6);
  return { columns, y, sw, W };
}

/** The objective written as the formulas, with the standard library's exp / log1p. */
function textbook(columns: Float64Array[], n: number, y: Float64Array, sw: Float64Array | null, k: number, W: Float64Array) {
  const d = columns.length, grad = new Float64Array(W.length);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const w = sw ? sw[i] : 1;
    const z = Array.from({ length: k }, (_, c) => { let s = W[c * (d + 1) + d]; for (let j = 0; j < d; j++) s += columns[j][i] * W[c * (d + 1) + j]; return s; });
    const r: number[] = [];
    if (k === 1) {
      loss += w * (Math.max(z[0], 0) + Math.log1p(Math.exp(-Math.abs(z[0]))) - y[i] * z[0]);
      r.push(w * (1 / (1 + Math.exp(-z[0])) - y[i]));
    } else {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      loss += w * (lse - z[y[i]]);
      for (let c = 0; c < k; c++) r.push(w * (Math.exp(z[c] - lse) - (c === y[i] ? 1 : 0)));
    }
    r.forEach((rc, c) => {
      for (let j = 0; j < d; j++) grad[c * (d + 1) + j] += columns[j][i] * rc;
      grad[c * (d + 1) + d] += rc;
    });
  }
  return { loss, grad };
}

describe('SIMD elementary functions (scalar transcriptions of assembly/math.ts)', () => {
  it('expNeg, log1pUnit and logPos are within 1 ulp of the standard library', () => {
    const rnd = rng(7);
    let e = 0, l1 = 0, l = 0;
    for (let t = 0; t < 200_000; t++) {
      const x = -rnd() * 700;
      e = Math.max(e, ulps(expNeg(x), Math.exp(x)));
      const u = rnd() ** 4;
      l1 = Math.max(l1, ulps(log1pUnit(u), Math.log1p(u)));
      const v = 1 + rnd() * (t % 2 ? 2 : 1000);
      l = Math.max(l, ulps(logPos(v), Math.log(v)));
    }
    // expNeg is fdlibm's exp, the algorithm of V8's Math.exp: within 1 ulp of it
    expect(e).toBeLessThanOrEqual(1);
    expect(l1).toBeLessThanOrEqual(1.5);
    expect(l).toBeLessThanOrEqual(1.5);
    for (const x of [0, -0, -1e-300, -708, -745, -1e9]) expect(ulps(expNeg(x), Math.exp(Math.max(x, -708)))).toBeLessThanOrEqual(1);
    expect(expNeg(NaN)).toBeNaN();
    expect(log1pUnit(0)).toBe(0);
    expect(ulps(log1pUnit(1), Math.LN2)).toBeLessThanOrEqual(1);
    expect(logPos(1)).toBe(0);
  });
});

describe('logistic objective: WebAssembly kernel equals the reference bit for bit', () => {
  // sizes around the kernel's 1024-row blocks, odd and even, column counts around its
  // four-column passes; binary and multinomial, with and without sample weights
  const cases: [n: number, d: number, k: number][] = [[1, 0, 1], [2, 1, 1], [7, 3, 1], [1023, 5, 1], [1024, 4, 1], [600, 13, 1], [1025, 27, 1], [2049, 40, 1], [3071, 9, 3], [300, 6, 4], [3, 2, 5]];
  it.each(cases)('n=%i d=%i k=%i', (n, d, k) => {
    for (const weighted of [false, true]) {
      const { columns, y, sw, W } = problem(n * 31 + d * 7 + k, n, d, k, weighted);
      const a = wasmKernels.logisticObjective(columns, n, y, sw, k);
      const b = referenceKernels.logisticObjective(columns, n, y, sw, k);
      try {
        expect(Array.from(a.sumSquares)).toEqual(Array.from(b.sumSquares));
        for (const scaleW of [1, 40]) {
          const Ws = W.map((v) => v * scaleW); // large scores: the exp clamp and both expit branches
          const ga = new Float64Array(W.length).fill(NaN), gb = new Float64Array(W.length).fill(NaN);
          const la = a.evaluate(Ws, ga), lb = b.evaluate(Ws, gb);
          expect(la).toBe(lb);
          expect(Array.from(ga)).toEqual(Array.from(gb));
          const t = textbook(columns, n, y, sw, k, Ws);
          expect(Math.abs(la - t.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(t.loss)));
          const gmax = Math.max(1, ...Array.from(t.grad, Math.abs));
          for (let i = 0; i < ga.length; i++) expect(Math.abs(ga[i] - t.grad[i])).toBeLessThanOrEqual(1e-12 * gmax);
        }
      } finally {
        a.dispose();
      }
    }
  });

  it('the sums of squares reveal NaN and ±Infinity; the fit names the first such column and row', () => {
    const cols = [Float64Array.of(1, 2, 3), Float64Array.of(1, Infinity, 3), Float64Array.of(NaN, 0, 0)];
    const o = wasmKernels.logisticObjective(cols, 3, Float64Array.of(0, 1, 0), null, 1);
    expect(o.sumSquares[0]).toBe(14);
    expect(o.sumSquares[1]).toBe(Infinity);
    expect(o.sumSquares[2]).toBeNaN();
    o.dispose();
    let err: unknown;
    try { new LogisticRegression().fit({ a: [1, 2, 3], b: [1, -Infinity, 3], c: [NaN, 0, 0] }, [0, 1, 0]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(WasmlearnError);
    expect(err).toMatchObject({ code: 'NON_FINITE', details: { column: 'b', row: 1 } });
  });

  it('counts that do not match the arrays are refused before WebAssembly is entered', () => {
    expect(() => wasmKernels.logisticObjective([new Float64Array(3)], 4, new Float64Array(4), null, 1)).toThrow(WasmlearnError);
    const o = wasmKernels.logisticObjective([new Float64Array(4)], 4, new Float64Array(4), null, 1);
    expect(() => o.evaluate(new Float64Array(3), new Float64Array(2))).toThrow(WasmlearnError);
    o.dispose();
  });
});

describe('LogisticRegression fit: the WebAssembly and reference backends give the same coefficients', () => {
  it('binary and multinomial', async () => {
    const { setBackend } = await import('../../src/kernels/index.js');
    const rnd = rng(11);
    const n = 1300;
    const X = { a: Float64Array.from({ length: n }, () => rnd() * 4 - 2), b: Float64Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0)), c: Float64Array.from({ length: n }, () => rnd() * 1e4) };
    for (const nClasses of [2, 3]) {
      const y = Array.from({ length: n }, (_, i) => (X.a[i] + X.b[i] + rnd() > 1 ? 1 : 0) + (nClasses === 3 && X.c[i] > 7000 ? 1 : 0));
      const wasm = new LogisticRegression({ tol: 1e-8, maxIter: 1000 }).fit(X, y);
      setBackend('reference');
      try {
        const ref = new LogisticRegression({ tol: 1e-8, maxIter: 1000 }).fit(X, y);
        expect(Array.from(wasm.coef_.data)).toEqual(Array.from(ref.coef_.data));
        expect(Array.from(wasm.intercept_)).toEqual(Array.from(ref.intercept_));
        expect(wasm.nIter_).toEqual(ref.nIter_);
      } finally {
        setBackend('wasm');
      }
    }
  });
});

describe('LogisticRegression fit: class labels', () => {
  it('small integer labels (table) and other labels (Map) give the same classes and fits', () => {
    const rnd = rng(21);
    const n = 400;
    const X = { a: Float64Array.from({ length: n }, () => rnd() * 4 - 2), b: Float64Array.from({ length: n }, () => rnd()) };
    const base = Array.from({ length: n }, (_, i) => (X.a[i] + rnd() > 0.5 ? 1 : 0) + (X.b[i] > 0.7 ? 1 : 0));
    const fit = (y: (number | string)[]) => new LogisticRegression().fit(X, y);
    const ref = fit(base);
    expect(ref.classes_).toEqual([0, 1, 2]);
    for (const [map, classes] of [
      [[3, 7, 1024], [3, 7, 1024]], [[-1, 0.5, 2], [-1, 0.5, 2]], [['x', 'y', 'z'], ['x', 'y', 'z']], [[1023, 5, 0], [0, 5, 1023]],
    ] as [(number | string)[], (number | string)[]][]) {
      const lr = fit(base.map((c) => map[c]));
      expect(lr.classes_).toEqual(classes);
      // the same rows in each class, possibly in another order of classes: the same
      // coefficients, permuted (exactly when the order is kept; a new order of classes sums
      // the softmax in another order, which changes the last bits)
      const perm = classes.map((c) => map.indexOf(c));
      perm.forEach((c, row) => {
        const got = lr.coef_.data.subarray(row * 2, row * 2 + 2), want = ref.coef_.data.subarray(c * 2, c * 2 + 2);
        for (let j = 0; j < 2; j++) {
          if (perm.every((q, r) => q === r)) expect(got[j]).toBe(want[j]);
          else expect(Math.abs(got[j] - want[j])).toBeLessThanOrEqual(1e-9 * Math.abs(want[j]));
        }
      });
    }
    expect(() => fit(base.map((c) => (c === 2 ? 'two' : c)))).toThrow(/uniformly strings or numbers/);
    // typed arrays are read in place: the same fit as the plain array; a non-finite label is
    // refused as for arrays
    for (const typed of [Float64Array.from(base), Int32Array.from(base)]) {
      const lr = new LogisticRegression().fit(X, typed);
      expect(lr.classes_).toEqual([0, 1, 2]);
      expect(Array.from(lr.coef_.data)).toEqual(Array.from(ref.coef_.data));
    }
    const bad = Float64Array.from(base);
    bad[7] = NaN;
    expect(() => new LogisticRegression().fit(X, bad)).toThrow(expect.objectContaining({ code: 'MISSING_VALUE', details: expect.objectContaining({ row: 7 }) }));
  });
});
