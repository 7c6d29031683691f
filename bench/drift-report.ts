/**
 * A full drift report over the 14 heart columns × 1M rows (reference: makeHeart seed 1;
 * current: makeHeart seed 2 with the drift knob at 0.5), against the same per-column
 * decisions computed with numpy/scipy in Python on the same arrays in the same run
 * (Evidently's large-data rules: Wasserstein distance normalised by the reference
 * standard deviation for numeric columns with more than 5 values, Jensen–Shannon distance
 * of the category frequencies otherwise, both drifted at >= 0.1).
 *
 * wasmlearn: `driftReport(referenceFrame, currentFrame)` (profiles both, then compares),
 * and `driftReport(referenceProfile, currentFrame)` (the training profile saved with the
 * model, as a service has it), with and without `allMetrics`. Python: the same columns as
 * numpy arrays (value counts with np.unique, scipy.stats.wasserstein_distance on all values,
 * scipy.spatial.distance.jensenshannon), best of 3 runs, timed inside Python.
 *
 * Note the methods differ in one respect: wasmlearn's Wasserstein distance in a report is
 * computed on the profiles' bounded uniform samples (5000 values per column by default,
 * sampling error of order std/sqrt(5000)), scipy's on all 1M values; the table reports
 * both statistics and whether the drifted flags agree.
 *
 * Run: taskset -c 1 npx tsx bench/drift-report.ts [--quick]   (quick: 100k rows)
 * Writes bench/out/drift-report.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEART_COLUMNS, Profile, driftReport, makeHeart, type DriftReport } from '../src/index.js';

const PY = '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const n = quick ? 100_000 : 1_000_000;
const ref = makeHeart({ nRows: n, seed: 1 }).columns as Record<string, Float64Array>;
const cur = makeHeart({ nRows: n, seed: 2, drift: 0.5 }).columns as Record<string, Float64Array>;

function best(fn: () => void, reps: number): number {
  fn();
  let b = Infinity;
  for (let r = 0; r < reps; r++) { const t = performance.now(); fn(); b = Math.min(b, performance.now() - t); }
  return b;
}

const reps = quick ? 3 : 5;
let report: DriftReport | undefined;
const tFrames = best(() => { report = driftReport(ref, cur); }, reps);
const refProfile = Profile.fromFrame(ref);
const tProfile = best(() => { report = driftReport(refProfile, cur); }, reps);
const tAll = best(() => { driftReport(refProfile, cur, { allMetrics: true }); }, reps);
const tRefProfile = best(() => Profile.fromFrame(ref), reps);
const ours = report!;

// ---- Python peer
type PyColumn = { column: string; method: 'wasserstein' | 'jensenshannon'; statistic: number; drifted: boolean };
let py: { ms: number; columns: PyColumn[]; versions: string } | { skipped: string };
try {
  const versions = execFileSync(PY, ['-c', 'import numpy, scipy; print("numpy", numpy.__version__, "scipy", scipy.__version__)'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-drift-report-'));
  try {
    const put = (name: string, a: Float64Array) => writeFileSync(join(dir, `${name}.f64`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    for (const c of HEART_COLUMNS) { put(`ref_${c}`, ref[c]); put(`cur_${c}`, cur[c]); }
    const script = String.raw`
import json, sys, time
import numpy as np
from scipy import stats
from scipy.spatial import distance
d, names = sys.argv[1], sys.argv[2].split(',')
load = lambda p: np.fromfile(f'{d}/{p}.f64', dtype='<f8')
ref = {c: load('ref_' + c) for c in names}
cur = {c: load('cur_' + c) for c in names}
def report():
    out = []
    for c in names:
        r, q = ref[c][~np.isnan(ref[c])], cur[c][~np.isnan(cur[c])]
        if np.unique(r).size > 5:
            s = stats.wasserstein_distance(r, q) / np.std(r)
            out.append(dict(column=c, method='wasserstein', statistic=float(s), drifted=bool(s >= 0.1)))
        else:
            cats = np.union1d(np.unique(r), np.unique(q))
            p = np.array([np.count_nonzero(r == v) for v in cats], dtype=float)
            k = np.array([np.count_nonzero(q == v) for v in cats], dtype=float)
            s = distance.jensenshannon(p / p.sum(), k / k.sum())
            out.append(dict(column=c, method='jensenshannon', statistic=float(s), drifted=bool(s >= 0.1)))
    return out
best, res = float('inf'), None
for _ in range(3):
    t = time.perf_counter(); res = report(); best = min(best, time.perf_counter() - t)
print(json.dumps(dict(ms=best * 1000, columns=res)))
`;
    const outText = execFileSync(PY, ['-c', script, dir, HEART_COLUMNS.join(',')], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
    py = { ...JSON.parse(outText), versions };
  } finally { rmSync(dir, { recursive: true, force: true }); }
} catch (e) {
  py = { skipped: `${PY} with numpy/scipy not available (${(e as Error).message.split('\n')[0]})` };
}

const rows = HEART_COLUMNS.map((c) => {
  const o = ours.columns.find((x) => x.column === c)!;
  const p = 'columns' in py ? py.columns.find((x) => x.column === c) : undefined;
  return { column: c, type: o.type, method: o.method, statistic: o.statistic, drifted: o.drifted, python: p ?? null };
});
const agree = rows.every((r) => !r.python || r.python.drifted === r.drifted);

console.log(`\nDrift report, ${HEART_COLUMNS.length} columns × ${n.toLocaleString('en')} rows — ${cpus()[0]?.model}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}${quick ? ' (quick)' : ''}\n`);
console.log('| workload | time (best) |');
console.log('|---|---|');
console.log(`| wasmlearn \`driftReport(referenceFrame, currentFrame)\` (profiles both) | ${tFrames.toFixed(1)} ms |`);
console.log(`| wasmlearn \`Profile.fromFrame(reference)\` alone | ${tRefProfile.toFixed(1)} ms |`);
console.log(`| wasmlearn \`driftReport(referenceProfile, currentFrame)\` | ${tProfile.toFixed(1)} ms |`);
console.log(`| wasmlearn the same with \`allMetrics: true\` | ${tAll.toFixed(1)} ms |`);
if ('ms' in py) console.log(`| numpy/scipy, the same per-column decisions (${py.versions}) | ${py.ms.toFixed(1)} ms (${(py.ms / tProfile).toFixed(1)}x the profile-based report, ${(py.ms / tFrames).toFixed(1)}x the frame-based one) |`);
else console.log(`| numpy/scipy | skipped: ${py.skipped} |`);
console.log('\n| column | type | wasmlearn method | wasmlearn statistic | scipy statistic | drifted (wasmlearn / scipy) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.column} | ${r.type} | ${r.method} | ${r.statistic?.toFixed(4) ?? '—'} | ${r.python ? `${r.python.statistic.toFixed(4)} (${r.python.method})` : '—'} | ${r.drifted ? 'yes' : 'no'} / ${r.python ? (r.python.drifted ? 'yes' : 'no') : '—'} |`);
}
console.log(`\nDrifted flags agree on every column: ${'columns' in py ? (agree ? 'yes' : 'NO') : 'n/a'}. Dataset drift (wasmlearn): ${ours.dataset.drifted} (${ours.dataset.nDrifted} of ${ours.dataset.nColumns}).`);
mkdirSync(join(process.cwd(), 'bench', 'out'), { recursive: true });
writeFileSync(join(process.cwd(), 'bench', 'out', 'drift-report.json'), JSON.stringify({ n, quick, load: loadavg()[0], ms: { frames: tFrames, profile: tProfile, allMetrics: tAll, referenceProfile: tRefProfile }, python: py, rows }, null, 1));
