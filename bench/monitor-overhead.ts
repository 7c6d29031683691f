/**
 * Drift-monitor overhead: heart pipeline batch scoring with and without
 * `DriftMonitor.observe` on every scored batch (inputs and probabilities), for batches
 * of 1k and 10k rows. First every row profiled (`sampleRate: 1`, windows of 50k rows),
 * then sampled: fixed rates and the default `sampleRate: 'auto'` (about 1000 profiled
 * rows per window) for windows of 20k, 50k and 100k rows. Window closes (the closing
 * window keeps its gather buffer, the open one takes another from a pool) happen on the
 * scoring path and are included, spread over the batches; reports are made when asked for
 * and are not.
 * Target: < 10 % added to batch scoring time.
 *
 * Each figure is the mean time per batch over a timed round; rounds alternate between
 * the variants and are repeated, and the table shows the min and the median over rounds
 * of wall time, and the overhead also in process CPU time (min over rounds), which
 * other processes on a shared machine disturb less (the load average is printed).
 * `profile.update` alone is timed with the WebAssembly kernels and with the
 * plain-TypeScript reference.
 * Run: `taskset -c 1 npx tsx bench/monitor-overhead.ts` (add `--quick` for a short run).
 */
import { cpus, loadavg } from 'node:os';
import { DriftMonitor, Profile, driftReport, makeHeart, registerFunction } from '../src/index.js';
import { setBackend } from '../src/kernels/index.js';
import { heartPipeline, ratio } from '../test/helpers/heart.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const ROUND_MS = quick ? 150 : 400;
registerFunction('ratio', ratio);
const features = (n: number, seed: number, drift = 0) => {
  const h = makeHeart({ nRows: n, seed, drift });
  const { num: _num, ...X } = h.columns;
  return { X: X as Record<string, Float64Array>, y: h.target };
};
const train = features(10_000, 1);
const model = heartPipeline().fit(train.X, train.y);
const reference = Profile.fromFrame({ ...train.X, proba_1: model.predictProba(train.X).column(1) });

/** Mean wall and CPU ms per call over one round of about `ms` milliseconds. */
function round(fn: () => void, ms: number): { wall: number; cpu: number } {
  let reps = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = performance.now(); } while (t - t0 < ms);
  const c = process.cpuUsage(c0);
  return { wall: (t - t0) / reps, cpu: (c.user + c.system) / 1000 / reps };
}

type Timing = { min: number; median: number; cpu: number };
/** Min and median wall time, and min CPU time, over rounds of each variant, rounds interleaved. */
function measure(variants: Record<string, () => void>): Record<string, Timing> {
  const names = Object.keys(variants);
  for (const k of names) for (let i = 0; i < 3; i++) variants[k]();
  const runs: Record<string, { wall: number; cpu: number }[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const k of names) runs[k].push(round(variants[k], ROUND_MS));
  return Object.fromEntries(names.map((k) => {
    const w = runs[k].map((x) => x.wall).sort((a, b) => a - b);
    return [k, { min: w[0], median: w[w.length >> 1], cpu: Math.min(...runs[k].map((x) => x.cpu)) }];
  }));
}

const fmt = (v: { min: number; median: number }) => `${v.min.toFixed(3)} / ${v.median.toFixed(3)} ms`;
const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
const over = (r: Record<string, Timing>) => `${pct(r.scoreObserve.min, r.score.min)} / ${pct(r.scoreObserve.median, r.score.median)} | ${pct(r.scoreObserve.cpu, r.score.cpu)}`;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

console.log(`\nDrift monitor overhead — ${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, Node ${process.version}${quick ? ' (quick)' : ''}`);
console.log(`load average before: ${load()}; ${ROUNDS} rounds of ${ROUND_MS} ms per variant; min / median over rounds\n`);
console.log('Every row profiled (`sampleRate: 1`), windows of 50,000 rows:\n');
console.log('| batch rows | score only | score + observe | observe alone | overhead (wall min / median) | overhead (CPU) | profile.update: wasm | reference |');
console.log('|---|---|---|---|---|---|---|---|');
for (const n of [1000, 10_000]) {
  const { X } = features(n, 3, 0.5);
  const proba = model.predictProba(X);
  const batch = { ...X, proba_1: proba.column(1) };
  const monitorA = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4, sampleRate: 1 });
  const monitorB = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4, sampleRate: 1 });
  const r = measure({
    score: () => { model.predictProba(X); },
    scoreObserve: () => { const p = model.predictProba(X); monitorA.observe(X, { proba: p }); },
    observe: () => monitorB.observe(X, { proba }),
  });
  const u = (backend: 'wasm' | 'reference') => {
    setBackend(backend);
    try {
      let p = reference.emptyLike();
      return measure({ update: () => { if (p.nRows >= 50_000) p = reference.emptyLike(); p.update(batch); } }).update;
    } finally { setBackend('wasm'); }
  };
  const uw = u('wasm'), ur = u('reference');
  console.log(`| ${n.toLocaleString('en')} | ${fmt(r.score)} | ${fmt(r.scoreObserve)} | ${fmt(r.observe)} | ${over(r)} | ${fmt(uw)} | ${fmt(ur)} |`);
}
/**
 * Score, then observe, batch after batch for the same total time as measure(), timing each
 * call: the medians of scoring and of observing (window closes apart, then amortised over
 * the batches) give an overhead that a busy machine disturbs much less than comparing
 * separately timed rounds does. After each window close, `latest()` is timed too (what a
 * metrics endpoint calls): it profiles the closed window's last gathered rows and reports
 * the window, work that closing leaves off the scoring path; `allIn` adds it to the overhead.
 */
function perCall(n: number, X: Record<string, Float64Array>, mon: DriftMonitor) {
  const score: number[] = [], plain: number[] = [], closing: number[] = [], report: number[] = [];
  const total = ROUNDS * ROUND_MS * 2;
  for (let i = 0; i < 50; i++) mon.observe(X, { proba: model.predictProba(X) });
  let seen = 50 * n;
  const t0 = performance.now();
  let batches = 0;
  while (performance.now() - t0 < total) {
    const a = performance.now();
    const p = model.predictProba(X);
    const b = performance.now();
    mon.observe(X, { proba: p });
    const c = performance.now();
    score.push(b - a);
    const closed = Math.floor((seen + n) / mon.windowRows) !== Math.floor(seen / mon.windowRows);
    seen += n;
    (closed ? closing : plain).push(c - b);
    if (closed) { const d = performance.now(); mon.latest(); report.push(performance.now() - d); }
    batches++;
  }
  const med = (v: number[]) => { if (!v.length) return 0; const q = [...v].sort((x, y) => x - y); return q[q.length >> 1]; };
  const sm = med(score), om = med(plain), cm = med(closing), rm = med(report);
  const path = om * (batches - closing.length) + cm * closing.length;
  return { score: sm, observe: om, close: cm, report: rm, overhead: path / (sm * batches), allIn: (path + rm * report.length) / (sm * batches) };
}

console.log('\nSampled (a seeded uniform sample of rows is profiled; row counts and window boundaries stay exact):\n');
console.log('| batch rows | window rows | sampleRate | rows profiled per window | score only | score + observe | overhead (wall min / median) | overhead (CPU) | per call (median): score / observe / observe closing a window / first `latest()` after it | overhead per call: scoring path / with `latest()` once per window |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const configs: [number, number | 'auto'][] = [[50_000, 0.1], [50_000, 0.05], [20_000, 'auto'], [50_000, 'auto'], [100_000, 'auto']];
const us = (ms: number) => `${(ms * 1000).toFixed(1)}`;
for (const n of [1000, 10_000]) {
  const { X } = features(n, 3, 0.5);
  for (const [rows, rate] of configs) {
    const mon = new DriftMonitor({ reference, window: { rows }, maxWindows: 4, sampleRate: rate });
    const r = measure({
      score: () => { model.predictProba(X); },
      scoreObserve: () => { const p = model.predictProba(X); mon.observe(X, { proba: p }); },
    });
    const c = perCall(n, X, new DriftMonitor({ reference, window: { rows }, maxWindows: 4, sampleRate: rate }));
    const profiled = mon.windows().map((w) => w.profiledRows);
    const mean = profiled.length ? Math.round(profiled.reduce((a, b) => a + b, 0) / profiled.length) : NaN;
    const label = rate === 'auto' ? `auto (${mon.sampleRate})` : String(rate);
    console.log(`| ${n.toLocaleString('en')} | ${rows.toLocaleString('en')} | ${label} | ${mean.toLocaleString('en')} | ${fmt(r.score)} | ${fmt(r.scoreObserve)} | ${over(r)} | ${us(c.score)} / ${us(c.observe)} / ${us(c.close)} / ${us(c.report)} µs | ${(c.overhead * 100).toFixed(1)} % / ${(c.allIn * 100).toFixed(1)} % |`);
  }
}
{
  // the work a window's first report does besides the report itself: profiling its last gathered rows
  const { X } = features(1000, 5, 0.5);
  const batch = { ...X, proba_1: model.predictProba(X).column(1) };
  const t = measure({ update: () => { reference.emptyLike().update(batch); }, report: () => { driftReport(reference, reference.emptyLike().update(batch)); } });
  console.log(`\nOff the scoring path, per window: profiling 1,000 gathered rows (a new profile + \`update\`) ${fmt(t.update)}; that plus the drift report of the window ${fmt(t.report)}.`);
}
console.log(`\nload average after: ${load()}`);
