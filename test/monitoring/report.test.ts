import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEART_DRIFTED, makeHeart } from '../../src/datasets/heart.js';
import { Profile, driftReport, retrainingSignal } from '../../src/monitoring/index.js';
import { expectError } from '../helpers/errors.js';

const heart = (nRows: number, seed: number, drift = 0) => {
  const h = makeHeart({ nRows, seed, drift });
  return { ...h.columns, target: h.target };
};

describe('driftReport on the synthetic heart data', () => {
  it('flags exactly HEART_DRIFTED at 2000 rows (large-data rules: normed Wasserstein / Jensen-Shannon, threshold 0.1)', () => {
    for (const seed of [1, 2, 3]) {
      const r = driftReport(heart(2000, seed), heart(2000, seed + 100, 1), { target: 'target', prediction: 'num' });
      expect(r.rules).toBe('large-data');
      expect([...r.dataset.driftedColumns].sort()).toEqual([...HEART_DRIFTED].sort());
      expect(r.dataset.drifted).toBe(false); // 5 of 13 features < 0.5
      expect(r.columns.find((c) => c.column === 'age')!.method).toBe('wasserstein');
      expect(r.columns.find((c) => c.column === 'cp')!.method).toBe('jensenshannon');
      expect(r.target!.role).toBe('target');
      expect(r.prediction![0].column).toBe('num');
    }
  });

  it('finds no drift between two samples of the same distribution at 2000 rows', () => {
    for (const seed of [1, 2, 3]) {
      const r = driftReport(heart(2000, seed), heart(2000, seed + 200, 0), { target: 'target' });
      expect(r.dataset.driftedColumns).toEqual([]);
      expect(r.target!.drifted).toBe(false);
    }
  });

  it('small-data rules at 303 rows: KS and chi-square with p < 0.05, and every drifted column is found', () => {
    const r = driftReport(heart(303, 1), heart(303, 101, 1), { target: 'target' });
    expect(r.rules).toBe('small-data');
    const by = Object.fromEntries(r.columns.map((c) => [c.column, c]));
    expect(by.age.method).toBe('ks');
    expect(by.sex.method).toBe('chisquare');
    expect(by.age.threshold).toBe(0.05);
    for (const c of HEART_DRIFTED) expect(by[c].drifted).toBe(true);
  });

  it('a report on identical data finds no drift (property, any numeric/categorical data)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ a: fc.double({ min: -100, max: 100, noNaN: true }), b: fc.constantFrom('p', 'q', 'r') }), { minLength: 2, maxLength: 80 }),
      (rows) => {
        const r = driftReport(rows, rows, { allMetrics: true });
        expect(r.dataset.nDrifted).toBe(0);
        for (const c of r.columns) {
          for (const [m, v] of Object.entries(c.metrics!)) {
            if (m === 'ks' || m === 'chisquare') expect(v.pvalue).toBeGreaterThanOrEqual(0.05);
            else expect(v.statistic!).toBeLessThanOrEqual(1e-12);
          }
        }
      }), { numRuns: 50 });
  });

  it('is JSON-serialisable, honours per-column overrides and reports every metric on request', () => {
    const ref = Profile.fromFrame(heart(1500, 5));
    const r = driftReport(ref, heart(1500, 6, 1), { columns: { age: { method: 'psi', threshold: 0.2 }, cp: { method: 'chisquare' } }, allMetrics: true, retraining: true });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const age = r.columns.find((c) => c.column === 'age')!;
    expect([age.method, age.threshold]).toEqual(['psi', 0.2]);
    expect(Object.keys(age.metrics!).sort()).toEqual(['chisquare', 'hellinger', 'jensenshannon', 'kl', 'ks', 'psi', 'wasserstein']);
    expect(r.columns.find((c) => c.column === 'cp')!.pvalue).toBeLessThan(0.05);
    expect(r.retraining!.reasons.map((x) => x.rule)).toEqual(['featureDrift', 'targetDrift', 'predictionDrift', 'newLabels']);
  });

  it('reports a column absent from the current data as missing instead of failing', () => {
    const cur = heart(500, 7) as Record<string, unknown>;
    delete cur.chol;
    const r = driftReport(heart(500, 6), cur as ReturnType<typeof heart>);
    const chol = r.columns.find((c) => c.column === 'chol')!;
    expect([chol.status, chol.drifted, chol.method]).toEqual(['missing', false, null]);
    expect(chol.note).toBe('column "chol" is absent from the current data');
    expect(r.dataset.missingColumns).toEqual(['chol']);
    expect(r.dataset.nColumns).toBe(14);
  });

  it('rejects bad input with typed errors', () => {
    const ref = Profile.fromFrame({ x: [1, 2, 3], c: ['a', 'b', 'a'] });
    expectError(() => driftReport(ref, []), 'EMPTY_INPUT', /Found input with 0 rows/);
    expectError(() => driftReport(ref, Profile.fromFrame({ x: [5, 6, 7], c: ['a', 'b', 'a'] })), 'SCHEMA_MISMATCH', /at column "x": histogram edges/);
    expectError(() => driftReport(ref, { x: [1], c: ['a'] }, { columns: { c: { method: 'ks' } } }), 'INVALID_PARAM', /Drift method 'ks' needs a numeric column, but column "c" is categorical/);
    expectError(() => driftReport(ref, { x: [1], c: ['a'] }, { columns: { x: { method: 'foo' as 'ks' } } }), 'INVALID_PARAM', /Unknown drift method "foo" for column "x"/);
    expectError(() => driftReport(ref, { x: [1], c: ['a'] }, { target: 'y' }), 'MISSING_COLUMN', /Column "y" is missing from the input of driftReport \(target\)/);
    expectError(() => driftReport(ref, { x: [1], c: ['a'] }, { columns: { x: { threshold: -1 } } }), 'INVALID_PARAM', /threshold for column "x" must be a finite number >= 0. Got -1/);
    expectError(() => driftReport({ x: [NaN, NaN] }, { x: [1] }), 'MISSING_VALUE', /Column "x" has no non-missing values/);
  });
});

describe('retrainingSignal', () => {
  const r = driftReport(heart(1500, 11), heart(1500, 12, 1), { target: 'target', prediction: 'num', driftShare: 0.3 });
  it('fires on feature drift above the share and says which columns', () => {
    const s = retrainingSignal(r);
    expect(s.retrain).toBe(true);
    const f = s.reasons.find((x) => x.rule === 'featureDrift')!;
    expect(f.fired).toBe(true);
    expect(f.detail).toMatch(/^5 of 13 feature columns drifted \(share 0.3846; fires at >= 0.3\): age, cp, chol, thalach, oldpeak$/);
  });
  it('fires on enough new labels only, and not without a count', () => {
    const quiet = driftReport(heart(1500, 11), heart(1500, 13), { target: 'target' });
    expect(retrainingSignal(quiet).retrain).toBe(false);
    const s = retrainingSignal(quiet, { newLabels: 2000, minNewLabels: 1000 });
    expect(s.retrain).toBe(true);
    expect(s.reasons.find((x) => x.rule === 'newLabels')!.detail).toBe('2000 new labelled rows (fires at >= 1000)');
    expect(retrainingSignal(quiet, { newLabels: 10 }).reasons[3]).toEqual({ rule: 'newLabels', fired: false, detail: '10 new labelled rows (fires at >= 1500)' });
    expectError(() => retrainingSignal(quiet, { newLabels: -1 }), 'INVALID_PARAM', /'newLabels' option of retrainingSignal must be a finite number >= 0. Got -1/);
  });
});
