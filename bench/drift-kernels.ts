// Timings of the drift metrics on 1M and 10M values, WebAssembly vs the plain-TS
// reference, same inputs. Run: npx tsx bench/drift-kernels.ts [--quick]
// Prints min and median of warm runs (after one cold run) per workload; no assertions.
import os from 'node:os';
import { histogram, jensenshannon, ks2samp, quantileEdges, wassersteinDistance } from '../src/drift/index.js';
import { setBackend } from '../src/kernels/index.js';
import { normal } from './data.js';

const quick = process.argv.includes('--quick');
const sizes = quick ? [1_000_000] : [1_000_000, 10_000_000];

function time(f: () => unknown, runs: number): { cold: number; warm: number; min: number } {
  let t = performance.now(); f(); const cold = performance.now() - t;
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) { t = performance.now(); f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  return { cold, warm: ts[ts.length >> 1], min: ts[0] };
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}`);
console.log('workload'.padEnd(34) + 'n'.padStart(10) + 'wasm min'.padStart(10) + 'wasm med'.padStart(10) + 'ref ms'.padStart(10) + 'ratio'.padStart(8));
for (const n of sizes) {
  const ref = normal(n, 0, 1), cur = normal(n, 0.01, 2);
  const edges = quantileEdges(ref.subarray(0, 100_000), 20);
  // a drift monitor's case: the reference histogram was saved with the training profile
  const refCounts = histogram(ref, edges).counts;
  const work: [string, () => unknown][] = [
    ['histogram (21 quantile edges)', () => histogram(cur, edges)],
    ['histogram + jensenshannon', () => jensenshannon(histogram(ref, edges).counts, histogram(cur, edges).counts)],
    ['hist + JS vs saved reference', () => jensenshannon(refCounts, histogram(cur, edges).counts)],
    ['quantileEdges (20 bins)', () => quantileEdges(ref, 20)],
    ['ks2samp (n each, asymp)', () => ks2samp(ref, cur)],
    ['wassersteinDistance (n each)', () => wassersteinDistance(ref, cur)],
  ];
  const runs = n > 1e6 ? 5 : 15;
  for (const [name, f] of work) {
    setBackend('wasm'); const w = time(f, runs);
    setBackend('reference'); const r = time(f, n > 1e6 ? 1 : 3);
    setBackend('wasm');
    console.log(name.padEnd(34) + String(n).padStart(10) + w.min.toFixed(2).padStart(10) + w.warm.toFixed(2).padStart(10) + r.warm.toFixed(2).padStart(10) + (r.warm / w.warm).toFixed(1).padStart(8));
  }
}
