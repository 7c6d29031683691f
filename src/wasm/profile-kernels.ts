/**
 * WebAssembly implementation of the profile kernels (assembly/profile.ts). One call
 * profiles all numeric columns of a batch: a single arena (freed on return or throw)
 * holds one column buffer, reused column after column, so each column is copied in once
 * and read by one kernel call; results are copied into JS-owned arrays. Views are
 * re-created after the allocations, because growing memory detaches earlier views.
 */
import type { NumericBatchStats, ProfileKernels } from '../kernels/profile.js';
import { WasmlearnError } from '../core/errors.js';
import { kernel, runtime } from './runtime.js';

const fn = kernel;

/** Most distinct values the kernel's 64-slot table counts. */
const MAX_DISTINCT_CAP = 32;

/**
 * Histogram lookup table of an edge array. The kernel puts a value x in cell
 * c = min(floor(t), L - 1) with t = (x - e0) * (L / (e_last - e0)) (x < e0 and NaN: before
 * cell 0). Since t never decreases as x grows, an edge whose t lies before cell c is <= x
 * and one whose t lies after it is > x, so with at most one edge (besides the last, which
 * the kernel tests directly) per cell, x's slot is lut[c + 1] + (edges[lut[c + 1]] <= x):
 * entry c + 1 counts the edges before cell c. L grows until the edges are that far apart;
 * when they never are (or the edges' span is not finite) the table is empty and the kernel
 * searches every value. Cached per edges array (profiles of one schema share it).
 */
const luts = new WeakMap<Float64Array, Uint16Array>();
function lutOf(edges: Float64Array): Uint16Array {
  let lut = luts.get(edges);
  if (lut) return lut;
  lut = new Uint16Array(0);
  const m = edges.length, e0 = edges[0], eLast = edges[m - 1];
  for (let L = Math.max(256, 16 * m); L <= 32768 && m < 0xffff; L *= 2) {
    const scale = L / (eLast - e0);
    if (!(Number.isFinite(e0) && Number.isFinite(eLast) && Number.isFinite(scale) && scale > 0)) break;
    const t = new Float64Array(m);
    for (let j = 0; j < m; j++) t[j] = (edges[j] - e0) * scale;
    let ok = true;
    for (let j = 1; j < m - 1 && ok; j++) ok = Math.min(Math.floor(t[j - 1]), L - 1) !== Math.min(Math.floor(t[j]), L - 1);
    if (!ok) continue;
    lut = new Uint16Array(L + 1);
    let e = 0;
    for (let c = 0; c < L; c++) {
      while (e < m && Math.min(Math.floor(t[e]), L - 1) < c) e++;
      lut[c + 1] = e;
    }
    break;
  }
  luts.set(edges, lut);
  return lut;
}

/** WebAssembly profile kernels. */
export const wasmProfileKernels: ProfileKernels = {
  name: 'wasm',
  numericBatch(columns) {
    if (columns.length === 0) return [];
    const { heap } = runtime();
    const f = fn('profileNumeric');
    let maxN = 1, maxM = 2, maxL = 1, maxCap = 1;
    const lutsIn = columns.map((c) => lutOf(c.edges));
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      if (c.distinctCap > MAX_DISTINCT_CAP) throw new WasmlearnError('INTERNAL', `profileNumeric counts at most ${MAX_DISTINCT_CAP} distinct values; asked for ${c.distinctCap}.`);
      maxN = Math.max(maxN, c.x.length);
      maxM = Math.max(maxM, c.edges.length);
      maxL = Math.max(maxL, lutsIn[j].length);
      maxCap = Math.max(maxCap, c.distinctCap);
    }
    return heap.scoped((a) => {
      // one block, carved 16-byte aligned: column, edges (+ sentinel), table, out, slots, scratch, lookup table
      const al = (bytes: number) => Math.ceil(bytes / 16) * 16;
      const sizes = [8 * maxN, 8 * (maxM + 1), 8 * 2 * maxCap, 8 * 8, 8 * (maxM + 1), 4 * (4 * (maxM + 2) + 2) + 64 * 8 + 128 * 4 + 64 * 4, 2 * maxL];
      const base = a.alloc(sizes.reduce((acc, b) => acc + al(b), 0));
      const ptrs: number[] = [];
      sizes.reduce((at, b) => { ptrs.push(at); return at + al(b); }, base);
      const [xp, ep, table, op, sp, scratch, lut] = ptrs;
      const mem = new Float64Array(heap.memory.buffer);
      const mem16 = new Uint16Array(heap.memory.buffer);
      const out: NumericBatchStats[] = [];
      const t = table >>> 3;
      for (let j = 0; j < columns.length; j++) {
        const c = columns[j];
        const n = c.x.length, m = c.edges.length, cap = c.distinctCap, L = lutsIn[j];
        mem.set(c.x, xp >>> 3);
        mem.set(c.edges, ep >>> 3);
        mem[(ep >>> 3) + m] = Infinity;
        mem16.set(L, lut >>> 1);
        f(xp, n, ep, m, lut, Math.max(0, L.length - 1), scratch, table, cap, op, sp);
        const o = op >>> 3, s = sp >>> 3, k = mem[o + 7];
        out.push({
          count: mem[o], nanCount: mem[o + 1], infCount: mem[o + 2], min: mem[o + 3], max: mem[o + 4], mean: mem[o + 5], variance: mem[o + 6],
          counts: mem.slice(s + 1, s + m), below: mem[s], above: mem[s + m],
          distinct: k < 0 ? null : { values: mem.slice(t, t + k), counts: mem.slice(t + cap, t + cap + k) },
        });
      }
      return out;
    });
  },
  reservoirReplace(vals, src, m, state) {
    const { heap } = runtime();
    const cap = vals.length, nb = src.length;
    return heap.scoped((a) => {
      const vp = a.alloc(8 * (cap + nb) + nb), sp = vp + 8 * cap, mp = sp + 8 * nb;
      const mem = new Float64Array(heap.memory.buffer);
      mem.set(vals, vp >>> 3);
      mem.set(src, sp >>> 3);
      const st = fn('reservoirReplace')(vp, cap, sp, nb, m, state >>> 0, mp) >>> 0;
      vals.set(new Float64Array(heap.memory.buffer, vp, cap));
      return st;
    });
  },
};
