/**
 * Drift-monitor overhead: heart pipeline batch scoring with and without
 * `DriftMonitor.observe` on every scored batch (inputs and probabilities), for batches
 * of 1k and 10k rows. Target: < 10 % added to batch scoring time.
 * Run: `npx tsx bench/monitor-overhead.ts` (add `--quick` for a short run).
 */
import { cpus } from 'node:os';
import { DriftMonitor, Profile, makeHeart, registerFunction } from '../src/index.js';
import { heartPipeline, ratio } from '../test/helpers/heart.js';

const quick = process.argv.includes('--quick');
registerFunction('ratio', ratio);
const features = (n: number, seed: number, drift = 0) => {
  const h = makeHeart({ nRows: n, seed, drift });
  const { num: _num, ...X } = h.columns;
  return { X: X as Record<string, Float64Array>, y: h.target };
};
const train = features(10_000, 1);
const model = heartPipeline().fit(train.X, train.y);
const reference = Profile.fromFrame({ ...train.X, proba_1: model.predictProba(train.X).column(1) });

function time(fn: () => void, ms: number): number {
  for (let i = 0; i < 3; i++) fn();
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = performance.now(); } while (t - t0 < ms);
  return (t - t0) / reps;
}

console.log(`\nDrift monitor overhead — ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}${quick ? ' (quick)' : ''}\n`);
console.log('| batch rows | score only | score + observe | observe alone | overhead |');
console.log('|---|---|---|---|---|');
for (const n of [1000, 10_000]) {
  const { X } = features(n, 3, 0.5);
  const monitor = new DriftMonitor({ reference, window: { rows: 50_000 }, maxWindows: 4 });
  const scoreOnly = time(() => { model.predictProba(X); }, quick ? 300 : 2000);
  const withObserve = time(() => {
    const proba = model.predictProba(X);
    monitor.observe(X, { proba });
  }, quick ? 300 : 2000);
  const proba = model.predictProba(X);
  const observeOnly = time(() => monitor.observe(X, { proba }), quick ? 300 : 2000);
  const pct = ((withObserve - scoreOnly) / scoreOnly) * 100;
  console.log(`| ${n.toLocaleString('en')} | ${scoreOnly.toFixed(3)} ms | ${withObserve.toFixed(3)} ms | ${observeOnly.toFixed(3)} ms | ${pct.toFixed(0)} % |`);
}
