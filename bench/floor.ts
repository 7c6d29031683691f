/**
 * The memory floor of the heart benchmarks, measured in the same run as the workloads.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runtime } from '../src/wasm/runtime.js';

// A full garbage collection before each timing, so a workload does not pay for the garbage
// the previous one left (e.g. 16 MB results of 1M-row batches before a 1k-row workload).
setFlagsFromString('--expose-gc');
export const collect = runInNewContext('gc') as () => void;

/** Mean ms per call over at least minMs of repeated calls (after a full GC and one warm call). */
export function timeIt(fn: () => void, minMs: number): number {
  collect();
  fn(); // warm
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = performance.now(); } while (t - t0 < minMs);
  return (t - t0) / reps; // ms per call
}

/**
 * The physical floor: how fast one core streams the same 13 float64 columns. (1) a WASM
 * kernel summing the columns already in linear memory (SIMD, four accumulators: bound by
 * memory reads); (2) copying them from JS arrays into linear memory in 4096-row chunks,
 * which the fused plan does for its inputs; (3) the naive JS loop (one add chain: bound by
 * add latency, not memory — kept for comparison with the older figure).
 */
export function memoryFloor(X: Record<string, Float64Array>, minMs: number): { wasmRead: number; jsCopy: number; jsLoop: number; msRead: number; msCopy: number } {
  const cols = Object.values(X);
  const n = cols[0].length;
  const { heap, exports } = runtime();
  const read = exports.readColumns as (p: number, c: number, n: number) => number;
  const ptrs = cols.map((c) => heap.putF64(c));
  const table = heap.putI32(ptrs);
  let sink = 0;
  const msRead = timeIt(() => { sink += read(table, cols.length, n); }, minMs);
  for (const p of [...ptrs, table]) heap.free(p);
  const chunk = 4096;
  const buf = heap.alloc(cols.length * chunk * 8);
  const msCopy = timeIt(() => {
    const f64 = new Float64Array(heap.memory.buffer);
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const m = Math.min(chunk, n - r0);
      for (let j = 0; j < cols.length; j++) f64.set(cols[j].subarray(r0, r0 + m), (buf >> 3) + j * chunk);
    }
  }, minMs);
  heap.free(buf);
  const msLoop = timeIt(() => {
    let s = 0;
    for (const c of cols) for (let i = 0; i < c.length; i++) s += c[i];
    sink += s;
  }, minMs);
  if (sink === 42) console.log('');
  return { wasmRead: n / msRead / 1000, jsCopy: n / msCopy / 1000, jsLoop: n / msLoop / 1000, msRead, msCopy }; // M rows/s, ms
}

