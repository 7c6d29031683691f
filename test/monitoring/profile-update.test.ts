import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/kernels/reference.js';
import { referenceDriftKernels } from '../../src/kernels/drift.js';
import { setBackend } from '../../src/kernels/index.js';
import { DISTINCT_CAP, Profile, type NumericColumnProfile } from '../../src/monitoring/profile.js';
import { expectError } from '../helpers/errors.js';

/** What Profile.update computed value by value before the fused kernel (the oracle). */
function oracle(batches: Float64Array[], edges: Float64Array) {
  let count = 0, missing = 0, mean = NaN, m2 = 0, min = Infinity, max = -Infinity, below = 0, above = 0;
  const counts = new Float64Array(edges.length - 1);
  let distinct: Map<number, number> | null = new Map();
  for (const x of batches) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (distinct !== null) {
        distinct.set(v, (distinct.get(v) ?? 0) + 1);
        if (distinct.size > DISTINCT_CAP) distinct = null;
      }
    }
    const st = referenceKernels.colStats(x);
    const h = referenceDriftKernels.histogramSlots(x, edges, false);
    for (let b = 0; b < counts.length; b++) counts[b] += h.counts[b];
    below += h.below; above += h.above; missing += h.nanCount;
    const nb = st.count, mb = st.mean, m2b = st.variance * st.count;
    if (nb > 0) {
      if (count === 0) { count = nb; mean = mb; m2 = m2b; } else {
        const n = count + nb, d = mb - mean;
        mean = mean + (d * nb) / n; m2 = m2 + m2b + (d * d * count * nb) / n; count = n;
      }
    }
  }
  return { count, missing, mean: count === 0 ? NaN : mean, m2, min, max, counts, below, above, distinct: distinct && [...distinct.entries()] };
}

const sign = (v: number) => (Object.is(v, -0) ? '-0' : v);

describe('Profile.update equals the value-by-value computation it replaced (bit for bit, -0 distinguished)', () => {
  const value = fc.oneof(fc.constantFrom(0, -0, 1, 2, 3.5, NaN, -7, 40), fc.double({ min: -100, max: 100, noNaN: true }), fc.integer({ min: -5, max: 30 }));
  for (const backend of ['wasm', 'reference'] as const) {
    it(`${backend} kernels: counts, histogram, moments, min / max and value counts over several batches`, () => {
      setBackend(backend);
      try {
        fc.assert(fc.property(fc.array(fc.array(value, { maxLength: 80 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (arrs, lowCard) => {
          const batches = arrs.map((a) => Float64Array.from(a, (v) => (lowCard && v === v ? Math.round(Math.abs(v)) % 6 : v)));
          const ref = Profile.fromFrame({ x: [-3, 0, 1, 2, 5, 8, 13, 21] }, { bins: 4 });
          const p = ref.emptyLike();
          for (const x of batches) p.update({ x });
          const c = p.column('x') as NumericColumnProfile;
          const o = oracle(batches, c.edges);
          expect([c.count, c.missing, c.below, c.above, c.mean, c.m2, sign(c.min), sign(c.max)])
            .toEqual([o.count, o.missing, o.below, o.above, o.mean, o.m2, sign(o.min), sign(o.max)]);
          expect(c.counts).toEqual(o.counts);
          expect(c.distinct && [...c.distinct.entries()]).toEqual(o.distinct);
          expect(c.sample.seen).toBe(o.count);
        }), { numRuns: 200 });
      } finally { setBackend('wasm'); }
    });
  }

  it('a batch with ±Infinity or a string column is rejected whole, naming the first bad column and row', () => {
    const ref = Profile.fromFrame({ a: [1, 2, 3], b: [4, 5, 6], c: [7, 8, 9] });
    const p = ref.emptyLike().update({ a: [1], b: [2], c: [3] });
    const before = JSON.stringify(p.toJSON());
    expectError(() => p.update({ a: [1, 2], b: [3, -Infinity], c: [Infinity, 1] }), 'NON_FINITE', /"b".*row 1|row 1.*"b"/);
    expectError(() => p.update({ a: [1, Infinity], b: [1, 2], c: ['x', 'y'] }), 'NON_FINITE', /"a"/);
    expect(() => p.update({ a: [1, 2], b: [1, 2], c: ['x', 'y'] })).toThrow(/"c"/);
    expect(JSON.stringify(p.toJSON())).toBe(before);
  });
});
