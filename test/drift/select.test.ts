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

const pick = (k: number) => Array.from(new Set([0, k - 1, k >> 1, (k * 3) >> 2, k >> 2, Math.min(k - 1, 47), Math.min(k - 1, 48), Math.min(k - 1, 49)])).filter((r) => r >= 0 && r < k);

function same(x: Float64Array): void {
  const a = wasmDriftKernels.sortedAt(x, pick);
  const b = referenceDriftKernels.sortedAt(x, pick);
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

/** seeded uniform [0, 1) (mulberry32) */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** quantile-like ranks (21 evenly spaced), neighbours that share a bucket, and the pick set */
const many = (k: number) => Array.from(new Set([...pick(k), ...Array.from({ length: 21 }, (_, i) => Math.floor(((k - 1) * i) / 20)),
  k >> 1, Math.min(k - 1, (k >> 1) + 1), Math.min(k - 1, (k >> 1) + 2), Math.min(k - 1, (k >> 1) + 40)])).filter((r) => r >= 0 && r < k);

function sameMany(x: Float64Array): void {
  const a = wasmDriftKernels.sortedAt(x, many);
  const b = referenceDriftKernels.sortedAt(x, many);
  expect(a.count).toBe(b.count);
  expect(a.values.map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(b.values.map((v) => Object.is(v, -0) ? '-0' : v));
}

describe('sortedAt on large inputs: value buckets == reference sort (exact)', () => {
  const n = 100_003; // above the sampled-range threshold, odd
  const r = rng(7);
  const gen: Record<string, (i: number) => number> = {
    normal: () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r()),
    'many duplicates': () => Math.floor(r() * 7) - 3,
    'all equal': () => 2.5,
    'all zero, both signs': () => (r() < 0.5 ? -0 : 0),
    'zeros among values': () => (r() < 0.3 ? (r() < 0.5 ? -0 : 0) : r() - 0.5),
    'NaN among values': (i) => (i % 5 === 0 ? NaN : r()),
    'skewed (lognormal)': () => Math.exp(6 * (r() - 0.5) * 4),
    'one bucket holds most (outlier)': (i) => (i === 777 ? 1e12 : r()),
    'outliers beyond a sample': (i) => (i % 4099 === 1 ? 1e9 * (r() - 0.5) : r()),
    'sorted ascending': (i) => i * 0.5,
    'sorted descending': (i) => -i,
    'many binades (powers of two)': (i) => 2 ** -(i % 1000),
    'tiny range (adjacent doubles)': () => 1 + (r() < 0.5 ? 0 : Number.EPSILON) + (r() < 0.5 ? 0 : 2 * Number.EPSILON),
    'denormals': () => Math.floor(r() * 100) * 5e-324,
    'huge spread': () => (r() - 0.5) * 1.7e308,
    'infinities': (i) => (i % 1000 === 0 ? -Infinity : i % 1000 === 1 ? Infinity : r()),
    // the strided sample (every 24th value here) sees a narrow band or one value: most
    // values fall outside the estimate, so the values are counted again over their range
    'sample sees a narrow band': (i) => (i % 24 === 0 ? 0.4 + 0.2 * r() : r()),
    'sample sees one value': (i) => (i % 24 === 0 ? 0.5 : r()),
    'narrow cluster plus wide tails': () => (r() < 0.98 ? 1 + r() * 1e-9 : (r() - 0.5) * 1e6),
  };
  for (const [name, g] of Object.entries(gen)) {
    it(name, () => { sameMany(Float64Array.from({ length: n }, (_, i) => g(i))); });
  }
  it('sizes around the sampled-range threshold', () => {
    for (const m of [32_767, 32_768, 32_769]) sameMany(Float64Array.from({ length: m }, () => r() * 3 - 1));
  });
});

