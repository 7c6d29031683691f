/**
 * Radix selection (quantile ranks without a full sort) equals the plain-TS reference, which
 * sorts: exact, on ties, signed zeros, NaN, integers, huge and tiny magnitudes, and sizes
 * around the kernel's small-segment and bucket thresholds; and on large inputs (value
 * buckets over a range sampled during the copy-in, with its fallbacks): duplicates, all
 * equal, signed zeros, NaN, skewed data, ranks sharing a bucket, outliers beyond the
 * sample, values spread over many binades (key select after the value levels).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wasmDriftKernels } from '../../src/wasm/drift-kernels.js';
import { referenceDriftKernels } from '../../src/kernels/drift.js';
import { awkwardSamples, rng } from '../helpers/drift-data.js';

const pick = (k: number) => Array.from(new Set([0, k - 1, k >> 1, (k * 3) >> 2, k >> 2, Math.min(k - 1, 47), Math.min(k - 1, 48), Math.min(k - 1, 49)])).filter((r) => r >= 0 && r < k);

function same(x: Float64Array, ranks: (k: number) => number[] = pick): void {
  const a = wasmDriftKernels.sortedAt(x, ranks);
  const b = referenceDriftKernels.sortedAt(x, ranks);
  expect(a.count).toBe(b.count);
  expect(a.values.map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(b.values.map((v) => Object.is(v, -0) ? '-0' : v));
}

describe('sortedAt: WASM radix selection == reference sort (exact)', () => {
  it('special values and sizes around thresholds', () => {
    for (const n of [1, 2, 47, 48, 49, 50, 1000, 8192, 8193, 70_000]) {
      const r = new Float64Array(n).map((_, i) => [NaN, -0, 0, 1e300, -1e300, 1e-300, 3, 3, 3, -7.5][i % 10] * (i % 7 === 0 ? 1 : 1));
      same(r);
      same(new Float64Array(n).map((_, i) => i % 13));              // integer-coded, heavy ties
      same(new Float64Array(n).map((_, i) => Math.sin(i) * 1e6));   // spread
      same(new Float64Array(n).fill(42));                            // constant
      same(new Float64Array(n).map((_, i) => (i % 8191 === 5 ? i : NaN))); // mostly NaN, across chunks
    }
  });
  it('random arrays (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.double(), fc.integer({ min: -5, max: 5 }), fc.constant(-0), fc.constant(NaN)), { minLength: 1, maxLength: 3000 }), (vals) => {
      same(Float64Array.from(vals));
    }), { numRuns: 300 });
  });
});

/** quantile-like ranks (21 evenly spaced), neighbours that share a bucket, and the pick set */
const many = (k: number) => Array.from(new Set([...pick(k), ...Array.from({ length: 21 }, (_, i) => Math.floor(((k - 1) * i) / 20)),
  k >> 1, Math.min(k - 1, (k >> 1) + 1), Math.min(k - 1, (k >> 1) + 2), Math.min(k - 1, (k >> 1) + 40)])).filter((r) => r >= 0 && r < k);

const sameMany = (x: Float64Array) => same(x, many);

describe('sortedAt on large inputs: value buckets == reference sort (exact)', () => {
  for (const [name, x] of Object.entries(awkwardSamples(100_003, 7))) {
    it(name, () => { sameMany(x); });
  }
  it('sizes around the sampled-range threshold', () => {
    const r = rng(3);
    for (const m of [32_767, 32_768, 32_769]) sameMany(Float64Array.from({ length: m }, () => r() * 3 - 1));
  });
});

