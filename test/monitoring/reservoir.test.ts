import { describe, expect, it } from 'vitest';
import { referenceProfileKernels as R } from '../../src/kernels/profile.js';
import { wasmProfileKernels as W } from '../../src/wasm/profile-kernels.js';
import { Reservoir } from '../../src/monitoring/reservoir.js';

describe('reservoir batch step: WASM equals the reference (exact, same PRNG stream)', () => {
  it('reservoirReplace on n = 1, m = 0, m = capacity, NaN / ±Infinity / -0 values', () => {
    const cases: [number, number, number][] = [[1, 1, 1], [1, 1, 0], [5, 3, 3], [50, 200, 50], [500, 10_000, 123], [64, 64, 64], [10, 200_000, 10], [4, 2_200_000, 4]];
    for (const [cap, nb, m] of cases) {
      for (const state of [0, 1, 0xffffffff, 123456789]) {
        const vals = Float64Array.from({ length: cap }, (_, i) => (i % 5 === 0 ? -0 : i));
        const src = Float64Array.from({ length: nb }, (_, i) => [NaN, Infinity, -Infinity, -0, 0.5][i % 5] ?? i);
        const a = vals.slice(), b = vals.slice();
        const sa = R.reservoirReplace(a, src, m, state), sb = W.reservoirReplace(b, src, m, state);
        expect(sb).toBe(sa);
        expect(b).toEqual(a);
      }
    }
  });
});

describe('Reservoir sampling is uniform and counts exactly', () => {
  it('each of 60 values is kept with probability capacity / seen, whatever the batch sizes (4000 seeds, 5 sigma)', () => {
    const cap = 12, n = 60, seeds = 4000;
    const hits = new Float64Array(n);
    const x = Float64Array.from({ length: n }, (_, i) => i);
    for (let seed = 0; seed < seeds; seed++) {
      const r = new Reservoir(cap, seed);
      const cuts = [0, 7 + (seed % 5), 20, 21 + (seed % 13), n];
      for (let c = 0; c + 1 < cuts.length; c++) r.addAll(x.subarray(cuts[c], cuts[c + 1]));
      expect([r.size, r.seen]).toEqual([cap, n]);
      const v = r.values();
      expect(new Set(v).size).toBe(cap); // without replacement
      for (const k of v) hits[k]++;
    }
    const p = cap / n, mean = seeds * p, sd = Math.sqrt(seeds * p * (1 - p));
    for (let i = 0; i < n; i++) expect(Math.abs(hits[i] - mean), `value ${i}`).toBeLessThan(5 * sd);
  });

  it('skips NaN (seen counts non-missing values only) and gives the same sample for the same seed and batches', () => {
    const x = Float64Array.from({ length: 3000 }, (_, i) => (i % 4 === 0 ? NaN : i));
    const a = new Reservoir(100, 7), b = new Reservoir(100, 7);
    a.addAll(x.subarray(0, 1000)); a.addAll(x.subarray(1000));
    b.addAll(Array.from(x.subarray(0, 1000))); b.addAll(x.subarray(1000), 1500);
    expect(a.seen).toBe(2250);
    expect(a.values()).toEqual(b.values());
    expect(a.values().every((v) => v === v && v % 4 !== 0)).toBe(true);
  });

  it('the share of a batch in the sample follows the hypergeometric law (mean and variance, 400 seeds, capacity 2000)', () => {
    const cap = 2000, old = 16_000, nb = 4000, seeds = 400;
    const first = Float64Array.from({ length: old }, (_, i) => i), batch = Float64Array.from({ length: nb }, (_, i) => -1 - i);
    const got: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const r = new Reservoir(cap, seed);
      r.addAll(first, old);
      r.addAll(batch, nb);
      got.push(r.values().filter((v) => v < 0).length);
    }
    const N = old + nb, mean = (cap * nb) / N, variance = (cap * nb * old * (N - cap)) / (N * N * (N - 1));
    const m = got.reduce((s, v) => s + v, 0) / seeds;
    const v = got.reduce((s, x) => s + (x - m) ** 2, 0) / (seeds - 1);
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / seeds));
    expect(v / variance).toBeGreaterThan(0.7);
    expect(v / variance).toBeLessThan(1.3);
  });
});
