/**
 * Cold start in Node: a fresh process imports the built package (dist/, as users get it),
 * loads the heart model document and makes its first prediction; the time is measured
 * inside the child from before the import to after the first `predictProbaRow` (Node's own
 * start-up is not included; it is reported apart as the time of an empty `node -e ''`).
 * onnxruntime-node in the same way on the exported model (import, `InferenceSession.create`,
 * first `run`), when installed (`npm run setup:peers`).
 * Median of 15 fresh processes each, with wasmlearn's phases. Run after `npm run build`:
 *   taskset -c 1 npx tsx bench/cold-start.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toONNX } from '../src/onnx/index.js';
import { heartPipeline } from '../test/helpers/heart.js';
import { features } from './peers/common.js';
import { ROOT } from './peers/common.js';

const dist = join(ROOT, 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error('dist/index.js is missing: run `npm run build` first.');
  process.exit(2);
}
const train = features(10_000, 1);
const model = heartPipeline(undefined, 'expr').fit(train.X, train.y);
const row = Object.fromEntries(Object.entries(features(1, 2).X).map(([k, v]) => [k, v[0]]));
const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-cold-'));
const RUNS = 15;

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; }
/** Runs `script` in RUNS fresh processes; each prints a JSON object of phase times (ms), `total` among them. */
function runs(script: string, file: string): Record<string, number>[] {
  const path = join(dir, file);
  writeFileSync(path, script);
  return Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, [path], { encoding: 'utf8', cwd: ROOT })) as Record<string, number>);
}
const totals = (r: Record<string, number>[]) => r.map((x) => x.total);

try {
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model.toJSON()));
  writeFileSync(join(dir, 'model.onnx'), toONNX(model));
  const oursRuns = runs(`
const t0 = performance.now();
const { init, loadModel } = await import(${JSON.stringify(dist)});
const t1 = performance.now();
const { readFileSync } = await import('node:fs');
const doc = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'model.json'))}, 'utf8'));
const t2 = performance.now();
await init();
const t3 = performance.now();
const m = loadModel(doc);
const t4 = performance.now();
const p = m.predictProbaRow(${JSON.stringify(row)});
const t5 = performance.now();
if (!(p[1] >= 0 && p[1] <= 1)) throw new Error('bad probability');
console.log(JSON.stringify({ import: t1 - t0, read: t2 - t1, init: t3 - t2, load: t4 - t3, first: t5 - t4, total: t5 - t0 }));
`, 'ours.mjs');
  const ours = totals(oursRuns);
  const emptyNode: number[] = [];
  for (let i = 0; i < RUNS; i++) { const t = performance.now(); execFileSync(process.execPath, ['-e', '']); emptyNode.push(performance.now() - t); }
  let ort: number[] | string;
  try {
    const ortPath = join(ROOT, 'node_modules', 'onnxruntime-node');
    if (!existsSync(ortPath)) throw new Error('onnxruntime-node is not installed (run `npm run setup:peers`)');
    const feeds = Object.entries(row).map(([k, v]) => `${JSON.stringify(k)}: new ort.Tensor('float32', Float32Array.of(${Number.isNaN(v) ? 'NaN' : v}), [1, 1])`).join(', ');
    ort = totals(runs(`
const t0 = performance.now();
const { createRequire } = await import('node:module');
const ort = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('onnxruntime-node');
const { readFileSync } = await import('node:fs');
const s = await ort.InferenceSession.create(readFileSync(${JSON.stringify(join(dir, 'model.onnx'))}), { intraOpNumThreads: 1, interOpNumThreads: 1 });
const r = await s.run({ ${feeds} });
if (!r.probabilities) throw new Error('no probabilities');
console.log(JSON.stringify({ total: performance.now() - t0 }));
`, 'ort.mjs'));
  } catch (e) { ort = (e as Error).message.split('\n')[0]; }

  console.log(`\nCold start in Node — ${cpus()[0]?.model}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}; median (min–max) of ${RUNS} fresh processes\n`);
  console.log('| from before the import to the first prediction | median | min–max | target |');
  console.log('|---|---|---|---|');
  const fmt = (xs: number[]) => `${median(xs).toFixed(1)} ms | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} ms`;
  console.log(`| wasmlearn (dist/index.js: import, instantiate the embedded wasm, loadModel, predictProbaRow) | ${fmt(ours)} | < 20 ms: ${median(ours) < 20 ? 'yes' : 'no'} |`);
  if (typeof ort === 'string') console.log(`| onnxruntime-node | skipped: ${ort} | | |`);
  else console.log(`| onnxruntime-node (import, InferenceSession.create, first run) | ${fmt(ort)} | ${(median(ort) / median(ours)).toFixed(1)}x wasmlearn |`);
  console.log(`| (for scale) an empty \`node -e ''\` process, start to exit, measured from outside | ${fmt(emptyNode)} | |`);
  const phase = (k: string) => median(oursRuns.map((r) => r[k])).toFixed(1);
  console.log(`\nwasmlearn by phase (medians): import ${phase('import')} ms (parsing the bundle), reading the model file ${phase('read')}, ` +
    `init() ${phase('init')} (compiling the module), loadModel ${phase('load')} (validating the document), first predictProbaRow ${phase('first')} (compiling the plan).`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
