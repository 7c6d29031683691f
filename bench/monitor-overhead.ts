/**
 * Drift-monitor overhead: heart pipeline batch scoring with and without
 * `DriftMonitor.observe` on every scored batch (inputs and probabilities), for batches
 * of 1k and 10k rows, windows of 50k rows (so a window closes, and is reported, every
 * 50 or 5 batches: that cost is included, spread over the batches). Target: < 10 % added
 * to batch scoring time.
 *
 * Each figure is the mean time per batch over a timed round; rounds alternate between
 * the variants and are repeated, and the table shows the min and the median over rounds
 * (the machine may be shared: the load average is printed). `profile.update` alone is
 * timed with the WebAssembly kernels and with the plain-TypeScript reference.
 * Run: `npx tsx bench/monitor-overhead.ts` (add `--quick` for a short run).
 */
import { cpus, loadavg } from 'node:os';
import { DriftMonitor, Profile, makeHeart, registerFunction } from '../src/index.js';
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

/** Mean ms per call over one round of about `ms` milliseconds. */
function round(fn: () => void, ms: number): number {
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = performance.now(); } while (t - t0 < ms);
  return (t - t0) / reps;
}

/** Min and median over rounds of each variant, rounds interleaved. */
function measure(variants: Record<string, () => void>): Record<string, { min: number; median: number }> {
  const names = Object.keys(variants);
  for (const k of names) for (let i = 0; i < 3; i++) variants[k]();
  const runs: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const k of names) runs[k].push(round(variants[k], ROUND_MS));
  return Object.fromEntries(names.map((k) => {
    const s = runs[k].sort((a, b) => a - b);
    return [k, { min: s[0], median: s[s.length >> 1] }];
  }));
}

const fmt = (v: { min: number; median: number }) => `${v.min.toFixed(3)} / ${v.median.toFixed(3)} ms`;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

console.log(`\nDrift monitor overhead — ${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, Node ${process.version}${quick ? ' (quick)' : ''}`);
console.log(`load average before: ${load()}; ${ROUNDS} rounds of ${ROUND_MS} ms per variant; min / median over rounds\n`);
console.log('| batch rows | score only | score + observe | observe alone | overhead (min / median) | profile.update: wasm | reference |');
console.log('|---|---|---|---|---|---|---|');
for (const n of [1000, 10_000]) {
  const { X } = features(n, 3, 0.5);
  const proba = model.predictProba(X);
  const batch = { ...X, proba_1: proba.column(1) };
  const monitorA = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4 });
  const monitorB = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4 });
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
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(0)} %`;
  console.log(`| ${n.toLocaleString('en')} | ${fmt(r.score)} | ${fmt(r.scoreObserve)} | ${fmt(r.observe)} | ${pct(r.scoreObserve.min, r.score.min)} / ${pct(r.scoreObserve.median, r.score.median)} | ${fmt(uw)} | ${fmt(ur)} |`);
}
console.log('\nWith `sampleRate` (rows profiled; counts and windows exact):\n');
console.log('| batch rows | sampleRate | score only | score + observe | overhead (min / median) |');
console.log('|---|---|---|---|---|');
for (const n of [1000, 10_000]) {
  const { X } = features(n, 3, 0.5);
  for (const rate of [0.1, 0.02]) {
    const mon = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4, sampleRate: rate });
    const r = measure({
      score: () => { model.predictProba(X); },
      scoreObserve: () => { const p = model.predictProba(X); mon.observe(X, { proba: p }); },
    });
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(0)} %`;
    console.log(`| ${n.toLocaleString('en')} | ${rate} | ${fmt(r.score)} | ${fmt(r.scoreObserve)} | ${pct(r.scoreObserve.min, r.score.min)} / ${pct(r.scoreObserve.median, r.score.median)} |`);
  }
}
console.log(`\nload average after: ${load()}`);
