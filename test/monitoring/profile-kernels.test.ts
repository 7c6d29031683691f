import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceProfileKernels as R, type NumericBatchInput } from '../../src/kernels/profile.js';
import { referenceKernels } from '../../src/kernels/reference.js';
import { referenceDriftKernels } from '../../src/kernels/drift.js';
import { wasmProfileKernels as W } from '../../src/wasm/profile-kernels.js';

const special = new Float64Array([0, -0, 1, -1, NaN, Infinity, -Infinity, 1e300, -1e300, 1e-300, -1e-300, 3.5, NaN, 7, 7, 2]);
const finite = special.filter((v) => Number.isFinite(v));
const inputs = [
  special, finite, new Float64Array([5]), new Float64Array([-0]), new Float64Array([NaN]), new Float64Array(0),
  new Float64Array([2, 2, 2, 2]), new Float64Array([-0, 0, -0]), new Float64Array([0, -0, 0]), new Float64Array([Infinity, -Infinity, NaN]),
  Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3),
  Float64Array.from({ length: 20_000 }, (_, i) => (i % 7 === 3 ? NaN : (i * 7919) % 5)),
  Float64Array.from({ length: 9000 }, (_, i) => (i % 23) - 11.5),
];
const edgeSets = [new Float64Array([-1, 0, 1, 2, 3.5, 7]), new Float64Array([-1e300, 0, 1e300]), new Float64Array([1.5, 2.5]), new Float64Array([0, 1e-300])];

describe('WASM profile kernels equal the reference (exact, bit for bit, -0 distinguished)', () => {
  it('numericBatch on NaN / ±Infinity / ±0 / 1e±300 / n = 0 and 1 / constant columns, with and without value counting', () => {
    const cols: NumericBatchInput[] = [];
    for (const x of inputs) for (const edges of edgeSets) for (const distinctCap of [0, 1, 2, 5, 20]) cols.push({ x, edges, distinctCap });
    expect(W.numericBatch(cols)).toEqual(R.numericBatch(cols));
  });

  it('moments are those of colStats, histograms those of the drift kernels', () => {
    for (const x of inputs) {
      const [s] = R.numericBatch([{ x, edges: edgeSets[0], distinctCap: 20 }]);
      const st = referenceKernels.colStats(x);
      expect([s.count, s.mean, s.variance]).toEqual([st.count, st.mean, st.variance]);
      const h = referenceDriftKernels.histogramSlots(x, edgeSets[0], false);
      expect([s.counts, s.below, s.above, s.nanCount]).toEqual([h.counts, h.below, h.above, h.nanCount]);
    }
  });

  it('property: equal on random columns from a small value set (seed printed on failure)', () => {
    const value = fc.oneof(fc.constantFrom(0, -0, 1, 2.5, -3, NaN, 1e300), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 0, max: 21 }), (arr, cap) => {
      const cols = [{ x: Float64Array.from(arr), edges: edgeSets[0], distinctCap: cap }, { x: Float64Array.from(arr), edges: edgeSets[1], distinctCap: cap }];
      expect(W.numericBatch(cols)).toEqual(R.numericBatch(cols));
    }), { numRuns: 300 });
  });
});

describe('histogram lookup table (WASM) equals the edge search (reference)', () => {
  it('property: integer and fractional values on and between edges, close edges, wide and narrow spans', () => {
    const edgesArb = fc.uniqueArray(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 2, maxLength: 40 })
      .map((a) => Float64Array.from(a.map((v) => v + 0)).sort())
      .filter((e) => e.every((v, i) => i === 0 || v > e[i - 1]));
    fc.assert(fc.property(edgesArb, fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 2 ** 31 }), (edges, picks, seed) => {
      const lo = edges[0], hi = edges[edges.length - 1];
      const x = Float64Array.from(picks, (k, i) => {
        const r = (k * 2654435761 + seed + i) % 997;
        if (r % 4 === 0) return edges[r % edges.length]; // exactly on an edge
        if (r % 4 === 1) return Math.round(lo + ((hi - lo) * r) / 997); // integers across the range
        return lo - 1 + ((hi - lo + 2) * r) / 997;
      });
      const cols = [{ x, edges, distinctCap: 0 }];
      expect(W.numericBatch(cols)).toEqual(R.numericBatch(cols));
    }), { numRuns: 300 });
  });

  it('edges closer than a table cell, and edges at ±1e300, fall back to the search and stay exact', () => {
    const x = Float64Array.from({ length: 3000 }, (_, i) => (i % 11) * 0.25 - 1 + (i % 3) * 1e-12);
    for (const edges of [new Float64Array([0, 1e-12, 2e-12, 1]), new Float64Array([-1e300, -1, 0, 1, 1e300]), new Float64Array([-1, 0, 0.25, 1.5])]) {
      const cols = [{ x, edges, distinctCap: 0 }];
      expect(W.numericBatch(cols)).toEqual(R.numericBatch(cols));
    }
  });
});
