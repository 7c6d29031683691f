/**
 * Benchmark data shared by the drift benchmarks, so every script (and the Python peers
 * they hand the arrays to) measures the same values: seeded normal samples.
 */

/** mulberry32: small seeded uniform [0, 1) generator. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** n normal values with mean mu and standard deviation 1 (Box–Muller), seeded. */
export function normal(n: number, mu: number, seed: number): Float64Array {
  const r = mulberry32(seed), x = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = r() || 1e-12, v = r(), m = Math.sqrt(-2 * Math.log(u));
    x[i] = mu + m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) x[i + 1] = mu + m * Math.sin(2 * Math.PI * v);
  }
  return x;
}
