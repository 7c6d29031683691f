import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chi2Contingency, chisquare, entropy, hellinger, histogram, histogramBinEdges, jensenshannon, klDiv, ks2samp, psi,
  quantileEdges, relEntr, wassersteinDistance,
} from '../../src/drift/index.js';
import { kstwoSf } from '../../src/drift/special.js';
import { setBackend } from '../../src/kernels/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const revive = (_k: string, v: unknown) =>
  v && typeof v === 'object' && '$float' in (v as object) ? Number((v as { $float: string }).$float) : v;
const fx: Any = JSON.parse(readFileSync(new URL('../fixtures/drift/scipy.json', import.meta.url), 'utf8'), revive);
const S: Record<string, number[]> = fx.samples;

/** |got - want| <= rel * |want| (+ abs), with NaN/Infinity compared exactly. */
function close(got: number, want: number, rel: number, abs = 0): void {
  if (!Number.isFinite(want)) { expect(got).toBe(want); return; }
  const tol = rel * Math.abs(want) + abs;
  if (!(Math.abs(got - want) <= tol)) expect.fail(`got ${got}, want ${want} (tolerance ${tol})`);
}
const closeAll = (got: ArrayLike<number>, want: ArrayLike<number>, rel: number) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) close(got[i], want[i], rel, rel * 1e-300);
};

for (const backend of ['wasm', 'reference'] as const) {
  describe(`parity with numpy ${fx.versions.numpy} / scipy ${fx.versions.scipy} (${backend} kernels)`, () => {
    const use = () => setBackend(backend);

    it('histogram counts equal numpy.histogram exactly; NaN and out-of-range reported', () => {
      use();
      for (const c of fx.histogram) {
        const r = histogram(c.values, c.edges);
        expect(Array.from(r.counts)).toEqual(c.counts);
        expect([r.nanCount, r.below, r.above]).toEqual([c.nanCount, c.below, c.above]);
      }
    });
    it('quantileEdges equals numpy.quantile(linspace) within 1e-12 relative', () => {
      use();
      for (const c of fx.quantileEdges) closeAll(quantileEdges(c.values, c.nBins), c.edges, 1e-12);
    });
    it('histogramBinEdges equals numpy.histogram_bin_edges within 1e-12 relative', () => {
      use();
      for (const c of fx.histogramBinEdges) {
        const got = histogramBinEdges(c.values, c.bins, c.range ?? undefined);
        expect(got.length, `bins=${c.bins} n=${c.values.length}`).toBe(c.edges.length);
        closeAll(got, c.edges, 1e-12);
      }
    });
    it('entropy / KL equal scipy.stats.entropy within 1e-12 relative', () => {
      use();
      for (const c of fx.entropy) close(entropy(c.pk, c.qk, c.base == null ? {} : { base: c.base }), c.value, 1e-12, 1e-15);
    });
    it('relEntr / klDiv equal scipy.special within 1e-12 relative', () => {
      use();
      for (const c of fx.relEntr) {
        closeAll(relEntr(c.p, c.q), c.relEntr, 1e-12);
        closeAll(klDiv(c.p, c.q), c.klDiv, 1e-12);
      }
    });
    it('jensenshannon equals scipy.spatial.distance.jensenshannon within 1e-12 relative', () => {
      use();
      for (const c of fx.jensenshannon) close(jensenshannon(c.p, c.q, c.base == null ? {} : { base: c.base }), c.value, 1e-12, 1e-15);
    });
    it('psi and hellinger equal the numpy formulas within 1e-12 relative', () => {
      use();
      for (const c of fx.psi) close(psi(c.expected, c.actual), c.value, 1e-12, 1e-15);
      for (const c of fx.hellinger) close(hellinger(c.p, c.q), c.value, 1e-12, 1e-15);
    });
    it('wassersteinDistance equals scipy.stats.wasserstein_distance within 1e-12 relative', () => {
      use();
      for (const c of fx.wasserstein) close(wassersteinDistance(S[c.u], S[c.v], c.uWeights ?? undefined, c.vWeights ?? undefined), c.value, 1e-12, 1e-15);
    });
    it('ks2samp statistic within 1e-12 and p-value within 1e-9 relative of scipy.stats.ks_2samp (exact and asymptotic)', () => {
      use();
      for (const c of fx.ks2samp) {
        const r = ks2samp(S[c.a], S[c.b], { method: c.method, alternative: c.alternative });
        const where = `${c.a} vs ${c.b} ${c.method} ${c.alternative}`;
        try {
          close(r.statistic, c.statistic, 1e-12);
          close(r.pvalue, c.pvalue, 1e-9, 1e-300);
        } catch (e) { throw new Error(`${where}: ${(e as Error).message}`); }
      }
    });
    it('chisquare and chi2Contingency: statistic within 1e-12, p-value within 1e-9 relative', () => {
      use();
      for (const c of fx.chisquare) {
        const r = chisquare(c.observed, c.expected, { ddof: c.ddof });
        close(r.statistic, c.statistic, 1e-12);
        close(r.pvalue, c.pvalue, 1e-9, 1e-300);
      }
      for (const c of fx.chi2Contingency) {
        const r = chi2Contingency(c.table, { correction: c.correction });
        close(r.statistic, c.statistic, 1e-12, 1e-15);
        close(r.pvalue, c.pvalue, 1e-9, 1e-300);
        expect(r.dof).toBe(c.dof);
        r.expected.forEach((row, i) => closeAll(row, c.expected[i], 1e-12));
      }
    });
  });
}

describe('kstwo survival function over all its branches (1e-9 relative of scipy.stats.kstwo.sf)', () => {
  it('matches', () => {
    for (const c of fx.kstwo) {
      try { close(kstwoSf(c.n, c.x), c.sf, 1e-9, 1e-300); } catch (e) { throw new Error(`n=${c.n} x=${c.x}: ${(e as Error).message}`); }
    }
  });
});
