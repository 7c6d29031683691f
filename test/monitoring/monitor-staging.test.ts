import { describe, expect, it } from 'vitest';
import { Frame } from '../../src/core/frame.js';
import { HEART_DRIFTED, makeHeart } from '../../src/datasets/heart.js';
import { DriftMonitor, Profile, type NumericColumnProfile } from '../../src/monitoring/index.js';
import { expectError } from '../helpers/errors.js';

const heart = (n: number, seed: number, drift = 0) => { const { num: _n, ...X } = makeHeart({ nRows: n, seed, drift }).columns; return X as Record<string, Float64Array>; };

/** A stream whose column `idx` is the global row number, plus a numeric and a categorical column. */
function stream(from: number, n: number) {
  const idx = new Float64Array(n), x = new Float64Array(n), g: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = from + i;
    idx[i] = r;
    x[i] = ((r * 7919) % 1000) / 10 + (r % 97 === 5 ? NaN : 0);
    g.push(['a', 'b', 'c', 'z'][r % 4]);
  }
  return { idx, x, g };
}
const refStream = stream(0, 4000);
const reference = Profile.fromFrame({ idx: refStream.idx.map((v) => v * 100), x: refStream.x, g: refStream.g.map((v) => (v === 'z' ? 'a' : v)) });

/** The profile of rows [a, b) of the stream, built directly. */
const direct = (a: number, b: number) => Profile.fromFrame(stream(a, b - a), { reference });

/** Everything but the sample's realisation (which depends on how values arrive in batches). */
function shape(p: Profile) {
  return p.columns.map((c) => c.type === 'numeric'
    ? { name: c.name, count: c.count, missing: c.missing, absent: c.absent, min: c.min, max: c.max, counts: Array.from(c.counts), below: c.below, above: c.above, seen: c.sample.seen, size: c.sample.size, mean: +c.mean.toPrecision(12), m2: +c.m2.toPrecision(12) }
    : { name: c.name, count: c.count, missing: c.missing, absent: c.absent, counts: Array.from(c.counts), other: c.other });
}

/** Feeds rows [0, total) in batches of the given sizes (cycled). */
function feed(m: DriftMonitor, total: number, sizes: number[], form: (s: ReturnType<typeof stream>) => unknown = (s) => s) {
  for (let at = 0, b = 0; at < total; b++) {
    const n = Math.min(sizes[b % sizes.length], total - at);
    m.observe(form(stream(at, n)) as Record<string, Float64Array>);
    at += n;
  }
}

describe('DriftMonitor gathers rows and profiles them in bulk', () => {
  it('every row: the open window equals a direct profile of its rows, whatever the batch sizes and input forms', () => {
    const forms: ((s: ReturnType<typeof stream>) => unknown)[] = [
      (s) => s,
      (s) => Frame.from(s),
      (s) => Frame.from(s).toRows(),
    ];
    for (const form of forms) {
      const m = new DriftMonitor({ reference, window: { rows: 1e9 }, sampleRate: 1 });
      feed(m, 9000, [1, 700, 5000, 33, 2047, 2048, 2049], form);
      expect(shape(m.currentProfile())).toEqual(shape(direct(0, 9000)));
      expect(m.latest().rowsObserved).toBe(9000);
    }
  });

  it('every row: each closed window holds exactly its own rows (gathered rows are profiled at the boundary)', () => {
    const m = new DriftMonitor({ reference, window: { rows: 1500 }, sampleRate: 1, maxWindows: 100 });
    feed(m, 10_000, [1000, 3, 2600, 170, 4096]);
    const w = m.windows();
    expect(w.map((x) => x.rows)).toEqual(Array(6).fill(1500));
    w.forEach((x, k) => {
      const want = direct(1500 * k, 1500 * (k + 1));
      const got = x.report!.columns.find((c) => c.column === 'idx')!.current;
      expect(got.count).toBe(1500);
      expect([got.min, got.max]).toEqual([1500 * k, 1500 * (k + 1) - 1]);
      expect(got.mean).toBeCloseTo((want.column('idx') as NumericColumnProfile).mean, 9);
      expect(x.profiledRows).toBe(1500);
    });
    expect(shape(m.currentProfile())).toEqual(shape(direct(9000, 10_000)));
  });

  it('sampled: windows profile only their own rows, counts stay exact, and the sample does not depend on batch sizes', () => {
    const run = (sizes: number[]) => {
      const m = new DriftMonitor({ reference, window: { rows: 1000 }, sampleRate: 0.1, seed: 3, maxWindows: 100 });
      feed(m, 20_500, sizes);
      return m;
    };
    const a = run([1000]), b = run([37, 5000, 1, 999, 250]);
    for (const m of [a, b]) {
      expect(m.latest().rowsObserved).toBe(20_500);
      expect(m.latest().windowsClosed).toBe(20);
      expect(m.latest().currentWindowRows).toBe(500);
    }
    const wa = a.windows(), wb = b.windows();
    expect(wa.map((w) => w.rows)).toEqual(Array(20).fill(1000));
    let profiled = 0;
    wa.forEach((w, k) => {
      const idx = w.report!.columns.find((c) => c.column === 'idx')!.current;
      expect(idx.count).toBe(w.profiledRows);
      expect(idx.min!).toBeGreaterThanOrEqual(1000 * k);
      expect(idx.max!).toBeLessThan(1000 * (k + 1));
      // the same global rows were sampled, whatever the batches
      expect(wb[k].profiledRows).toBe(w.profiledRows);
      expect(wb[k].report!.columns.find((c) => c.column === 'idx')!.current).toEqual(idx);
      profiled += w.profiledRows;
    });
    expect(Math.abs(profiled - 2000)).toBeLessThan(4 * Math.sqrt(2000 * 0.9)); // Binomial(20,000, 0.1)
    expect(shape(a.currentProfile())).toEqual(shape(b.currentProfile()));
  });

  it('closed windows keep their gathered rows while kept, and when handed out or the newest after being dropped', () => {
    // the same seed samples the same rows: a monitor that keeps every window is the oracle
    const make = (maxWindows: number) => new DriftMonitor({ reference, window: { rows: 1000 }, sampleRate: 0.1, seed: 5, maxWindows });
    const all = make(100), few = make(2);
    const idx = (w: { report: { columns: { column: string; current: unknown }[] } | null }) => w.report!.columns.find((c) => c.column === 'idx')!.current;
    let early: readonly ReturnType<DriftMonitor['roll']>[] = [];
    for (let at = 0, b = 0; at < 12_000; b++) {
      const n = [700, 1300, 90][b % 3];
      const s = stream(at, n);
      all.observe(s); few.observe(s);
      at += n;
      if (at >= 3000 && early.length === 0) early = few.windows(); // handed out, then dropped unread
    }
    const oracle = all.windows();
    expect(few.windows().map((w) => w.index)).toEqual([10, 11]);
    for (const w of [...early, ...few.windows()]) {
      expect(w.profiledRows).toBe(oracle[w.index].profiledRows);
      expect(idx(w)).toEqual(idx(oracle[w.index]));
    }
    expect(early.map((w) => w.index)).toEqual([2, 3]);
    // windows dropped before anyone saw them cannot be read; the newest with rows still can
    expect(few.report('last').current.rows).toBe(oracle[11].profiledRows);
    expect(few.latest().last!.window).toBe(11);
  });

  it('sampled: the rows drawn are those of geometric skips by inversion, floor(ln(1 - z / 2^32) / ln(1 - rate)), on splitmix32 draws', () => {
    const mix = (s: number) => {
      let z = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (const [rate, seed] of [[0.3, 1], [0.02, 7], [0.0007, 3]] as const) {
      let st = seed;
      const skip = () => { st = (st + 0x9e3779b9) >>> 0; return Math.floor(Math.log(1 - mix(st) / 4294967296) / Math.log1p(-rate)); };
      const want: number[] = [];
      for (let r = skip(); r < 60_000; r += 1 + skip()) want.push(r);
      const ref = Profile.fromFrame({ idx: [0, 60_000] }, { sampleSize: 20_000 });
      const m = new DriftMonitor({ reference: ref, window: { rows: 1e9 }, sampleRate: rate, seed });
      for (let at = 0; at < 60_000; at += 7000) m.observe({ idx: stream(at, Math.min(7000, 60_000 - at)).idx });
      const got = Array.from((m.currentProfile().column('idx') as NumericColumnProfile).sample.values()).sort((a, b) => a - b);
      expect(got).toEqual(want);
    }
  });

  it('sampled rows still in the buffer are profiled for report() and currentProfile()', () => {
    const m = new DriftMonitor({ reference, window: { rows: 1e9 }, sampleRate: 0.5, seed: 9 });
    m.observe(stream(0, 40));
    const p = m.currentProfile();
    expect(p.nRows).toBeGreaterThan(5);
    expect(p.nRows).toBeLessThan(35);
    expect(m.report().current.rows).toBe(p.nRows);
    expect(m.latest().currentWindowRows).toBe(40);
  });

  it('rows gathered before a time roll belong to the window that closes', () => {
    let t = 0;
    const m = new DriftMonitor({ reference, window: { ms: 1000 }, sampleRate: 1, now: () => t });
    m.observe(stream(0, 300)); t = 400; m.observe(stream(300, 200)); t = 1000; m.observe(stream(500, 100));
    expect(m.windows().map((w) => [w.rows, w.profiledRows])).toEqual([[500, 500]]);
    expect(m.windows()[0].report!.columns.find((c) => c.column === 'idx')!.current.max).toBe(499);
    expect(m.currentProfile().nRows).toBe(100);
    m.roll();
    expect(m.windows().map((w) => w.profiledRows)).toEqual([500, 100]);
    // the open window is empty: report() is the last closed window, profiled on demand
    expect(m.report().current.rows).toBe(100);
    expect(m.report('last').columns.find((c) => c.column === 'idx')!.current.min).toBe(500);
    expect(m.latest().last!.rows).toBe(100);
  });

  it('a column absent from some batches is counted as absent for exactly those rows', () => {
    const m = new DriftMonitor({ reference, window: { rows: 1e9 }, sampleRate: 1 });
    const s1 = stream(0, 100), s2 = stream(100, 50), s3 = stream(150, 30);
    m.observe({ idx: s1.idx, g: s1.g });
    m.observe(s2);
    m.observe({ idx: s3.idx, x: s3.x });
    const p = m.currentProfile();
    expect(p.nRows).toBe(180);
    const x = p.column('x'), g = p.column('g');
    expect([x.absent, g.absent]).toEqual([100, 30]);
    expect(x.count + x.missing).toBe(180);
    expect(g.count + g.missing).toBe(180);
    const want = Profile.fromFrame({ idx: s1.idx, g: s1.g }, { reference }).merge(Profile.fromFrame(s2, { reference })).merge(Profile.fromFrame({ idx: s3.idx, x: s3.x }, { reference }));
    expect(shape(p)).toEqual(shape(want));
  });

  it('probabilities and labels are profiled from the predictions, for sampled rows too', () => {
    const ref = Profile.fromFrame({ idx: refStream.idx, proba_1: refStream.x.map((v) => (v === v ? v / 100 : 0.5)), prediction: refStream.g.map((v) => (v === 'z' ? 'a' : v)) });
    const m = new DriftMonitor({ reference: ref, window: { rows: 1e9 }, sampleRate: 0.25, seed: 5 });
    let rows = 0;
    for (let b = 0; b < 20; b++) {
      const s = stream(rows, 300);
      const data = new Float64Array(600);
      for (let i = 0; i < 300; i++) { data[2 * i] = 1 - s.idx[i] / 1e6; data[2 * i + 1] = s.idx[i] / 1e6; }
      m.observe({ idx: s.idx }, { proba: { rows: 300, cols: 2, data }, labels: s.g });
      rows += 300;
    }
    const p = m.currentProfile();
    const idx = p.column('idx') as NumericColumnProfile, p1 = p.column('proba_1') as NumericColumnProfile, lab = p.column('prediction');
    expect(p1.count).toBe(idx.count);
    expect(p1.mean).toBeCloseTo(idx.mean / 1e6, 12); // the same rows
    expect(lab.count).toBe(idx.count);
    expect(lab.type === 'categorical' && lab.other).toBeGreaterThan(0); // 'z' is not a reference category
  });

  it('a bad value in a profiled row is refused and nothing of the batch is counted', () => {
    for (const rate of [1, 0.5]) {
      const m = new DriftMonitor({ reference, window: { rows: 1000 }, sampleRate: rate, seed: 2 });
      feed(m, 900, [300]);
      const before = { ...m.latest(), staged: m.currentProfile().nRows };
      const s = stream(900, 3000);
      s.x.fill(Infinity, 0, 3000);
      expectError(() => m.observe(s), 'NON_FINITE', /Infinity in column "x" at row \d+, which DriftMonitor does not accept/);
      const after = m.latest();
      expect([after.rowsObserved, after.windowsClosed, after.batchesObserved, m.currentProfile().nRows])
        .toEqual([before.rowsObserved, before.windowsClosed, before.batchesObserved, before.staged]);
      // the sampler is unchanged too: the same batch, fixed, samples as a fresh monitor would
      const twin = new DriftMonitor({ reference, window: { rows: 1000 }, sampleRate: rate, seed: 2 });
      feed(twin, 900, [300]);
      const ok = stream(900, 3000);
      m.observe(ok); twin.observe(ok);
      expect(m.windows().map((w) => w.profiledRows)).toEqual(twin.windows().map((w) => w.profiledRows));
    }
    // every row of a large batch, profiled in place: the kernel's check refuses it before anything is added
    const big = new DriftMonitor({ reference, window: { rows: 1e9 }, sampleRate: 1 });
    big.observe(stream(0, 100));
    const bad = stream(100, 5000);
    bad.x[4321] = -Infinity;
    expectError(() => big.observe(bad), 'NON_FINITE', /-Infinity in column "x" at row 4321/);
    expect([big.latest().rowsObserved, big.currentProfile().nRows, big.currentProfile().column('x').count]).toEqual([100, 100, direct(0, 100).column('x').count]);
    const m = new DriftMonitor({ reference, sampleRate: 1 });
    expectError(() => m.observe({ idx: [1, 2], x: ['a', 'b'], g: ['a', 'b'] }), 'COLUMN_TYPE', /"x"/);
    expectError(() => m.observe({ idx: new Float64Array(2), x: new Float64Array(3) }), 'LENGTH_MISMATCH', /"x"/);
    expect(m.latest().rowsObserved).toBe(0);
  });

  it("sampleRate 'auto' (the default) profiles about 1000 rows per window", () => {
    expect(new DriftMonitor({ reference }).sampleRate).toBe(1); // window of 1000 rows
    expect(new DriftMonitor({ reference, window: { rows: 500 } }).sampleRate).toBe(1);
    expect(new DriftMonitor({ reference, window: { ms: 60_000 } }).sampleRate).toBe(1);
    expect(new DriftMonitor({ reference, window: { rows: 50_000 } }).sampleRate).toBe(0.02);
    expect(new DriftMonitor({ reference, window: { rows: 50_000 }, sampleRate: 'auto' }).sampleRate).toBe(0.02);
    expect(new DriftMonitor({ reference, window: { rows: 50_000 }, sampleRate: 1 }).sampleRate).toBe(1);
    expectError(() => new DriftMonitor({ reference, sampleRate: 'fast' as 'auto' }), 'INVALID_PARAM', /'sampleRate'/);
  });

  it('memory is bounded: the gather buffer and the samples stay fixed over a million rows', () => {
    const m = new DriftMonitor({ reference, window: { rows: 1e9 }, sampleRate: 0.5 });
    for (let b = 0; b < 100; b++) m.observe(stream(b * 10_000, 10_000));
    const p = m.currentProfile();
    expect(m.latest().rowsObserved).toBe(1_000_000);
    for (const c of p.columns) if (c.type === 'numeric') expect(c.sample.size).toBeLessThanOrEqual(c.sample.capacity);
    expect(Math.abs(p.nRows - 500_000)).toBeLessThan(3000);
  });
});

describe("DriftMonitor with the default sampling (windows of 50,000 rows, ~1000 profiled)", () => {
  const reference = Profile.fromFrame(heart(20_000, 1));
  const stats = (m: DriftMonitor) => m.windows().map((w) => Object.fromEntries(w.report!.columns.map((c) => [c.column, c.statistic!])));

  it('finds exactly the drifted columns, flags nothing without drift, and stays close to every-row statistics', () => {
    const auto = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 10 });
    const full = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 10, sampleRate: 1 });
    expect(auto.sampleRate).toBe(0.02);
    for (let b = 0; b < 10; b++) { const X = heart(10_000, 100 + b, 0); auto.observe(X); full.observe(X); }
    for (let b = 0; b < 10; b++) { const X = heart(10_000, 200 + b, 1); auto.observe(X); full.observe(X); }
    const w = auto.windows();
    expect(w.map((x) => x.rows)).toEqual([50_000, 50_000, 50_000, 50_000]);
    for (const x of w) expect(Math.abs(x.profiledRows - 1000)).toBeLessThan(130);
    expect(w.map((x) => x.report!.dataset.driftedColumns.length)).toEqual([0, 0, HEART_DRIFTED.length, HEART_DRIFTED.length]);
    for (const x of w.slice(2)) expect([...x.report!.dataset.driftedColumns].sort()).toEqual([...HEART_DRIFTED].sort());
    const a = stats(auto), f = stats(full);
    for (let k = 0; k < 4; k++) for (const c of Object.keys(f[k])) expect(Math.abs(a[k][c] - f[k][c])).toBeLessThan(0.05);
  });
});
