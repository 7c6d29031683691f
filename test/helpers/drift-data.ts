/**
 * Awkward large samples for the drift kernels' sampled-range paths (value-bucket
 * selection, code-sorted keys): each is long enough for those paths and stresses one of
 * their fallbacks or edge cases.
 */

/** Seeded uniform [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** Named samples of n values (n above 32768; an odd n leaves tails in the chunked loops). */
export function awkwardSamples(n: number, seed: number): Record<string, Float64Array> {
  const r = rng(seed);
  const step = Math.floor(n / 4096); // the kernels' strided sample sees every step-th value
  const gen: Record<string, (i: number) => number> = {
    normal: () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r()),
    'many duplicates': () => Math.floor(r() * 7) - 3,
    'all equal': () => 2.5,
    'all zero, both signs': () => (r() < 0.5 ? -0 : 0),
    'zeros among values': () => (r() < 0.3 ? (r() < 0.5 ? -0 : 0) : r() - 0.5),
    'NaN among values': (i) => (i % 5 === 0 ? NaN : r()),
    'skewed (lognormal)': () => Math.exp(6 * (r() - 0.5) * 4),
    'one bucket holds most (outlier)': (i) => (i === 777 ? 1e12 : r()),
    'outliers beyond the sample': (i) => (i % 4099 === 1 ? 1e9 * (r() - 0.5) : r()),
    // the sample sees a narrow band or one value: most values fall outside its range
    'sample sees a narrow band': (i) => (i % step === 0 ? 0.4 + 0.2 * r() : r()),
    'sample sees one value': (i) => (i % step === 0 ? 0.5 : r()),
    'sorted ascending': (i) => i * 0.5,
    'sorted descending': (i) => -i,
    'many binades (powers of two)': (i) => 2 ** -(i % 1000),
    'tiny range (adjacent doubles)': () => 1 + (r() < 0.5 ? 0 : Number.EPSILON) + (r() < 0.5 ? 0 : 2 * Number.EPSILON),
    denormals: () => Math.floor(r() * 100) * 5e-324,
    'huge spread': () => (r() - 0.5) * 1.7e308,
    infinities: (i) => (i % 1000 === 0 ? -Infinity : i % 1000 === 1 ? Infinity : r()),
    'narrow cluster plus wide tails': () => (r() < 0.98 ? 1 + r() * 1e-9 : (r() - 0.5) * 1e6),
    'timestamps (large integers)': () => 1.7e12 + Math.floor(r() * 1e9),
  };
  return Object.fromEntries(Object.entries(gen).map(([name, g]) => [name, Float64Array.from({ length: n }, (_, i) => g(i))]));
}
