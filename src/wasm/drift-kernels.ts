/**
 * WebAssembly implementation of the drift kernels (assembly/drift.ts). Each call copies
 * its inputs into linear memory inside an arena (freed on return or throw), runs one
 * coarse kernel call, and copies results into JS-owned arrays. Views are re-created
 * after every allocation because growing memory detaches earlier views.
 */
import type { DriftKernels, HistogramSlots } from '../kernels/drift.js';
import { WasmlearnError } from '../core/errors.js';
import { kernel, runtime, type Arena, type Heap } from './runtime.js';

const fn = kernel;

const RADIX_HIST_BYTES = 5 * 8192 * 4;
/** Counters of selectValues: 4 key levels + 3 value levels of 65536 u32 (assembly/drift.ts SEL_*). */
const SELECT_HIST_BYTES = 7 * 65536 * 4;
/** Byte offset of the first value level's counters in them (after the key levels). */
const SELECT_VALUE_LEVEL0 = 4 * 65536 * 4;
/** Most value buckets of a level (assembly/drift.ts SEL_BUCKETS - 2). */
const SELECT_VALUE_BUCKETS = 65534;
/** From this many values on, selectScan counts value buckets of a sampled range. */
const SELECT_ESTIMATE_MIN = 1 << 15;
/** From this many values on, sortKeysIn sorts by a linear code over a sampled range. */
const SORT_CODED_MIN = 1 << 15;
/** Codes of sortCoded (assembly/drift.ts CODE_CELLS): 2^26. */
const CODE_CELLS = 2 ** 26;
/** Values in sampleRange's strided sample. */
const SAMPLE = 4096;

/**
 * Smallest and largest finite value of a strided sample of x, or null when the sample
 * has fewer than two distinct finite values or their spread overflows (then bucket scale
 * `buckets` / (hi - lo) would not be a positive finite number). Any range is correct for the
 * buckets; a good one leaves few values outside it.
 */
function sampleRange(x: Float64Array, buckets: number): [number, number] | null {
  const step = Math.max(1, Math.floor(x.length / SAMPLE));
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i += step) {
    const v = x[i];
    if (v > -Infinity && v < Infinity) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  const scale = buckets / (hi - lo);
  return scale > 0 && scale < Infinity ? [lo, hi] : null;
}
/** Values per chunk when copying and counting in turns (64 KB: stays in L1/L2). */
const CHUNK = 8192;
/** histogramLutCount's counters: 8 sets of 1040 bytes (assembly/drift.ts LUT_SETS, LUT_SET_BYTES). */
const LUT_COUNTER_BYTES = 8 * 1040;
/** Constants in front of histogramLutBuild's records (assembly/drift.ts LUT_CONST). */
const LUT_CONST_BYTES = 80;
/** Most distinct edge values the table kernel takes (assembly/drift.ts LUT_MAX_UNIQUE). */
const LUT_MAX_UNIQUE = 259;

/** Whether edges (ascending) hold at most k distinct values. */
function distinctAtMost(edges: Float64Array, k: number): boolean {
  let d = 1;
  for (let i = 1; i < edges.length; i++) if (edges[i] !== edges[i - 1] && ++d > k) return false;
  return true;
}

/**
 * Copies x to ptr a cache-sized chunk at a time and runs `scan` on each chunk right after
 * its copy, while it is still in cache. `scan(p, len)` returns how many values it kept at
 * the front of the chunk (NaN dropped); the next chunk is written after them. Returns the
 * number kept in all. `scan` must not allocate (the view over ptr is kept).
 */
function copyScanned(heap: Heap, ptr: number, x: Float64Array, scan: (p: number, len: number) => number): number {
  const n = x.length, view = heap.f64(ptr, n);
  let k = 0;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    view.set(len === n ? x : x.subarray(off, off + len), k);
    k += scan(ptr + 8 * k, len);
  }
  return k;
}

/**
 * Copies x in, radix-sorts its non-NaN values (-0 before +0) and writes a +Infinity
 * sentinel after them (the merge-walk kernels read one past the end); returns pointer and count.
 */
function sortIn(heap: Heap, a: Arena, x: Float64Array): { ptr: number; k: number } {
  const { ptr, k } = sortKeysIn(heap, a, x, 0);
  fn('valuesFromKeys')(ptr, k);
  heap.f64(ptr, k + 1)[k] = Infinity;
  return { ptr, k };
}

/** Copies a sorted array in, followed by a +Infinity sentinel. */
function putSentinel(heap: Heap, a: Arena, x: Float64Array): number {
  const ptr = a.f64(x.length + 1);
  const view = heap.f64(ptr, x.length + 1);
  view.set(x);
  view[x.length] = Infinity;
  return ptr;
}

/** Writes the walks' end sentinel (all ones, above every key) after k keys at ptr. */
function keyEnd(heap: Heap, ptr: number, k: number): void {
  heap.i32(ptr + 8 * k, 2).fill(-1);
}

/**
 * Copies x in and radix-sorts its non-NaN values into order-preserving u64 keys (with
 * canonZero, -0 and +0 as one key, as the walks compare values), followed by the end
 * sentinel, for ksKeys / wassersteinKeys: the walks read keys directly, so the sorted
 * values are never converted back nor copied out.
 * Large inputs are sorted by a 26-bit linear code over a sampled range (sortCoded: two
 * passes, keys and digit counts made chunk by chunk as the values are copied in); inputs
 * whose sample has no spread keep the key radix sort (sortKeysF64).
 */
function sortKeysIn(heap: Heap, a: Arena, x: Float64Array, canonZero: 0 | 1 = 1): { ptr: number; k: number } {
  const n = x.length;
  const ptr = a.f64(n + 1), tmp = a.f64(n + 1), hist = a.alloc(RADIX_HIST_BYTES);
  const est = n >= SORT_CODED_MIN ? sampleRange(x, CODE_CELLS) : null;
  if (!est) {
    heap.f64(ptr, n).set(x);
    const k = fn('sortKeysF64')(ptr, n, tmp, hist, canonZero);
    const src = new Uint32Array(heap.memory.buffer, hist, 1)[0];
    keyEnd(heap, src, k);
    return { ptr: src, k };
  }
  const [lo, hi] = est;
  heap.u8(hist, 2 * 8192 * 4).fill(0);
  const scan = fn('sortCodedScan');
  const k = copyScanned(heap, ptr, x, (p, len) => scan(p, len, hist, lo, hi, canonZero));
  fn('sortCoded')(ptr, k, tmp, hist, lo, hi);
  keyEnd(heap, ptr, k);
  return { ptr, k };
}

/**
 * Lookup-table cells for histogram counting: enough that few edges share a cell, and for
 * large inputs finer still (one cell per 64 values), so that few values land in a cell
 * holding an edge, where the correction loop's branch is unpredictable.
 */
function lutSize(m: number, n: number): number { return Math.min(1 << 16, Math.max(64, 16 * m, n >> 6)); }

/** WebAssembly drift kernels. */
export const wasmDriftKernels: DriftKernels = {
  name: 'wasm',
  histogramSlots(x, edges): HistogramSlots {
    const { heap } = runtime();
    const m = edges.length, w = m + 2, n = x.length;
    return heap.scoped((a) => {
      const ep = a.putF64(edges);
      const scratch = a.alloc(4 * w * 4), slots = a.alloc(w * 4);
      // exact lookup table over the distinct edges, at most one per cell (histogramLutBuild)
      let unique = 0, lut = 0;
      const cnt = a.alloc(LUT_COUNTER_BYTES), map = a.alloc(w * 4);
      if (edges[m - 2] !== edges[m - 1] && distinctAtMost(edges, LUT_MAX_UNIQUE)) {
        for (let c = Math.max(64, 4 * m); c <= 1 << 16; c *= 2) {
          const t = a.alloc(LUT_CONST_BYTES + 16 * c);
          unique = fn('histogramLutBuild')(ep, m, c, t, cnt, map);
          if (unique) { lut = t; break; }
        }
      }
      let nan = 0;
      if (unique) {
        // copy and count in turns, a cache-sized chunk at a time: the kernel reads what
        // the copy just wrote instead of re-reading the whole input from memory
        const chunk = Math.min(n, CHUNK), buf = a.f64(Math.max(chunk, 1)), tmp = a.alloc(128);
        heap.u8(cnt, LUT_COUNTER_BYTES).fill(0);
        const view = heap.f64(buf, chunk), count = fn('histogramLutCount');
        for (let off = 0; off < n; off += chunk) {
          const len = Math.min(chunk, n - off);
          view.set(len === chunk ? x.subarray(off, off + len) : x.subarray(off));
          nan += count(buf, len, lut, cnt, tmp);
        }
        fn('histogramLutSum')(cnt, unique, map, m, slots);
      } else {
        const L = lutSize(m, n);
        const xp = a.putF64(x), t = a.i32(L);
        fn('histogramCounts')(xp, n, ep, m, t, L, scratch, slots);
      }
      const s = new Uint32Array(heap.memory.buffer, slots, w);
      const counts = new Float64Array(m - 1);
      for (let b = 0; b < m - 1; b++) counts[b] = s[b + 1];
      // the table kernel counts NaN in slot 0 and returns their number
      return unique ? { counts, nanCount: nan, below: s[0] - nan, above: s[m] } : { counts, nanCount: s[m + 1], below: s[0], above: s[m] };
    });
  },
  minMaxCount(x) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(x), op = a.f64(3);
      fn('minMaxCount')(xp, x.length, op);
      const o = heap.f64(op, 3);
      return { count: o[0], min: o[1], max: o[2] };
    });
  },
  sortedNonNaN(x) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const { ptr, k } = sortIn(heap, a, x);
      return heap.f64(ptr, k).slice();
    });
  },
  ksExtremes(a0, b0) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const ap = a.f64(a0.length + 1), bp = a.f64(b0.length + 1), op = a.f64(2);
      heap.f64(ap, a0.length).set(a0);
      heap.f64(bp, b0.length).set(b0);
      fn('keysFromF64')(ap, a0.length); keyEnd(heap, ap, a0.length);
      fn('keysFromF64')(bp, b0.length); keyEnd(heap, bp, b0.length);
      fn('ksKeys')(ap, a0.length, bp, b0.length, op);
      const o = heap.f64(op, 2);
      return { max: o[0], min: o[1] };
    });
  },
  wassersteinSorted(u, v, uCw, vCw) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const up = putSentinel(heap, a, u), vp = putSentinel(heap, a, v);
      const uw = uCw ? a.putF64(uCw) : 0, vw = vCw ? a.putF64(vCw) : 0;
      return fn('wassersteinSorted')(up, u.length, vp, v.length, uw, vw);
    });
  },
  divergenceSum(p, q, kind, eps) {
    const { heap } = runtime();
    const n = p.length;
    return heap.scoped((a) => {
      const pp = a.putF64(p), qp = q ? a.putF64(q) : 0;
      const o1 = a.f64(Math.max(n, 1)), o2 = kind === 2 ? a.f64(Math.max(n, 1)) : 0;
      fn('divergenceTerms')(pp, qp, n, kind, eps, o1, o2);
      const sum = fn('pairwiseSum');
      return kind === 2 ? sum(o1, n) + sum(o2, n) : sum(o1, n);
    });
  },
  pairwiseSum(x) {
    const { heap } = runtime();
    return heap.scoped((a) => fn('pairwiseSum')(a.putF64(x), x.length));
  },
  ksExtremesUnsorted(a0, b0) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const A = sortKeysIn(heap, a, a0);
      const B = sortKeysIn(heap, a, b0);
      if (A.k !== a0.length || B.k !== b0.length) return { max: NaN, min: NaN };
      const op = a.f64(2);
      fn('ksKeys')(A.ptr, A.k, B.ptr, B.k, op);
      const o = heap.f64(op, 2);
      return { max: o[0], min: o[1] };
    });
  },
  wassersteinUnsorted(u0, v0) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const U = sortKeysIn(heap, a, u0);
      const V = sortKeysIn(heap, a, v0);
      if (U.k !== u0.length || V.k !== v0.length) return NaN;
      return fn('wassersteinKeys')(U.ptr, U.k, V.ptr, V.k);
    });
  },
  sortedAt(x, ranks) {
    // bucket selection of just the requested ranks (assembly/drift.ts selectValues)
    const { heap } = runtime();
    return heap.scoped((a) => {
      const n = x.length;
      const ptr = a.f64(Math.max(n, 1)), state = a.f64(2), hist = a.alloc(SELECT_HIST_BYTES);
      // large inputs: value buckets over a range estimated from a strided sample, counted
      // during the copy-in (selectScan), which saves selectValues a pass over the data
      const est = n >= SELECT_ESTIMATE_MIN ? sampleRange(x, SELECT_VALUE_BUCKETS) : null;
      const nb = est ? Math.min(SELECT_VALUE_BUCKETS, n >> 3) : 0;
      if (nb) heap.u8(hist + SELECT_VALUE_LEVEL0, 4 * (nb + 2)).fill(0);
      // each chunk scanned (NaN dropped, range taken, values counted) right after its copy
      heap.f64(state, 2).set([Infinity, -Infinity]);
      const scan = fn('selectScan'), elo = est?.[0] ?? 0, ehi = est?.[1] ?? 0;
      const k = copyScanned(heap, ptr, x, (p, len) => scan(p, len, state, hist, elo, ehi, nb));
      const [lo, hi] = heap.f64(state, 2);
      const want = ranks(k);
      if (k === 0 || want.length === 0) return { count: k, values: [] };
      for (const r of want) if (!Number.isInteger(r) || r < 0 || r >= k) throw new WasmlearnError('INTERNAL', `sortedAt: rank ${r} outside [0, ${k}).`);
      const uniq = [...new Set(want)].sort((p, q) => p - q);
      const rp = a.putI32(uniq);
      const out = a.f64(uniq.length);
      const other = a.f64(k);
      const starts = a.alloc(uniq.length * 4);
      fn('selectValues')(ptr, k, lo, hi, elo, ehi, nb, rp, uniq.length, out, other, hist, starts);
      const got = heap.f64(out, uniq.length);
      const at = new Map(uniq.map((r, i) => [r, got[i]]));
      return { count: k, values: want.map((r) => at.get(r)!) };
    });
  },
};
