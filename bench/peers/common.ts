/**
 * Shared pieces of the peer benchmarks: machine and library versions, optional peers
 * (onnxruntime-node, onnxruntime-web, scikit-learn via /usr/bin/python3), timing helpers,
 * and the Markdown fragment bench/out/RESULTS-peers.md (merged into bench/RESULTS.md) rendered from the JSON results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem, release, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeHeart, VERSION } from '../../src/index.js';
import { loadOrtNode, type Ort } from '../../test/onnx/helpers.js';
import { collect } from '../floor.js';

const require = createRequire(import.meta.url);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUT = join(ROOT, 'bench', 'out');
export const PY = '/usr/bin/python3';

export { loadOrtNode };

/** onnxruntime-web (wasm backend, one thread) when installed, else null with the reason. */
export function loadOrtWeb(): { ort: Ort | null; reason: string } {
  try {
    const ort = require('onnxruntime-web') as Ort;
    ort.env.wasm!.numThreads = 1;
    return { ort, reason: '' };
  } catch (e) {
    return { ort: null, reason: `onnxruntime-web is not installed (run \`npm run setup:peers\`): ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Version of an installed package, or null. */
export function pkgVersion(name: string): string | null {
  try { return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version; } catch { return null; }
}

/** Why /usr/bin/python3 cannot run the scikit-learn peer, or '' when it can. */
export function sklearnMissing(modules = 'sklearn, pandas, numpy'): string {
  if (!existsSync(PY)) return `${PY} not found (apt-get install python3-sklearn python3-pandas)`;
  const r = spawnSync(PY, ['-c', `import ${modules}`], { encoding: 'utf8' });
  return r.status === 0 ? '' : `${PY} cannot import ${modules}: ${(r.stderr || '').trim().split('\n').pop()}`;
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`, node: process.version, wasmlearn: VERSION,
    onnxruntimeNode: pkgVersion('onnxruntime-node'), onnxruntimeWeb: pkgVersion('onnxruntime-web'), autocannon: pkgVersion('autocannon'),
  };
}

/** Heart features (the 13 columns, target apart), as the benchmarks and tests use them. */
export function features(n: number, seed: number) {
  const h = makeHeart({ nRows: n, seed });
  const { num: _num, ...X } = h.columns;
  return { X: X as Record<string, Float64Array>, y: h.target, data: h };
}

/** The first n rows of each column (views, no copy). */
export function head(X: Record<string, Float64Array>, n: number): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(X).map(([k, v]) => [k, v.subarray(0, n)]));
}

/** Calls fn, and waits for its result only when it is a promise: a synchronous call is
 *  timed without the extra microtask turn an `await` of a plain value costs. */
function call(fn: () => unknown): unknown {
  const r = fn();
  return r instanceof Promise ? r : undefined;
}

/** Median milliseconds per call of fn over repetitions lasting at least minMs (at least 3 calls, after one warm-up). */
export async function medianMs(fn: () => unknown | Promise<unknown>, minMs: number, maxReps = 10_000): Promise<number> {
  collect(); // start from a clean heap: no garbage of the previous workload
  await call(fn);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < minMs && times.length < maxReps)) {
    const t0 = performance.now();
    const pending = call(fn);
    if (pending) await pending;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Per-call latency in µs (median, p99) of `calls` calls, each timed on its own. */
export async function latency(fn: (i: number) => unknown | Promise<unknown>, calls: number): Promise<{ medianUs: number; p99Us: number; calls: number }> {
  for (let i = 0; i < Math.min(1000, calls); i++) await call(() => fn(i));
  const t = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    const pending = call(() => fn(i));
    if (pending) await pending;
    t[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  t.sort();
  return { medianUs: t[calls >> 1], p99Us: t[Math.floor(calls * 0.99)], calls };
}

export function writeJson(name: string, value: unknown): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, name);
  writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
  return path;
}

function readJson(name: string): any {
  const p = join(OUT, name);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v < 0.1 && v > 0 ? v.toPrecision(3) : v.toFixed(digits));
const ratio = (peer: number | null | undefined, ours: number | null | undefined) => (peer && ours ? `${fmt(peer / ours, 1)}x` : '—');

/** Renders bench/out/RESULTS-peers.md from bench/out/peers.json and bench/out/server-load.json (whichever exist). */
export function renderResults(): string {
  const peers = readJson('peers.json');
  const load = readJson('server-load.json');
  const lines: string[] = ['## Peers: scoring, fit and serving, same data, same run', ''];
  const m = peers?.machine ?? load?.machine;
  if (m) {
    lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, ${m.os}; Node ${m.node}; wasmlearn ${m.wasmlearn}; ` +
      `onnxruntime-node ${m.onnxruntimeNode ?? 'not installed'}; onnxruntime-web ${m.onnxruntimeWeb ?? 'not installed'}` +
      (peers?.sklearnVersions ? `; scikit-learn ${peers.sklearnVersions.sklearn} (numpy ${peers.sklearnVersions.numpy}, pandas ${peers.sklearnVersions.pandas}, Python ${peers.sklearnVersions.python})` : '') + '.', '');
  }
  if (peers) {
    lines.push(`Heart pipeline (\`npm run bench\`${peers.quick ? ', quick' : ''}): model fitted on ${peers.trainRows.toLocaleString('en')} synthetic rows (makeHeart seed 1), ` +
      'scored on makeHeart seed 2 from float64 columns. Single row: wasmlearn `predictProbaRow(row object)`; onnxruntime: 13 [1,1] tensors built from the row + `session.run`; ' +
      'scikit-learn: `predict_proba` of a 1-row DataFrame. Batches: median time per call; onnxruntime times include the float64 → float32 conversion. ' +
      'All single-threaded (onnxruntime intra-op threads 1; OPENBLAS/OMP threads 1). "× slower" = peer time / wasmlearn time (> 1: wasmlearn is faster).', '');
    const backs: string[] = peers.backends.map((b: { name: string }) => b.name);
    lines.push(`| workload | ${backs.join(' | ')} | ${backs.slice(1).map((b) => `${b} × slower`).join(' | ')} |`);
    lines.push(`|---|${backs.map(() => '---').join('|')}|${backs.slice(1).map(() => '---').join('|')}|`);
    const row = (label: string, get: (b: any) => number | null | undefined, unit: string, rate?: (v: number) => string) => {
      const vals = peers.backends.map((b: any) => (b.skipped ? null : get(b)));
      const cell = (v: number | null | undefined, b: any) => (b.skipped ? 'skipped' : v === null || v === undefined ? 'n/a' : `${fmt(v)} ${unit}${rate ? ` (${rate(v)})` : ''}`);
      lines.push(`| ${label} | ${vals.map((v: number | null, i: number) => cell(v, peers.backends[i])).join(' | ')} | ${vals.slice(1).map((v: number | null) => ratio(v, vals[0])).join(' | ')} |`);
    };
    row('single row, median', (b) => b.single?.medianUs, 'µs');
    row('single row, p99', (b) => b.single?.p99Us, 'µs');
    for (const n of peers.batches as number[]) row(`batch ${n.toLocaleString('en')} rows`, (b) => b.batch?.[n]?.ms, 'ms', (v) => `${fmt(n / v / 1000)} M rows/s`);
    for (const n of Object.keys(peers.fitRows ?? {})) row(`fit ${Number(n).toLocaleString('en')} rows`, (b) => b.fit?.[n], 'ms');
    if (peers.floor) {
      lines.push('', 'Memory floor, same run (13 float64 input columns): copying them from JS arrays into WebAssembly memory in 4096-row chunks, as the plan does before scoring, and reading them there with SIMD; "share" is the floor over wasmlearn\'s time for the batch.', '',
        '| batch | copy into linear memory | read in linear memory | wasmlearn | copy / wasmlearn |', '|---|---|---|---|---|');
      const ours = peers.backends[0];
      for (const n of peers.batches as number[]) {
        const f = peers.floor[n], w = ours?.batch?.[n]?.ms;
        if (f) lines.push(`| ${n.toLocaleString('en')} rows | ${fmt(f.copyMs, 3)} ms | ${fmt(f.readMs, 3)} ms | ${w ? `${fmt(w, 3)} ms` : '—'} | ${w ? `${Math.round((f.copyMs / w) * 100)} %` : '—'} |`);
      }
    }
    const skipped = peers.backends.filter((b: any) => b.skipped);
    if (skipped.length) lines.push('', ...skipped.map((b: any) => `- ${b.name} skipped: ${b.skipped}`));
    const notes = peers.backends.flatMap((b: any) => [...Object.entries(b.skippedWorkloads ?? {}).map(([w, r]) => `${w} not measured: ${r}`), ...(b.notes ?? [])].map((t) => `- ${b.name}: ${t}`));
    if (notes.length) lines.push('', ...notes);
    if (peers.agreement) lines.push('', `Agreement with wasmlearn on the first 1,000 scored rows (max |Δp|): ${Object.entries(peers.agreement).map(([k, v]) => `${k} ${(v as number).toExponential(1)}`).join(', ')}. ` +
      'onnxruntime runs the exported model (float32); the scikit-learn figure compares two independent fits of the same pipeline on the same rows (each optimiser stops at its own tolerance), not the same coefficients.');
    lines.push('');
  }
  if (load) {
    lines.push(`### REST server (\`npm run bench:server\`): autocannon ${m?.autocannon ?? ''}, ${load.durationS} s per cell, 127.0.0.1, \`POST /invocations\` with \`dataframe_split\` JSON`, '');
    const servers: string[] = load.servers.map((s: any) => s.name);
    lines.push('Latency: mean = concurrency / req/s (sub-ms); p50 / p99 from autocannon, which records whole milliseconds.', '');
    lines.push(`| load | ${servers.map((s) => `${s} req/s | ${s} mean, p50 / p99 ms`).join(' | ')} | ${servers.slice(1).map((s) => `wasmlearn / ${s} req/s`).join(' | ')} |`);
    lines.push(`|---|${servers.map(() => '---|---').join('|')}|${servers.slice(1).map(() => '---').join('|')}|`);
    for (const cell of load.cells as { rows: number; connections: number }[]) {
      const key = `${cell.rows}x${cell.connections}`;
      const vals = load.servers.map((s: any) => s.results?.[key]);
      const first = vals[0];
      lines.push(`| ${cell.rows} row${cell.rows > 1 ? 's' : ''}, concurrency ${cell.connections} | ${vals.map((v: any) => (v ? `${fmt(v.rps)} | ${fmt(v.meanMs, 3)}, ${v.p50} / ${v.p99}` : 'skipped | —')).join(' | ')} | ${vals.slice(1).map((v: any) => (v && first ? `${fmt(first.rps / v.rps, 1)}x` : '—')).join(' | ')} |`);
    }
    const skipped = load.servers.filter((s: any) => s.skipped);
    if (skipped.length) lines.push('', ...skipped.map((s: any) => `- ${s.name} skipped: ${s.skipped}`));
    if (load.notes) lines.push('', ...load.notes.map((n: string) => `- ${n}`));
    for (const s of load.servers) {
      const r = s.results?.['1x1'];
      if (r && r.p50 > 10 * r.meanMs) lines.push(`- ${s.name}: autocannon's percentiles (p50 ${r.p50} ms) contradict its own request rate at concurrency 1 (mean ${fmt(r.meanMs)} ms); trust req/s and the mean for this server.`);
    }
    lines.push('');
  }
  const md = lines.join('\n');
  mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'out', 'RESULTS-peers.md'), md);
  return md;
}
