import { describe, expect, it } from 'vitest';
import { makeHeart } from '../../src/datasets/heart.js';
import { Frame, type FrameInput } from '../../src/core/frame.js';
import { DriftMonitor, Profile } from '../../src/monitoring/index.js';
import { expectError } from '../helpers/errors.js';

const heart = (nRows: number, seed: number, drift = 0) => makeHeart({ nRows, seed, drift }).columns;

/** A stand-in scoring model: probability rises with age. */
const model = {
  predictProba(X: FrameInput) {
    const age = Frame.from(X).numeric('age');
    const data = new Float64Array(age.length * 2);
    age.forEach((a, i) => { const p = 1 / (1 + Math.exp(-(a - 55) / 8)); data[2 * i] = 1 - p; data[2 * i + 1] = p; });
    return { rows: age.length, cols: 2, data };
  },
  predict(X: FrameInput) { return Array.from(Frame.from(X).numeric('age'), (a) => (a > 55 ? 1 : 0)); },
};

describe('DriftMonitor', () => {
  const train = heart(2000, 1);
  const withOutputs = { ...train, proba_1: model.predictProba(train).data.filter((_, i) => i % 2 === 1), prediction: model.predict(train) };
  const reference = Profile.fromFrame(withOutputs);

  it('counts rows exactly, splits batches at window boundaries and keeps at most maxWindows', () => {
    const m = new DriftMonitor({ reference, window: { rows: 300 }, maxWindows: 3 });
    let passed = 0;
    for (let b = 0; b < 12; b++) {
      const n = 37 + 13 * b;
      m.observe(heart(n, 50 + b));
      passed += n;
    }
    const f = m.latest();
    expect(f.rowsObserved).toBe(passed);
    expect(f.windowsClosed).toBe(Math.floor(passed / 300));
    expect(f.currentWindowRows).toBe(passed % 300);
    expect(m.windows().length).toBe(3);
    expect(m.windows().every((w) => w.rows === 300)).toBe(true);
    expect(f.last!.datasetDrift).toBe(false);
  });

  it('rolls windows by time with an injected clock', () => {
    let t = 0;
    const m = new DriftMonitor({ reference, window: { ms: 1000 }, now: () => t });
    m.observe(heart(100, 3)); t = 500; m.observe(heart(100, 4)); t = 1200; m.observe(heart(50, 5));
    expect(m.windows().map((w) => w.rows)).toEqual([200]);
    expect(m.latest().currentWindowRows).toBe(50);
  });

  it('wrap() scores and observes; the report sees feature and prediction drift', () => {
    const m = new DriftMonitor({ reference, window: { rows: 5000 }, sampleRate: 1, probaColumns: ['proba_0', 'proba_1'], report: { prediction: ['proba_1', 'prediction'] } });
    const scored = m.wrap(model);
    const batch = heart(1500, 9, 1);
    const proba = scored.predictProba(batch);
    expect(proba.rows).toBe(1500);
    const r = m.report();
    expect(r.current.rows).toBe(1500);
    expect(r.dataset.driftedColumns).toContain('age');
    expect(r.prediction!.find((c) => c.column === 'proba_1')!.drifted).toBe(true);
    expect(r.prediction!.find((c) => c.column === 'prediction')!.status).toBe('missing'); // predict() not called
    expect(m.latest().last!.columns.age.drifted).toBe(true);
  });

  it('memory stays bounded: the sample never exceeds its capacity', () => {
    const small = Profile.fromFrame(train, { sampleSize: 64 });
    const m = new DriftMonitor({ reference: small, window: { rows: 1e9 }, sampleRate: 1 });
    for (let b = 0; b < 20; b++) m.observe(heart(500, 100 + b));
    const p = m.currentProfile();
    for (const c of p.columns) if (c.type === 'numeric') { expect(c.sample.size).toBeLessThanOrEqual(64); expect(c.sample.seen).toBe(c.count); }
    expect(p.nRows).toBe(10000);
  });

  it('rejects bad input with typed errors', () => {
    expectError(() => new DriftMonitor({ reference: {} as Profile }), 'INVALID_PARAM', /'reference' option of DriftMonitor must be a Profile/);
    expectError(() => new DriftMonitor({ reference, window: { rows: 0 } }), 'INVALID_PARAM', /'window.rows' parameter of DriftMonitor must be an integer >= 1. Got 0/);
    const m = new DriftMonitor({ reference });
    expectError(() => m.report(), 'EMPTY_INPUT', /DriftMonitor.report/);
    expectError(() => m.observe(heart(3, 1), { labels: [1, 0] }), 'LENGTH_MISMATCH', /DriftMonitor.observe: labels has length 2, expected 3/);
    expect(m.latest().rowsObserved).toBe(0);
  });
});

describe('DriftMonitor sampleRate', () => {
  it('profiles a seeded sample of rows while counts and windows stay exact; drift is still found', async () => {
    const { DriftMonitor, Profile, makeHeart, HEART_DRIFTED } = await import('../../src/index.js');
    const cols = (n: number, seed: number, drift = 0) => { const { num: _n, ...X } = makeHeart({ nRows: n, seed, drift }).columns; return X; };
    const reference = Profile.fromFrame(cols(20_000, 1));
    const make = () => new DriftMonitor({ reference, window: { rows: 30_000 }, sampleRate: 0.05, seed: 7 });
    const a = make(), b = make();
    for (let i = 0; i < 7; i++) { const X = cols(10_000, 10 + i, 1); a.observe(X); b.observe(X); }
    expect(a.latest().rowsObserved).toBe(70_000);
    expect(a.latest().currentWindowRows).toBe(10_000);
    const w = a.windows();
    expect(w.map((x) => x.rows)).toEqual([30_000, 30_000]);
    for (const x of w) expect(Math.abs(x.profiledRows - 1500)).toBeLessThan(200); // ~5 %
    expect(w.map((x) => x.profiledRows)).toEqual(b.windows().map((x) => x.profiledRows)); // seeded
    expect([...w[0].report!.dataset.driftedColumns].sort()).toEqual([...HEART_DRIFTED].sort());
  });
  it('refuses a sampleRate outside (0, 1]', async () => {
    const { DriftMonitor, Profile, WasmlearnError } = await import('../../src/index.js');
    const reference = Profile.fromFrame({ x: [1, 2, 3] });
    for (const r of [0, -1, 1.5, NaN]) {
      try { new DriftMonitor({ reference, sampleRate: r }); throw new Error('did not throw'); } catch (e) {
        expect(e).toBeInstanceOf(WasmlearnError);
        expect((e as InstanceType<typeof WasmlearnError>).message).toContain("'sampleRate'");
      }
    }
  });
});
