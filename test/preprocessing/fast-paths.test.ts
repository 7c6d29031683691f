/**
 * Fast paths of preprocessing fit / transform against plain definitions: the median from
 * a sampled bracket (and its fallback), and category lookup through a table for small
 * integer categories.
 */
import { describe, expect, it } from 'vitest';
import { nanMedian } from '../../src/preprocessing/simple-imputer.js';
import { categoryIndex } from '../../src/preprocessing/one-hot-encoder.js';
import { referenceKernels } from '../../src/kernels/reference.js';
import { OneHotEncoder } from '../../src/index.js';
import { rng } from '../../src/core/random.js';

/** numpy.nanmedian by sorting. */
function sortedMedian(x: Float64Array): number {
  const o = Array.from(x).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (o.length === 0) return NaN;
  const m = o.length >> 1;
  return o.length % 2 ? o[m] : (o[m - 1] + o[m]) / 2;
}

describe('nanMedian', () => {
  it('equals the median by sorting, for sizes on both sides of the sampled path and many value shapes', () => {
    const rnd = rng(3);
    const shapes: ((i: number, n: number) => number)[] = [
      () => rnd(),
      () => Math.floor(rnd() * 3),
      () => (rnd() < 0.7 ? NaN : rnd() * 100),
      (i) => i,
      (i, n) => n - i,
      () => (rnd() < 0.5 ? -0 : 0),
      () => Math.round(rnd() * 60) + 20,
      () => (rnd() < 0.999 ? 5 : rnd()),
    ];
    for (const n of [0, 1, 2, 3, 10, 4095, 4096, 4097, 9000, 20_001]) {
      shapes.forEach((f, s) => {
        const x = Float64Array.from({ length: n }, (_, i) => f(i, n));
        const got = nanMedian(x), want = sortedMedian(x);
        expect(Object.is(got, want) || got === want, `n=${n} shape ${s}: ${got} vs ${want}`).toBe(true);
      });
    }
  });

  it('falls back to selecting among all values when the sample misses the middle', () => {
    // every sampled position holds a large value, every other position a small one
    const n = 10_000, step = n / 1024;
    const x = new Float64Array(n).map((_, i) => i % 97);
    for (let t = 0; t < 1024; t++) x[Math.floor(t * step)] = 1e6 + t;
    expect(nanMedian(x)).toBe(sortedMedian(x));
  });

  it('does not modify its input', () => {
    const x = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const copy = x.slice();
    nanMedian(x);
    expect(x).toEqual(copy);
  });
});

describe('category lookup', () => {
  it('small integer categories (table) give the indices of the binary search', () => {
    const rnd = rng(5);
    const x = Float64Array.from({ length: 3000 }, () => {
      const u = rnd();
      return u < 0.05 ? NaN : u < 0.1 ? -0 : u < 0.15 ? 2.5 : u < 0.2 ? -3 : u < 0.25 ? 5000 : Math.floor(rnd() * 12);
    });
    for (const cats of [[0, 1, 2, 3], [1, 3, 7, 11, NaN], [0, 4, 9, 10, 11], [NaN], [], [2, 1023], [0, 5000]]) {
      const got = categoryIndex({ kind: 'numeric', name: 'c', values: x }, cats);
      const want = referenceKernels.lookupSorted(x, Float64Array.from(cats));
      expect(Array.from(got), JSON.stringify(cats)).toEqual(Array.from(want));
    }
  });

  it('OneHotEncoder categories from the table and from a Set agree with sorting the distinct values', () => {
    const rnd = rng(9);
    const x = Float64Array.from({ length: 5000 }, () => {
      const u = rnd();
      return u < 0.02 ? NaN : u < 0.05 ? -0 : u < 0.1 ? 1e6 : u < 0.15 ? -2 : u < 0.2 ? 0.5 : Math.floor(rnd() * 1030);
    });
    const enc = new OneHotEncoder().fit({ c: x });
    const distinct = [...new Set(Array.from(x).filter((v) => !Number.isNaN(v)).map((v) => (v === 0 ? 0 : v)))].sort((a, b) => a - b);
    expect(enc.categories_[0]).toEqual([...distinct, NaN]);
  });
});

describe('OneHotEncoder.transformFrame', () => {
  it('equals transform (the dense matrix) for every drop setting, with unknown and missing values', () => {
    const rnd = rng(13);
    const train = { a: Float64Array.from({ length: 500 }, () => (rnd() < 0.05 ? NaN : Math.floor(rnd() * 4))), b: Array.from({ length: 500 }, () => (rnd() < 0.5 ? 'x' : 'y')) };
    const test = { a: Float64Array.from({ length: 300 }, () => (rnd() < 0.05 ? NaN : Math.floor(rnd() * 6))), b: Array.from({ length: 300 }, () => (rnd() < 0.1 ? 'z' : rnd() < 0.5 ? 'x' : 'y')) };
    for (const drop of [null, 'first', 'if_binary', [2, 'y'], [null, 'x']] as const) {
      const enc = new OneHotEncoder({ handleUnknown: 'ignore', drop: drop as never }).fit(train);
      const frame = enc.transformFrame(test), dense = enc.transform(test);
      expect(frame.names).toEqual(enc.getFeatureNamesOut());
      frame.columns.forEach((c, j) => {
        const want = Float64Array.from({ length: 300 }, (_, i) => dense.get(i, j));
        expect(c.kind === 'numeric' && Array.from(c.values)).toEqual(Array.from(want));
      });
    }
  });
});
