import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chi2Contingency, chisquare, entropy, hellinger, histogram, histogramBinEdges, jensenshannon, klDiv, ks2samp, psi,
  quantileEdges, relEntr, wassersteinDistance,
} from '../../src/drift/index.js';
import { DIVERGENCE, referenceDriftKernels as R } from '../../src/kernels/drift.js';
import { wasmDriftKernels as W } from '../../src/wasm/drift-kernels.js';
import { expectError } from '../helpers/errors.js';

const special = new Float64Array([0, -0, 1, -1, NaN, Infinity, -Infinity, 1e300, -1e300, 1e-300, -1e-300, 3.5, NaN, 7, 7, 2]);
const finite = special.filter((v) => Number.isFinite(v));
const inputs = [special, finite, new Float64Array([5]), new Float64Array([2, 2, 2, 2]), new Float64Array([NaN]), new Float64Array(0),
  Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3)];

describe('WASM drift kernels equal the reference (exact; divergence sums within 1e-15 relative)', () => {
  it('histogramSlots, uniform and searched, on NaN/±0/±Infinity/1e±300/n=1/constant', () => {
    for (const x of inputs) {
      for (const edges of [new Float64Array([-1, 0, 1, 2, 3.5, 7]), new Float64Array([0, 0, 1, 1]), new Float64Array([-1e300, 0, 1e300]), new Float64Array([2, 2])]) {
        for (const uniform of [true, false]) expect(W.histogramSlots(x, edges, uniform)).toEqual(R.histogramSlots(x, edges, uniform));
      }
    }
  });
  it('minMaxCount, sortedNonNaN (-0 before +0), ksExtremes, wassersteinSorted', () => {
    for (const x of inputs) {
      expect(W.minMaxCount(x)).toEqual(R.minMaxCount(x));
      const s = W.sortedNonNaN(x);
      expect(Array.from(s).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(R.sortedNonNaN(x)).map((v) => Object.is(v, -0) ? '-0' : v));
    }
    const a = R.sortedNonNaN(special), b = R.sortedNonNaN(new Float64Array([-Infinity, 0, 2, 7, 8]));
    expect(W.ksExtremes(a, b)).toEqual(R.ksExtremes(a, b));
    const u = R.sortedNonNaN(finite), v = new Float64Array([-1, 0, 2, 2, 9]);
    expect(W.wassersteinSorted(u, v, null, null)).toBe(R.wassersteinSorted(u, v, null, null));
    const cw = Float64Array.from({ length: v.length + 1 }, (_, i) => i * 1.5);
    expect(W.wassersteinSorted(u, v, null, cw)).toBe(R.wassersteinSorted(u, v, null, cw));
    expect(W.wassersteinUnsorted(new Float64Array([3]), new Float64Array([1]))).toBe(2);
  });
  it('divergenceSum for every kind, pairwiseSum', () => {
    const p = Float64Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 0 : (i % 13) + 1e-300));
    const q = Float64Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? 0 : (i % 11) + 1));
    for (const kind of Object.values(DIVERGENCE)) {
      const w = W.divergenceSum(p, q, kind, 1e-4), r = R.divergenceSum(p, q, kind, 1e-4);
      if (Number.isFinite(r)) expect(Math.abs(w - r)).toBeLessThanOrEqual(1e-15 * Math.abs(r)); else expect(w).toBe(r);
    }
    for (const x of [finite, p, new Float64Array([1e300, -1e300, 1])]) expect(W.pairwiseSum(x)).toBe(R.pairwiseSum(x));
  });
});

// bin masses: 0 or normal doubles (subnormal masses make x / y underflow, as in scipy)
const mass = fc.oneof(fc.constant(0), fc.double({ min: 1e-300, max: 1e6, noNaN: true }));
const probPair = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
  fc.array(mass, { minLength: n, maxLength: n }).filter((a) => a.some((v) => v > 0)),
  fc.array(mass, { minLength: n, maxLength: n }).filter((a) => a.some((v) => v > 0))));
const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

describe('properties (fast-check; seeds are printed on failure and replayable)', () => {
  it('JS distance is symmetric (1e-15 absolute) and within [0, sqrt(ln 2)]', () => {
    fc.assert(fc.property(probPair, ([p, q]) => {
      const a = jensenshannon(p, q), b = jensenshannon(q, p);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-15);
    }));
  });
  it('KL >= 0 (up to -1e-15 rounding), kl(p, p) = 0 exactly, klDiv terms >= 0 (up to 1e-15 of p + q)', () => {
    fc.assert(fc.property(probPair, ([p, q]) => {
      expect(entropy(p, q)).toBeGreaterThanOrEqual(-1e-15);
      expect(entropy(p, p)).toBe(0);
      klDiv(p, q).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(-1e-15 * (p[i] + q[i])));
    }));
  });
  it('PSI >= 0 and Hellinger in [0, 1]', () => {
    fc.assert(fc.property(probPair, ([p, q]) => {
      expect(psi(p, q)).toBeGreaterThanOrEqual(0);
      const h = hellinger(p, q);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(1 + 1e-15);
    }));
  });
  it('histogram counts + nanCount + below + above = n', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.double(), fc.constant(NaN)), { maxLength: 300 }),
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 }), (x, e) => {
        const edges = e.sort((a, b) => a - b);
        const r = histogram(x, edges);
        expect(r.counts.reduce((s, c) => s + c, 0) + r.nanCount + r.below + r.above).toBe(x.length);
      }));
  });
  it('W1 is translation-equivariant: W(u + c, v + c) = W(u, v) within 1e-9 relative + 1e-9 absolute', () => {
    fc.assert(fc.property(sample, sample, fc.double({ min: -1e3, max: 1e3, noNaN: true }), (u, v, c) => {
      const w = wassersteinDistance(u, v);
      const wc = wassersteinDistance(u.map((x) => x + c), v.map((x) => x + c));
      expect(Math.abs(w - wc)).toBeLessThanOrEqual(1e-9 * w + 1e-9 * (1 + Math.abs(c)));
    }));
  });
  it('ks2samp p-value in [0, 1], statistic in [0, 1], identical samples give p = 1', () => {
    fc.assert(fc.property(sample, sample, (a, b) => {
      if (a.length === 1 && b.length === 1) return; // asymptotic p-value undefined (typed error)
      const r = ks2samp(a, b);
      expect(r.pvalue).toBeGreaterThanOrEqual(0); expect(r.pvalue).toBeLessThanOrEqual(1);
      expect(r.statistic).toBeGreaterThanOrEqual(0); expect(r.statistic).toBeLessThanOrEqual(1);
      expect(ks2samp(a, a).pvalue).toBe(1);
    }), { numRuns: 50 });
  });
  it('quantileEdges are non-decreasing and span [min, max]', () => {
    fc.assert(fc.property(sample, fc.integer({ min: 1, max: 30 }), (x, k) => {
      const e = quantileEdges(x, k);
      for (let i = 1; i < e.length; i++) expect(e[i]).toBeGreaterThanOrEqual(e[i - 1]);
      expect(e[0] === Math.min(...x) && e[k] === Math.max(...x)).toBe(true); // -0 == +0
    }));
  });
});

describe('bad input gives typed errors naming the argument', () => {
  it('empty arrays', () => {
    expectError(() => ks2samp([], [1]), 'EMPTY_INPUT', /ks2samp: 'a' is empty/);
    expectError(() => wassersteinDistance([1], []), 'EMPTY_INPUT', /wassersteinDistance: 'v' is empty/);
    expectError(() => jensenshannon([], []), 'EMPTY_INPUT', /jensenshannon: 'p' is empty/);
    expectError(() => chisquare([]), 'EMPTY_INPUT', /chisquare: 'observed' is empty/);
    expectError(() => chi2Contingency([]), 'EMPTY_INPUT', /chi2Contingency: 'table' is empty/);
  });
  it('all-NaN and NaN samples', () => {
    expectError(() => quantileEdges([NaN, NaN], 4), 'EMPTY_INPUT', /quantileEdges: 'values' has no non-NaN values \(2 values/);
    expectError(() => histogramBinEdges([NaN], 'auto'), 'EMPTY_INPUT', /histogramBinEdges: 'values' has no non-NaN values/);
    expectError(() => ks2samp([1, 2], [3, NaN]), 'INVALID_INPUT', /ks2samp: 'b'\[1\] is NaN/);
    expectError(() => wassersteinDistance([1, Infinity], [3]), 'INVALID_INPUT', /wassersteinDistance: 'u'\[1\] is Infinity/);
  });
  it('mismatched lengths', () => {
    expectError(() => jensenshannon([1, 2], [1]), 'LENGTH_MISMATCH', /jensenshannon: 'q' has length 1, expected 2/);
    expectError(() => relEntr([1], [1, 2]), 'LENGTH_MISMATCH', /relEntr: 'q' has length 2, expected 1/);
    expectError(() => chisquare([1, 2], [1, 2, 3]), 'LENGTH_MISMATCH', /chisquare: 'expected' has length 3, expected 2/);
    expectError(() => chi2Contingency([[1, 2], [3]]), 'LENGTH_MISMATCH', /chi2Contingency: 'table\[1\]' has length 1, expected 2/);
    expectError(() => wassersteinDistance([1, 2], [3], [1]), 'LENGTH_MISMATCH', /wassersteinDistance: 'uWeights' has length 1, expected 2/);
  });
  it('negative or non-finite probabilities, zero sums', () => {
    expectError(() => psi([1, -1], [1, 1]), 'INVALID_INPUT', /psi: 'expected'\[1\] is -1; probabilities and counts must be finite and non-negative/);
    expectError(() => entropy([0, 0]), 'INVALID_INPUT', /entropy: 'pk' sums to 0/);
    expectError(() => klDiv([1], [NaN]), 'INVALID_INPUT', /klDiv: 'q'\[0\] is NaN/);
    expectError(() => hellinger([1, Infinity], [1, 1]), 'INVALID_INPUT', /hellinger: 'p'\[1\] is Infinity/);
    expectError(() => chi2Contingency([[1, 0], [2, 0]]), 'INVALID_INPUT', /zero element at \(0, 1\)/);
  });
  it('bad edges and options', () => {
    expectError(() => histogram([1], [0]), 'INVALID_INPUT', /histogram: 'edges' must hold at least 2 values, got 1/);
    expectError(() => histogram([1], [0, Infinity]), 'INVALID_INPUT', /histogram: 'edges'\[1\] is Infinity; edges must be finite/);
    expectError(() => histogram([1], [0, 2, 1]), 'INVALID_INPUT', /edges\[2\] = 1 < edges\[1\] = 2/);
    expectError(() => quantileEdges([1, 2], 0), 'INVALID_PARAM', /'nBins' must be a positive integer. Got 0/);
    expectError(() => histogramBinEdges([1, 2], 'nope' as never), 'INVALID_PARAM', /'bins' option must be one of .*Got "nope"/);
    expectError(() => ks2samp([1], [2], { method: 'fast' as never }), 'INVALID_PARAM', /'method' option must be one of \["auto", "exact", "asymp"\]. Got "fast"/);
    expectError(() => jensenshannon([1], [1], { base: 1 }), 'INVALID_PARAM', /'base' option must be a finite number > 0 and != 1. Got 1/);
    expectError(() => chisquare([1, 2], [1, 5]), 'INVALID_INPUT', /sums of 'observed' \(3\) and 'expected' \(6\)/);
  });
});
