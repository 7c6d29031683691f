import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chi2Contingency, entropy, jensenshannon, ks2samp, quantileEdges, wassersteinDistance } from '../../src/drift/index.js';

const PY = '/usr/bin/python3';
const SCRIPT = new URL('../../scripts/fixtures/live_drift.py', import.meta.url).pathname;
const hasScipy = existsSync(PY) && spawnSync(PY, ['-c', 'import scipy, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasScipy) console.warn(`live scipy cross-check skipped: ${PY} with scipy and numpy is not available`);

const revive = (_k: string, v: unknown) =>
  v && typeof v === 'object' && '$float' in (v as object) ? Number((v as { $float: string }).$float) : v;
function close(got: number, want: number, rel: number, abs: number, what: string): void {
  if (!(Math.abs(got - want) <= rel * Math.abs(want) + abs)) expect.fail(`${what}: got ${got}, want ${want}`);
}

describe.skipIf(!hasScipy)('live cross-check against scipy via /usr/bin/python3 (statistics 1e-12, p-values 1e-9 relative)', () => {
  it('fresh seeded random samples agree', () => {
    const seed = Number(process.env.DRIFT_LIVE_SEED) || Date.now() % 2147483647; // replay: DRIFT_LIVE_SEED=<seed>
    console.log(`live scipy cross-check seed: ${seed}`);
    const value = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: -5, max: 5 }).map((v) => v * 1.0));
    const cases = fc.sample(fc.record({
      a: fc.array(value, { minLength: 1, maxLength: 400 }),
      b: fc.array(value, { minLength: 1, maxLength: 400 }),
      method: fc.constantFrom('auto', 'exact', 'asymp'),
      bins: fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: n, maxLength: n }))),
    }), { seed, numRuns: 25 }).map((c) => ({ a: c.a, b: c.b, method: c.method, p: c.bins[0], q: c.bins[1] }));
    const res = spawnSync(PY, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 });
    expect(res.status, res.stderr).toBe(0);
    const { results } = JSON.parse(res.stdout, revive);
    cases.forEach((c, i) => {
      const want = results[i], where = `seed ${seed} case ${i}`;
      if (Number.isNaN(want.ks[1])) {
        // scipy's NaN p-value (two samples of size 1, asymptotic) is refused with a typed error
        expect(() => ks2samp(c.a, c.b, { method: c.method as 'auto' })).toThrow(/asymptotic two-sided p-value is undefined/);
      } else {
        const ks = ks2samp(c.a, c.b, { method: c.method as 'auto' });
        close(ks.statistic, want.ks[0], 1e-12, 0, `${where} ks statistic`);
        close(ks.pvalue, want.ks[1], 1e-9, 1e-300, `${where} ks pvalue`);
      }
      close(wassersteinDistance(c.a, c.b), want.w1, 1e-12, 1e-15, `${where} wasserstein`);
      close(jensenshannon(c.p, c.q), want.js, 1e-12, 1e-15, `${where} jensenshannon`);
      close(entropy(c.p, c.q), want.kl, 1e-12, 1e-15, `${where} entropy`);
      quantileEdges(c.a, 10).forEach((e, k) => close(e, want.edges[k], 1e-12, 1e-300, `${where} edge ${k}`));
      const chi = chi2Contingency([c.p, c.q]);
      close(chi.statistic, want.chi2[0], 1e-12, 1e-15, `${where} chi2`);
      close(chi.pvalue, want.chi2[1], 1e-9, 1e-300, `${where} chi2 pvalue`);
    });
  });
});
