import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dbinomRaw, smirnov } from '../../src/drift/special.js';
import { referenceDriftKernels as R } from '../../src/kernels/drift.js';
import { wasmDriftKernels as W } from '../../src/wasm/drift-kernels.js';
import { awkwardSamples } from '../helpers/drift-data.js';

/** The Smirnov lower sum over every term (the definition the sampled sum stands in for). */
function smirnovEveryTerm(n: number, x: number): number {
  const nx = n * x, nTerms = n - Math.floor(nx);
  let sum = 0, comp = 0;
  for (let v = 0; v < nTerms; v++) {
    const p = x + v / n;
    const t = dbinomRaw(v, n, p, (n - v - nx) / n) / p;
    if (!Number.isFinite(t) || t === 0) continue;
    const s = sum + t;
    comp += Math.abs(sum) >= Math.abs(t) ? sum - s + t : t - s + sum;
    sum = s;
  }
  return x * (sum + comp);
}

describe('Smirnov survival function for large n (sampled lower sum)', () => {
  it('equals the sum over every term within 1e-12 relative', () => {
    for (const n of [10007, 60000, 250001]) {
      for (const nx2 of [2.2, 3, 8, 30, 100, 300]) {
        const x = Math.sqrt(nx2 / n);
        const got = smirnov(n, x), want = smirnovEveryTerm(n, x);
        expect(Math.abs(got - want), `n=${n} nx^2=${nx2}`).toBeLessThanOrEqual(1e-12 * want);
      }
    }
  });
});

const next = (v: number, dir: 1 | -1): number => {
  if (v === 0) return dir * 5e-324;
  const b = new BigInt64Array(new Float64Array([v]).buffer);
  b[0] += BigInt(dir * Math.sign(v));
  return new Float64Array(b.buffer)[0];
};

describe('histogram table kernel equals the reference', () => {
  const edgeSets = [
    [-1, 0, 1, 2, 3.5, 7], [0, 1e-9, 2e-9, 1], [-5, -3, -2], [-2, -1, 0], [-2, -1, -0], [0, 1, 1], [1, 1, 1, 2],
    [0, 1e-300, 1], [-1e300, 0, 1e300], [3, 3], Array.from({ length: 300 }, (_, i) => i * i),
    Array.from({ length: 101 }, (_, i) => Math.round(Math.sinh(i / 10 - 5) * 1e6) / 1e6).sort((a, b) => a - b),
  ].map((e) => new Float64Array(e));
  it('at, just below and just above every edge, ±0, ±Infinity, NaN, across chunk boundaries', () => {
    for (const edges of edgeSets) {
      const probe: number[] = [NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308];
      for (const e of edges) probe.push(e, next(e, 1), next(e, -1), e + 0.5, e - 0.5);
      const x = new Float64Array(20_003);
      for (let i = 0; i < x.length; i++) x[i] = probe[(i * 7919) % probe.length];
      expect(W.histogramSlots(x, edges, false), `edges ${Array.from(edges).slice(0, 6)}`).toEqual(R.histogramSlots(x, edges, false));
    }
  });
  it('repeated inner edges, 259 / 260 distinct edges, NaN only in a chunk tail, overflowing sums', () => {
    const sets = [
      [0, 1, 1, 1, 2, 3], [-1, -1, 0, 0, 0.5, 4], [1, 1, 1, 2], [0, 0, 1, 1, 1, 1, 2, 3, 3, 5],
      Array.from({ length: 259 }, (_, i) => i / 7), Array.from({ length: 260 }, (_, i) => i / 7),
      Array.from({ length: 400 }, (_, i) => Math.floor(i / 2)),
    ].map((e) => new Float64Array(e));
    for (const edges of sets) {
      const probe: number[] = [Infinity, -Infinity, 0, -0, 1e308, -1e308, 1.7e308, -1.7e308];
      for (const e of edges) probe.push(e, next(e, 1), next(e, -1), e + 0.25, e - 0.25);
      for (const n of [7, 8, 8192, 8199, 16_390]) {
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) x[i] = probe[(i * 7919) % probe.length];
        expect(W.histogramSlots(x, edges, false), `edges ${edges.length} n ${n}`).toEqual(R.histogramSlots(x, edges, false));
        // one NaN, in the last chunk's tail (after the last full step of eight values)
        x[n - 1] = NaN;
        const w = W.histogramSlots(x, edges, false);
        expect(w.nanCount).toBe(1);
        expect(w).toEqual(R.histogramSlots(x, edges, false));
      }
    }
  });
  it('random values and edges (fast-check)', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.double(), fc.constant(NaN), fc.integer({ min: -3, max: 3 }).map((v) => v * 1.0)), { maxLength: 500 }),
      fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -3, max: 3 }).map((v) => v * 1.0)), { minLength: 2, maxLength: 40 }),
      (xs, es) => {
        const x = new Float64Array(xs), edges = new Float64Array(es).sort();
        expect(W.histogramSlots(x, edges, false)).toEqual(R.histogramSlots(x, edges, false));
      }), { numRuns: 300 });
  });
});

describe('two-sample walks on radix-sorted keys equal the reference exactly', () => {
  const tied = fc.array(fc.oneof(fc.constantFrom(0, -0, 1, -1, 2.5), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 300 });
  it('ksExtremesUnsorted and wassersteinUnsorted (ties, ±0, odd and even totals)', () => {
    fc.assert(fc.property(tied, tied, (a, b) => {
      const x = new Float64Array(a), y = new Float64Array(b);
      expect(W.ksExtremesUnsorted(x, y)).toEqual(R.ksExtremesUnsorted(x, y));
      expect(W.wassersteinUnsorted(x, y)).toBe(R.wassersteinUnsorted(x, y));
    }), { numRuns: 300 });
  });
  it('keys agreeing in their top 38 bits (runs ordered after the radix passes), shuffled', () => {
    // doubles within 2^-26 relative of each other share the radix passes' digits; the
    // sort must still order them by their low bits (short runs and runs of > 64 keys)
    const rnd = (() => { let s = 12345; return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32); })();
    const shuffle = (a: number[]) => { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; };
    for (const runLen of [2, 3, 64, 65, 300, 5000]) {
      const vals: number[] = [];
      for (const base of [1, -1, 1.5, 1e-300, 7e300]) for (let j = 0; j < runLen; j++) vals.push(base * (1 + Math.floor(rnd() * 2 ** 20) * 2 ** -50));
      for (let j = 0; j < 2000; j++) vals.push((rnd() - 0.5) * 10);
      for (let j = 0; j < runLen; j++) vals.push(2.5, -0, 0); // ties
      const x = new Float64Array(shuffle(vals)), y = new Float64Array(shuffle(vals.slice(0, vals.length >> 1).map((v) => v * (1 + 2 ** -40))));
      expect(Array.from(W.sortedNonNaN(x)).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(R.sortedNonNaN(x)).map((v) => Object.is(v, -0) ? '-0' : v));
      expect(W.ksExtremesUnsorted(x, y)).toEqual(R.ksExtremesUnsorted(x, y));
      expect(W.wassersteinUnsorted(x, y)).toBe(R.wassersteinUnsorted(x, y));
    }
  });
  it('continuous data with a few long runs sharing their top 38 bits (runs sorted in place)', () => {
    const rnd = (() => { let s = 777; return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32); })();
    const vals = Array.from({ length: 100_000 }, () => Math.tan((rnd() - 0.5) * 3));
    for (const [base, len] of [[0.75, 300], [-2, 65], [3, 64], [5, 2]] as const) for (let j = 0; j < len; j++) vals.splice(Math.floor(rnd() * vals.length), 0, base * (1 + Math.floor(rnd() * 2 ** 24) * 2 ** -52));
    const x = new Float64Array(vals), y = new Float64Array(vals.slice(50_000));
    expect(W.sortedNonNaN(x)).toEqual(R.sortedNonNaN(x));
    expect(W.ksExtremesUnsorted(x, y)).toEqual(R.ksExtremesUnsorted(x, y));
    expect(W.wassersteinUnsorted(x, y)).toBe(R.wassersteinUnsorted(x, y));
  });
  it('±Infinity in KS samples; NaN reported as NaN', () => {
    const a = new Float64Array([-Infinity, 0, Infinity, Infinity]), b = new Float64Array([Infinity, -0, 3]);
    expect(W.ksExtremesUnsorted(a, b)).toEqual(R.ksExtremesUnsorted(a, b));
    expect(W.ksExtremesUnsorted(new Float64Array([1, NaN]), b).max).toBeNaN();
    expect(W.wassersteinUnsorted(new Float64Array([1, NaN]), b)).toBeNaN();
    expect(Number.isFinite(W.wassersteinUnsorted(new Float64Array([1, Infinity]), new Float64Array([1, Infinity])))).toBe(false);
  });
});

describe('large samples sorted by a linear code over a sampled range equal the reference exactly', () => {
  const signed = (a: Float64Array) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : v));
  const xs = awkwardSamples(70_001, 11), ys = awkwardSamples(40_000, 12);
  for (const name of Object.keys(xs)) {
    it(name, () => {
      const x = xs[name], y = ys[name];
      expect(signed(W.sortedNonNaN(x))).toEqual(signed(R.sortedNonNaN(x)));
      const ks = W.ksExtremesUnsorted(x, y), want = R.ksExtremesUnsorted(x, y);
      expect(ks).toEqual(want);
      expect(W.wassersteinUnsorted(x, y)).toBe(R.wassersteinUnsorted(x, y));
      // a normal sample against each (different ranges and shapes in one walk)
      expect(W.ksExtremesUnsorted(xs.normal, y)).toEqual(R.ksExtremesUnsorted(xs.normal, y));
    });
  }
});

