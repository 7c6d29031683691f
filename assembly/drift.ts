// Drift kernels: histogram counting, f64 radix sort, merge walks for the two-sample
// statistics (Kolmogorov-Smirnov, Wasserstein-1) and divergence sums.
// All arrays are contiguous little-endian f64 (or u32 for counters), addressed by byte
// offset; counts are element counts. Kernels never allocate: scratch is passed in.

// ---------------------------------------------------------------------------------
// Histogram

/** Counts x (n f64) against ascending edges (m f64, m >= 2) into slots (u32, m + 2
 *  entries): slot 0 = below edges[0], slot b + 1 = bin b ([e_b, e_b+1), the last bin
 *  closed), slot m = above edges[m-1], slot m + 1 = NaN.
 *  The bin is guessed from a lookup table over `lutSize` equal cells of [e0, e_last]
 *  (lut: i32, lutSize entries, filled here: number of edges <= each cell's start) and
 *  corrected against the real edges, so results are exact for any edges and each value
 *  costs O(1) unless many edges share one cell.
 *  `scratch` holds 4 * (m + 2) u32: four interleaved counter sets break the
 *  store-to-load dependency when neighbouring values fall in the same bin. */
export function histogramCounts(xPtr: usize, n: i32, edgesPtr: usize, m: i32, lutPtr: usize, lutSize: i32, scratchPtr: usize, slotsPtr: usize): void {
  const w = m + 2;
  memory.fill(scratchPtr, 0, <usize>(4 * w) << 2);
  const e0 = load<f64>(edgesPtr);
  const eLast = load<f64>(edgesPtr + (<usize>(m - 1) << 3));
  const width = eLast - e0;
  const scale: f64 = width > 0 ? <f64>lutSize / width : 0.0;
  let q: i32 = 0;
  for (let c = 0; c < lutSize; c++) {
    const start = e0 + <f64>c * (width / <f64>lutSize);
    while (q < m && load<f64>(edgesPtr + (<usize>q << 3)) <= start) q++;
    store<i32>(lutPtr + (<usize>c << 2), q);
  }
  const top = lutSize - 1;
  // four values per step, each with its own counter set (no multiply for the set offset)
  const setBytes = <usize>w << 2;
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const xp = xPtr + (<usize>i << 3);
    countValue(load<f64>(xp), e0, scale, top, eLast, edgesPtr, m, lutPtr, scratchPtr);
    countValue(load<f64>(xp, 8), e0, scale, top, eLast, edgesPtr, m, lutPtr, scratchPtr + setBytes);
    countValue(load<f64>(xp, 16), e0, scale, top, eLast, edgesPtr, m, lutPtr, scratchPtr + 2 * setBytes);
    countValue(load<f64>(xp, 24), e0, scale, top, eLast, edgesPtr, m, lutPtr, scratchPtr + 3 * setBytes);
  }
  for (; i < n; i++) countValue(load<f64>(xPtr + (<usize>i << 3)), e0, scale, top, eLast, edgesPtr, m, lutPtr, scratchPtr);
  for (let sl = 0; sl < w; sl++) {
    let c: u32 = 0;
    for (let k = 0; k < 4; k++) c += load<u32>(scratchPtr + (<usize>(k * w + sl) << 2));
    store<u32>(slotsPtr + (<usize>sl << 2), c);
  }
}

/** One value of histogramCounts: finds its slot and increments it in the counter set at `set`. */
// @ts-ignore: decorator
@inline
function countValue(x: f64, e0: f64, scale: f64, top: i32, eLast: f64, edgesPtr: usize, m: i32, lutPtr: usize, set: usize): void {
  // cell index: the saturating conversion maps NaN to 0 and clamps huge values, and the
  // integer clamp is cheaper than f64 min / max (which must order NaN and -0)
  let c = <i32>((x - e0) * scale); // i32.trunc_sat_f64_s
  c = select<i32>(c, 0, c > 0);
  c = select<i32>(c, top, c < top);
  // p = number of edges <= x, in [0, m]
  let p = load<i32>(lutPtr + (<usize>c << 2));
  while (p > 0 && load<f64>(edgesPtr + (<usize>(p - 1) << 3)) > x) p--;
  while (p < m && load<f64>(edgesPtr + (<usize>p << 3)) <= x) p++;
  // x equal to the last edge belongs to the last (closed) bin
  p = select<i32>(m - 1, p, x == eLast);
  p = select<i32>(m + 1, p, x != x);
  const slot = set + (<usize>p << 2);
  store<u32>(slot, load<u32>(slot) + 1);
}

// Table histogram. Layout of the table block (lut, 16-byte aligned): five f64x2 constants
// (LUT_CONST bytes: e0, scale, top, bias, 4) then one 16-byte record per cell. The counter
// block (cnt) holds LUT_SETS sets of LUT_SET_BYTES bytes, u32 counters indexed by unique slot.

const LUT_CONST: usize = 80;
/** Counter sets of histogramLutCount: eight values per step, each with its own set. */
const LUT_SETS: i32 = 8;
/** Bytes per counter set: 260 u32 slots. Not a multiple of 4096, so that two sets' same
 *  slot never share their low 12 address bits (4K aliasing stalls store-to-load forwarding). */
const LUT_SET_BYTES: i32 = 1040;
/** Most unique edges the table kernel takes (unique slots = unique edges + 1 <= 260). */
export const LUT_MAX_UNIQUE: i32 = 259;

/** Record byte addresses (lut + LUT_CONST + 16 c) of the cells c of two values, as the
 *  low 32 bits of the i64x2 lanes: t = (x - e0) * scale clamped to [0, top] by
 *  pseudo-min/max (NaN -> 0), rounded to the nearest integer by adding 2^52 + base / 16
 *  (so the low bits of the double are c + base / 16), then shifted left by 4. Every step
 *  is monotone non-decreasing in x, which is what makes the table exact. */
// @ts-ignore: decorator
@inline
function lutRecords(v: v128, e0: v128, scale: v128, top: v128, bias: v128, zero: v128): v128 {
  return i64x2.shl(f64x2.add(f64x2.pmin(f64x2.pmax(zero, f64x2.mul(f64x2.sub(v, e0), scale)), top), bias), 4);
}

/** Counter addresses of two values from their records r0, r1: the record holds ev (f64),
 *  the cell's one edge value (+Infinity if none), and the address of the counter of the
 *  cell's lowest slot; the value's counter is the next one when x >= ev. */
// @ts-ignore: decorator
@inline
function lutCounters(v: v128, r0: v128, r1: v128, four: v128): v128 {
  const ev = i64x2.shuffle(r0, r1, 0, 2);
  const at = i64x2.shuffle(r0, r1, 1, 3);
  return i64x2.add(at, v128.and(f64x2.ge(v, ev), four));
}

/** Builds the exact lookup table of histogramLutCount over `cells` equal cells of
 *  [e0, e_last] for ascending edges (m f64) whose last value is not repeated.
 *  The table works on the distinct edge values ("unique slot" u = number of distinct
 *  edges <= x); the last bin is closed, so x = e_last counts as below the last edge:
 *  the table is built with the last edge moved up to the next double. For each cell c,
 *  ev = the one distinct edge value whose cell is c (+Infinity if none) and lo = number
 *  of distinct edges in lower cells. As the cell function is monotone, an edge in a
 *  lower cell is <= every value of cell c and an edge in a higher cell is > it, so for x
 *  in cell c, u = lo + (x >= ev ? 1 : 0). The record stores ev and cnt + 4 lo, the
 *  counter address of slot lo in the first counter set.
 *  map (i32, one per unique slot) receives the histogram slot (number of edges <= x,
 *  repeats included) of each unique slot. Returns the number of unique slots, or 0 when
 *  two distinct edge values share a cell (the caller retries with more cells) or there
 *  are more than LUT_MAX_UNIQUE distinct edges. lut: LUT_CONST + 16 cells bytes. */
export function histogramLutBuild(edgesPtr: usize, m: i32, cells: i32, lutPtr: usize, cntPtr: usize, mapPtr: usize): i32 {
  const e0 = load<f64>(edgesPtr);
  const eLast = load<f64>(edgesPtr + (<usize>(m - 1) << 3));
  const rec = lutPtr + LUT_CONST;
  const E0 = f64x2.splat(e0);
  const S = f64x2.splat(<f64>cells / (eLast - e0));
  const T = f64x2.splat(<f64>(cells - 1));
  const B = f64x2.splat(4503599627370496.0 + <f64>(rec >> 4)); // rec is 16-byte aligned
  const Z = f64x2.splat(0);
  v128.store(lutPtr, E0);
  v128.store(lutPtr, S, 16);
  v128.store(lutPtr, T, 32);
  v128.store(lutPtr, B, 48);
  v128.store(lutPtr, i64x2.splat(4), 64);
  const up = reinterpret<f64>(reinterpret<u64>(eLast) + (eLast >= 0 ? 1 : -1)); // next double up (eLast != 0 or +0)
  const eTop = eLast == 0 ? 4.9e-324 : up;
  // unique slot 0: below e0 (and NaN, subtracted by the caller)
  store<i32>(mapPtr, 0);
  let j: i32 = 0; // original edges consumed
  let u: i32 = 0; // distinct edges consumed
  let e: f64 = e0;
  let ce = <i32>((<u32>i64x2.extract_lane(lutRecords(f64x2.splat(e), E0, S, T, B, Z), 0) - <u32>rec) >> 4);
  for (let c = 0; c < cells; c++) {
    const lo = u;
    let ev: f64 = Infinity;
    if (j < m && ce == c) {
      ev = e;
      while (j < m && e == ev) {
        j++;
        e = j == m - 1 ? eTop : j < m ? load<f64>(edgesPtr + (<usize>j << 3)) : Infinity;
      }
      u++;
      if (u >= LUT_MAX_UNIQUE + 1) return 0;
      // x in [ev, next distinct edge): j edges <= x, except that the last edge counts
      // once x reaches it (its moved-up copy ends the last bin)
      store<i32>(mapPtr + (<usize>u << 2), j);
      if (j < m) {
        ce = <i32>((<u32>i64x2.extract_lane(lutRecords(f64x2.splat(e), E0, S, T, B, Z), 0) - <u32>rec) >> 4);
        if (ce == c) return 0;
      }
    } else if (j < m && ce < c) return 0; // cannot happen (monotone), kept as a guard
    store<f64>(rec + (<usize>c << 4), ev);
    store<u64>(rec + (<usize>c << 4), <u64>cntPtr + (<u64>lo << 2), 8);
  }
  return j == m ? u + 1 : 0;
}

/** Adds the unique-slot counts (histogramLutBuild) of x (n f64) to the LUT_SETS counter
 *  sets at cnt (NaN counted in unique slot 0) and returns the number of NaN values.
 *  Eight values per step, all branch-free: cells of two values per SIMD step, the record
 *  addresses stored to `tmp` (128 bytes) and read back as scalars (a store and two loads
 *  instead of lane extracts, which compete with the arithmetic for the vector ports), one
 *  16-byte record load per value, one comparison per two values, the counter addresses
 *  stored and read back the same way, and one increment per value in a set of its own
 *  (eight sets: a value never waits for the previous value's store to its counter).
 *  NaN is not tested per value: the values are summed, and only a chunk whose sum is NaN
 *  (a NaN, or both infinities) is scanned again to count its NaN. */
export function histogramLutCount(xPtr: usize, n: i32, lutPtr: usize, cntPtr: usize, tmp: usize): i32 {
  // the constants come from memory, loaded once: V8 rematerialises splats inside loops
  const E0 = v128.load(lutPtr), S = v128.load(lutPtr, 16), T = v128.load(lutPtr, 32);
  const B = v128.load(lutPtr, 48), F = v128.load(lutPtr, 64);
  const Z = f64x2.splat(0);
  let acc = Z;
  let i: i32 = 0;
  for (; i + 8 <= n; i += 8) {
    const xp = xPtr + (<usize>i << 3);
    const va = v128.load(xp), vb = v128.load(xp, 16), vc = v128.load(xp, 32), vd = v128.load(xp, 48);
    acc = f64x2.add(acc, f64x2.add(f64x2.add(va, vb), f64x2.add(vc, vd)));
    v128.store(tmp, lutRecords(va, E0, S, T, B, Z));
    v128.store(tmp, lutRecords(vb, E0, S, T, B, Z), 16);
    v128.store(tmp, lutRecords(vc, E0, S, T, B, Z), 32);
    v128.store(tmp, lutRecords(vd, E0, S, T, B, Z), 48);
    v128.store(tmp, lutCounters(va, v128.load(<usize>load<u32>(tmp)), v128.load(<usize>load<u32>(tmp, 8)), F), 64);
    v128.store(tmp, lutCounters(vb, v128.load(<usize>load<u32>(tmp, 16)), v128.load(<usize>load<u32>(tmp, 24)), F), 80);
    v128.store(tmp, lutCounters(vc, v128.load(<usize>load<u32>(tmp, 32)), v128.load(<usize>load<u32>(tmp, 40)), F), 96);
    v128.store(tmp, lutCounters(vd, v128.load(<usize>load<u32>(tmp, 48)), v128.load(<usize>load<u32>(tmp, 56)), F), 112);
    // set k of the counters is LUT_SET_BYTES * k bytes further (constant offsets)
    { const q = <usize>load<u32>(tmp, 64); store<u32>(q, load<u32>(q) + 1); }
    { const q = <usize>load<u32>(tmp, 72); store<u32>(q, load<u32>(q, 1040) + 1, 1040); }
    { const q = <usize>load<u32>(tmp, 80); store<u32>(q, load<u32>(q, 2080) + 1, 2080); }
    { const q = <usize>load<u32>(tmp, 88); store<u32>(q, load<u32>(q, 3120) + 1, 3120); }
    { const q = <usize>load<u32>(tmp, 96); store<u32>(q, load<u32>(q, 4160) + 1, 4160); }
    { const q = <usize>load<u32>(tmp, 104); store<u32>(q, load<u32>(q, 5200) + 1, 5200); }
    { const q = <usize>load<u32>(tmp, 112); store<u32>(q, load<u32>(q, 6240) + 1, 6240); }
    { const q = <usize>load<u32>(tmp, 120); store<u32>(q, load<u32>(q, 7280) + 1, 7280); }
  }
  for (; i < n; i++) {
    const v = f64x2.splat(load<f64>(xPtr + (<usize>i << 3)));
    acc = f64x2.add(acc, f64x2.replace_lane(v, 1, 0));
    const r = v128.load(<usize><u32>i64x2.extract_lane(lutRecords(v, E0, S, T, B, Z), 0));
    const q = <usize><u32>i64x2.extract_lane(lutCounters(v, r, r, F), 0);
    store<u32>(q, load<u32>(q) + 1);
  }
  const s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (s == s) return 0;
  let nan: i32 = 0;
  for (let k = 0; k < n; k++) {
    const v = load<f64>(xPtr + (<usize>k << 3));
    nan += <i32>(v != v);
  }
  return nan;
}

/** slots[map[u]] = sum over the counter sets of histogramLutCount of unique slot u, for
 *  u < w (the build's return value); other slots of the m + 2 are 0. */
export function histogramLutSum(cntPtr: usize, w: i32, mapPtr: usize, m: i32, slotsPtr: usize): void {
  memory.fill(slotsPtr, 0, <usize>(m + 2) << 2);
  for (let u = 0; u < w; u++) {
    let c: u32 = 0;
    for (let k = 0; k < LUT_SETS; k++) c += load<u32>(cntPtr + <usize>(k * LUT_SET_BYTES) + (<usize>u << 2));
    store<u32>(slotsPtr + (<usize>load<i32>(mapPtr + (<usize>u << 2)) << 2), c);
  }
}

/** Minimum, maximum and count of the non-NaN values of x (n f64), SIMD two lanes at a
 *  time. Writes out[0] = count, out[1] = min, out[2] = max (±Infinity when count = 0). */
export function minMaxCount(xPtr: usize, n: i32, outPtr: usize): void {
  const inf = f64x2.splat(Infinity);
  const ninf = f64x2.splat(-Infinity);
  let vmin = inf;
  let vmax = ninf;
  let vcnt = i64x2.splat(0);
  let i: i32 = 0;
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(xPtr + (<usize>i << 3));
    const ok = f64x2.eq(v, v); // all-ones where not NaN
    vmin = f64x2.pmin(vmin, v128.bitselect(v, inf, ok));
    vmax = f64x2.pmax(vmax, v128.bitselect(v, ninf, ok));
    vcnt = i64x2.sub(vcnt, ok); // ok lanes are -1
  }
  let lo = min<f64>(f64x2.extract_lane(vmin, 0), f64x2.extract_lane(vmin, 1));
  let hi = max<f64>(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
  let cnt = i64x2.extract_lane(vcnt, 0) + i64x2.extract_lane(vcnt, 1);
  for (; i < n; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    if (v == v) {
      cnt++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  store<f64>(outPtr, <f64>cnt);
  store<f64>(outPtr, lo, 8);
  store<f64>(outPtr, hi, 16);
}

// ---------------------------------------------------------------------------------
// Sorting

const RADIX_BITS: u32 = 13;
const RADIX: i32 = 1 << RADIX_BITS;
const RADIX_MASK: u64 = <u64>(RADIX - 1);
const PASSES: i32 = 5; // 5 x 13 bits >= 64
/** sortKeysF64 radix-sorts on digits 2..4 only (bits 26..63), then orders runs of keys
 *  that share those bits (sortRuns): two fewer passes over the whole array. */
const FIRST_PASS: i32 = 2;
const RUN_SHIFT: u64 = 26;
/** Bits of top-digit information beyond log2 k that sortKeysF64 asks for before sorting on the top digits only. */
const RUN_MARGIN: i32 = 6;

// @ts-ignore: decorator
@inline
function keyOf(bits: u64): u64 {
  // Maps the IEEE-754 bit pattern to an unsigned key with the same order as the
  // numbers: negatives are bit-flipped, positives get the sign bit set.
  // -0 sorts just before +0, as TypedArray.prototype.sort does.
  return (bits >> 63) != 0 ? ~bits : bits | 0x8000000000000000;
}

// @ts-ignore: decorator
@inline
function bump(histPtr: usize, p: i32, key: u64): void {
  const d = <i32>((key >> (<u64>(<u32>p * RADIX_BITS))) & RADIX_MASK);
  const h = histPtr + (<usize>(p * RADIX + d) << 2);
  store<u32>(h, load<u32>(h) + 1);
}

// @ts-ignore: decorator
@inline
function bitsOf(key: u64): u64 {
  return (key >> 63) != 0 ? key & 0x7fffffffffffffff : ~key;
}

/** Doubles of k keys (keyOf images) at x, in place. */
export function valuesFromKeys(xPtr: usize, k: i32): void {
  for (let i = 0; i < k; i++) {
    const p = xPtr + (<usize>i << 3);
    store<u64>(p, bitsOf(load<u64>(p)));
  }
}

/** Sorts the non-NaN values of x (n f64) as keys: leaves the k sorted keys
 *  (order-preserving u64 images of the doubles, see keyOf) in x or tmp, writes that
 *  buffer's pointer to hist[0] (u32) and returns k, the number of non-NaN values.
 *  LSD radix sort on the order-preserving integer image of the IEEE-754 bits, 13 bits
 *  per pass: O(n) with sequential reads, which beats a comparison sort's n log n branchy
 *  compares from about 10^4 values up (1M values: 5 passes instead of ~20 levels of
 *  mispredicted compares; 13-bit digits measured ~15 % faster than 6 passes of 11 bits
 *  at 1M, a digit's counters (32 KB) still fit in L1). Passes whose digit is the same
 *  for every key are skipped, and for continuous data the two lowest digits are replaced
 *  by ordering runs of keys that share the top 38 bits (see below). Used when the data
 *  has no sampled spread for sortCoded; canonZero = 1 gives -0 the key of +0 (for the
 *  walks, which compare values). Scratch: tmp (n u64), hist (5 * 8192 u32). */
export function sortKeysF64(xPtr: usize, n: i32, tmpPtr: usize, histPtr: usize, canonZero: i32): i32 {
  memory.fill(histPtr, 0, <usize>(PASSES * RADIX) << 2);
  // with canonZero, -0 gets the key of +0 (for callers that compare values, where they are equal)
  const negZero: u64 = canonZero != 0 ? 0x8000000000000000 : 0;
  // pass 0: drop NaN, write keys, build all digit histograms at once
  let k: i32 = 0;
  for (let i = 0; i < n; i++) {
    let bits = load<u64>(xPtr + (<usize>i << 3));
    const v = reinterpret<f64>(bits);
    if (v != v) continue;
    bits = select<u64>(0, bits, bits == negZero);
    const key = keyOf(bits);
    store<u64>(xPtr + (<usize>k << 3), key);
    k++;
    bump(histPtr, 0, key);
    bump(histPtr, 1, key);
    bump(histPtr, 2, key);
    bump(histPtr, 3, key);
    bump(histPtr, 4, key);
  }
  // Continuous data (1M normal doubles) are told apart by their top 38 bits: sort on
  // digits 2..4 only and then order the few runs of keys sharing those bits (sortRuns),
  // two passes fewer. Taken when the top digits have enough distinct values (log2 of
  // the non-empty buckets of digits 2..4 summed, an upper bound of their information,
  // at least log2 k + RUN_MARGIN); integer-valued or narrow data keep all passes, and
  // if the runs still hold more than k / 16 unordered keys, all passes are made after all.
  let bitsTop: i32 = 0;
  for (let p = FIRST_PASS; p < PASSES; p++) {
    const hp = histPtr + (<usize>(p * RADIX) << 2);
    let nonEmpty: i32 = 0;
    for (let d = 0; d < RADIX; d++) nonEmpty += <i32>(load<u32>(hp + (<usize>d << 2)) != 0);
    bitsTop += 31 - clz<i32>(max<i32>(nonEmpty, 1));
  }
  if (k > 64 && bitsTop >= 31 - clz<i32>(k) + RUN_MARGIN) {
    const src = radixPasses(xPtr, tmpPtr, k, histPtr, FIRST_PASS);
    const dst = src == xPtr ? tmpPtr : xPtr;
    if (sortRuns(src, k, dst, histPtr, k >> 4)) {
      store<u32>(histPtr, <u32>src);
      return k;
    }
    // too many keys in runs: every digit of the keys (in their current order) again
    memory.fill(histPtr, 0, <usize>(PASSES * RADIX) << 2);
    for (let i = 0; i < k; i++) {
      const key = load<u64>(src + (<usize>i << 3));
      bump(histPtr, 0, key); bump(histPtr, 1, key); bump(histPtr, 2, key); bump(histPtr, 3, key); bump(histPtr, 4, key);
    }
    store<u32>(histPtr, <u32>radixPasses(src, dst, k, histPtr, 0));
    return k;
  }
  store<u32>(histPtr, <u32>radixPasses(xPtr, tmpPtr, k, histPtr, 0));
  return k;
}

/** Turns the nb u32 counts at h into exclusive prefix sums (each bucket's start). */
function exclusivePrefix(h: usize, nb: i32): void {
  let sum: u32 = 0;
  for (let b = 0; b < nb; b++) {
    const q = h + (<usize>b << 2);
    const c = load<u32>(q);
    store<u32>(q, sum);
    sum += c;
  }
}

/** LSD passes over digits first..4 of k keys at src (digit histograms in hist), ping-ponging
 *  with dst; a pass whose digit is the same for every key is skipped. Returns the buffer
 *  holding the result. */
function radixPasses(src: usize, dst: usize, k: i32, histPtr: usize, first: i32): usize {
  for (let p = first; p < PASSES; p++) {
    const hp = histPtr + (<usize>(p * RADIX) << 2);
    // skip a pass where every key has the same digit
    let trivial = false;
    for (let d = 0; d < RADIX; d++) {
      const c = load<u32>(hp + (<usize>d << 2));
      if (c != 0) { trivial = c == <u32>k; break; }
    }
    if (trivial) continue;
    exclusivePrefix(hp, RADIX); // counts -> bucket offsets
    const shift = <u64>(<u32>p * RADIX_BITS);
    for (let i = 0; i < k; i++) {
      const key = load<u64>(src + (<usize>i << 3));
      const h = hp + (<usize>(<i32>((key >> shift) & RADIX_MASK)) << 2);
      const o = load<u32>(h);
      store<u32>(h, o + 1);
      store<u64>(dst + (<usize>o << 3), key);
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/** Orders each run of keys a[0 .. k) that share their top 38 bits (key >> RUN_SHIFT;
 *  the array is sorted by those bits) by the remaining low bits, using other (k u64) as
 *  scratch at the same offsets and hist (4 x 256 u32). For continuous data such runs
 *  hold one key (1M normal values: two doubles agreeing to 2^-26 relative are rare), so
 *  this is one sequential pass; ties (equal keys) form runs that are already in order.
 *  Returns false, leaving the keys permuted, once more than `budget` keys lie in runs
 *  that need sorting. */
function sortRuns(a: usize, k: i32, other: usize, histPtr: usize, budget: i32): bool {
  let i: i32 = 0;
  while (i < k) {
    const prefix = load<u64>(a + (<usize>i << 3)) >> RUN_SHIFT;
    let j = i + 1;
    while (j < k && load<u64>(a + (<usize>j << 3)) >> RUN_SHIFT == prefix) j++;
    if (j - i > 1 && !sortedKeys(a + (<usize>i << 3), j - i)) {
      budget -= j - i;
      if (budget < 0) return false;
      sortRun(a + (<usize>i << 3), j - i, other + (<usize>i << 3), histPtr);
    }
    i = j;
  }
  return true;
}

function sortedKeys(p: usize, len: i32): bool {
  for (let t = 1; t < len; t++) {
    if (load<u64>(p + (<usize>(t - 1) << 3)) > load<u64>(p + (<usize>t << 3))) return false;
  }
  return true;
}

/** Sorts one run of len keys at p (scratch q, same size): insertion sort up to 64 keys,
 *  else four stable LSD passes on bits 0..31 (8-bit digits: 1 KB of counters per pass,
 *  cheap to clear for short runs), which end back in p. */
function sortRun(p: usize, len: i32, q: usize, histPtr: usize): void {
  if (len <= 64) { insertionSortKeys(p, len); return; }
  memory.fill(histPtr, 0, 4 * 256 * 4);
  for (let t = 0; t < len; t++) {
    const key = load<u64>(p + (<usize>t << 3));
    for (let d = 0; d < 4; d++) {
      const h = histPtr + (<usize>((d << 8) + <i32>((key >> (<u64>(d << 3))) & 0xff)) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
  }
  let src = p, dst = q;
  for (let d = 0; d < 4; d++) {
    const hp = histPtr + (<usize>(d << 8) << 2);
    exclusivePrefix(hp, 256);
    const shift = <u64>(d << 3);
    for (let t = 0; t < len; t++) {
      const key = load<u64>(src + (<usize>t << 3));
      const h = hp + (<usize>(<i32>((key >> shift) & 0xff)) << 2);
      const o = load<u32>(h);
      store<u32>(h, o + 1);
      store<u64>(dst + (<usize>o << 3), key);
    }
    const t = src; src = dst; dst = t;
  }
}

// ---------------------------------------------------------------------------------
// Sorting by a linear code of the values (ksKeys / wassersteinKeys inputs)
// code(x) = round(clamp((x - lo) * scale, 0, 2^26 - 1)) over a range [lo, hi] sampled
// from the data (scale = 2^26 / (hi - lo)) is non-decreasing in x, so sorting the keys by
// their 26-bit code (two LSD passes of 13 bits) orders them up to runs of keys sharing a
// code, which one sequential pass then sorts. For continuous data the code spreads the
// values over 2^26 cells (1M normal values: ~0.04 per cell at the mode), so this replaces
// the three passes on the top key digits with two, and the NaN drop and histograms are
// done chunk by chunk as the values are copied in (sortCodedScan). Values outside the
// sampled range share the end codes and are sorted as runs.

const CODE_DIGIT: i32 = 13;
/** Codes per unit of (x - lo) * (1 / (hi - lo)): 2^(2 CODE_DIGIT). */
const CODE_CELLS: f64 = <f64>(1 << (2 * CODE_DIGIT));
const CODE_MAX: f64 = CODE_CELLS - 1;
const CODE_MASK: i32 = (1 << CODE_DIGIT) - 1;

/** Codes of two keys (keyOf images of non-NaN doubles) as the low 32 bits of the lanes:
 *  the keys are turned back into doubles (bitsOf, branch-free: key ^ (~s ^ (s & sign))
 *  with s the key's top bit spread), then scaled, clamped by pmin / pmax (single
 *  instructions) and rounded by adding 2^52. */
// @ts-ignore: decorator
@inline
function codes2(k: v128, L: v128, S: v128, T: v128, Z: v128, B: v128, SIGN: v128): v128 {
  const s = i64x2.shr_s(k, 63);
  const x = v128.xor(k, v128.xor(v128.not(s), v128.and(s, SIGN)));
  return f64x2.add(f64x2.pmax(Z, f64x2.pmin(T, f64x2.mul(f64x2.sub(x, L), S))), B);
}

/** Code of one key (scalar codes2). */
function codeOf(key: u64, lo: f64, scale: f64): i32 {
  const t = (reinterpret<f64>(bitsOf(key)) - lo) * scale;
  const c = select<f64>(0, select<f64>(CODE_MAX, t, t > CODE_MAX), t < 0);
  return <i32>reinterpret<u64>(c + 4503599627370496.0);
}

/** One chunk of the copy-in of sortCoded: the len values at x (just copied there) become
 *  keys in place (NaN dropped, the rest moved to the front in order; -0 as +0 with
 *  canonZero), and the two 13-bit digits of their codes are counted into hist (2 x 8192
 *  u32, cleared by the caller before the first chunk), while the chunk is in cache.
 *  Returns the number of keys written. Two values per step, branch-free: key =
 *  bits ^ (s | sign) with s the sign bit spread (keyOf), codes from the values. */
export function sortCodedScan(xPtr: usize, len: i32, histPtr: usize, lo: f64, hi: f64, canonZero: i32): i32 {
  const k = dropNaN(xPtr, len);
  const L = f64x2.splat(lo), S = f64x2.splat(CODE_CELLS / (hi - lo)), T = f64x2.splat(CODE_MAX), Z = f64x2.splat(0);
  const B = f64x2.splat(4503599627370496.0), SIGN = i64x2.splat(0x8000000000000000);
  const negZero: u64 = canonZero != 0 ? 0x8000000000000000 : 0;
  const NZ = i64x2.splat(negZero);
  const h1 = histPtr + (<usize>RADIX << 2);
  let i: i32 = 0;
  for (; i + 2 <= k; i += 2) {
    const p = xPtr + (<usize>i << 3);
    const v = v128.load(p);
    const bits = v128.andnot(v, i64x2.eq(v, NZ)); // with canonZero -0 -> +0 (else NZ matches +0 only)
    v128.store(p, v128.xor(bits, v128.or(i64x2.shr_s(bits, 63), SIGN)));
    v128.store(SEL_TMP, f64x2.add(f64x2.pmax(Z, f64x2.pmin(T, f64x2.mul(f64x2.sub(v, L), S))), B));
    const c0 = load<i32>(SEL_TMP), c1 = load<i32>(SEL_TMP, 8);
    bumpAt(histPtr, c0 & CODE_MASK); bumpAt(h1, c0 >> CODE_DIGIT);
    bumpAt(histPtr, c1 & CODE_MASK); bumpAt(h1, c1 >> CODE_DIGIT);
  }
  if (i < k) {
    const p = xPtr + (<usize>i << 3);
    const bits = load<u64>(p);
    const key = keyOf(select<u64>(0, bits, bits == negZero));
    store<u64>(p, key);
    const c = codeOf(key, lo, f64x2.extract_lane(S, 0));
    bumpAt(histPtr, c & CODE_MASK); bumpAt(h1, c >> CODE_DIGIT);
  }
  return k;
}

/** Moves the non-NaN values of the len f64 at x to the front, in order, and returns
 *  their number. A SIMD test first: the move runs only when there is a NaN. */
function dropNaN(xPtr: usize, len: i32): i32 {
  let nan = i64x2.splat(0);
  let i: i32 = 0;
  for (; i + 2 <= len; i += 2) {
    const v = v128.load(xPtr + (<usize>i << 3));
    nan = v128.or(nan, f64x2.ne(v, v));
  }
  let any = v128.any_true(nan);
  if (i < len) { const v = load<f64>(xPtr + (<usize>i << 3)); any = any || v != v; }
  if (!any) return len;
  let j: i32 = 0;
  for (let t = 0; t < len; t++) {
    const v = load<f64>(xPtr + (<usize>t << 3));
    store<f64>(xPtr + (<usize>j << 3), v);
    j += <i32>(v == v);
  }
  return j;
}

/** Sorts the k keys at x (from sortCodedScan over the same lo, hi, with hist as it left
 *  it) in place: two LSD passes on the code digits through tmp (k u64) and back, then
 *  every run of keys sharing a code that is out of order is sorted (sortAnyRun). Only a
 *  descent between neighbours is looked for in the final pass (one predictable compare
 *  per key): keys with different codes are already in order. hist: 5 x 8192 u32. */
export function sortCoded(xPtr: usize, k: i32, tmpPtr: usize, histPtr: usize, lo: f64, hi: f64): void {
  const scale = CODE_CELLS / (hi - lo);
  const L = f64x2.splat(lo), S = f64x2.splat(scale), T = f64x2.splat(CODE_MAX), Z = f64x2.splat(0);
  const B = f64x2.splat(4503599627370496.0), SIGN = i64x2.splat(0x8000000000000000);
  let src = xPtr, dst = tmpPtr;
  for (let d = 0; d < 2; d++) {
    const hp = histPtr + (<usize>(d * RADIX) << 2);
    exclusivePrefix(hp, RADIX);
    const sh = d * CODE_DIGIT;
    let i: i32 = 0;
    for (; i + 2 <= k; i += 2) {
      const kp = src + (<usize>i << 3);
      v128.store(SEL_TMP, codes2(v128.load(kp), L, S, T, Z, B, SIGN));
      scatterKey(load<u64>(kp), hp + (<usize>((load<i32>(SEL_TMP) >> sh) & CODE_MASK) << 2), dst);
      scatterKey(load<u64>(kp, 8), hp + (<usize>((load<i32>(SEL_TMP, 8) >> sh) & CODE_MASK) << 2), dst);
    }
    if (i < k) {
      const key = load<u64>(src + (<usize>i << 3));
      scatterKey(key, hp + (<usize>((codeOf(key, lo, scale) >> sh) & CODE_MASK) << 2), dst);
    }
    const t = src; src = dst; dst = t;
  }
  // keys sharing a code may be out of order, other neighbours are not: insertion steps
  // (one predictable compare per key; continuous data has few, short such runs) while
  // they move at most k / 4 + 1024 keys, then, should long runs remain (data clustered
  // within a code, values beyond the sampled range), each run is bounded by its code and
  // sorted (sortAnyRun). Either keeps the prefix sorted, so they can follow each other.
  let budget = (k >> 2) + 1024;
  let i: i32 = 1;
  for (; i < k && budget >= 0; i++) {
    const key = load<u64>(xPtr + (<usize>i << 3));
    if (load<u64>(xPtr + (<usize>(i - 1) << 3)) <= key) continue;
    let j = i - 1;
    while (j >= 0 && load<u64>(xPtr + (<usize>j << 3)) > key) {
      store<u64>(xPtr + (<usize>(j + 1) << 3), load<u64>(xPtr + (<usize>j << 3)));
      j--;
    }
    store<u64>(xPtr + (<usize>(j + 1) << 3), key);
    budget -= i - 1 - j;
  }
  while (i < k) {
    if (load<u64>(xPtr + (<usize>(i - 1) << 3)) <= load<u64>(xPtr + (<usize>i << 3))) { i++; continue; }
    const c = codeOf(load<u64>(xPtr + (<usize>i << 3)), lo, scale);
    let a = i - 1;
    while (a > 0 && codeOf(load<u64>(xPtr + (<usize>(a - 1) << 3)), lo, scale) == c) a--;
    let e = i + 1;
    while (e < k && codeOf(load<u64>(xPtr + (<usize>e << 3)), lo, scale) == c) e++;
    sortAnyRun(xPtr + (<usize>a << 3), e - a, tmpPtr + (<usize>a << 3), histPtr);
    i = e;
  }
}

/** One key of an LSD scatter: stored at its digit's offset (counter at h), which advances. */
// @ts-ignore: decorator
@inline
function scatterKey(key: u64, h: usize, dst: usize): void {
  const o = load<u32>(h);
  store<u32>(h, o + 1);
  store<u64>(dst + (<usize>o << 3), key);
}

/** Sorts len keys at p in place (scratch q, same size): insertion sort up to 64 keys,
 *  sortRun when they share their top 32 bits, else every 13-bit digit (radixPasses). */
function sortAnyRun(p: usize, len: i32, q: usize, histPtr: usize): void {
  if (len <= 64) { insertionSortKeys(p, len); return; }
  let diff: u64 = 0;
  const k0 = load<u64>(p);
  for (let t = 1; t < len; t++) diff |= load<u64>(p + (<usize>t << 3)) ^ k0;
  if ((diff >> 32) == 0) { sortRun(p, len, q, histPtr); return; }
  memory.fill(histPtr, 0, <usize>(PASSES * RADIX) << 2);
  for (let t = 0; t < len; t++) {
    const key = load<u64>(p + (<usize>t << 3));
    bump(histPtr, 0, key); bump(histPtr, 1, key); bump(histPtr, 2, key); bump(histPtr, 3, key); bump(histPtr, 4, key);
  }
  if (radixPasses(p, q, len, histPtr, 0) != p) memory.copy(p, q, <usize>len << 3);
}

// ---------------------------------------------------------------------------------
// Two-sample merge walks

/** In-place keys (keyOf, -0 as +0) of n f64 values, for ksKeys on sorted doubles. */
export function keysFromF64(xPtr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = xPtr + (<usize>i << 3);
    const bits = load<u64>(p);
    store<u64>(p, keyOf(select<u64>(0, bits, bits == 0x8000000000000000)));
  }
}

/** Sentinel after each key array of the walks: above every key of a non-NaN double. */
const KEY_END: u64 = 0xffffffffffffffff;

/** Two-sample Kolmogorov-Smirnov extremes over ascending keys a (n1 u64) and b (n2 u64)
 *  of non-NaN doubles (keyOf with -0 as +0), each followed by one KEY_END sentinel: at
 *  every distinct pooled value v, F1(v) - F2(v) with F = (count <= v) / size, as scipy's
 *  searchsorted(side='right') does. The gap is tracked exactly as the integer
 *  D = i n2 - j n1 (i, j values of a, b consumed), one add per pooled value and no
 *  division; out[0] = max D / (n1 n2), out[1] = min D / (n1 n2) (one rounding of the
 *  exact rational). Branch-free merge, a first on ties, the extremes updated only where
 *  the next pooled key is larger. The walk is cut in two at pooled position half (merge
 *  path) and both halves advance in the same loop: two independent dependency chains.
 *  The extremes do not depend on the visiting order, so the result is the same. */
export function ksKeys(aPtr: usize, n1: i32, bPtr: usize, n2: i32, outPtr: usize): void {
  const total = n1 + n2;
  const half = total >> 1;
  let lo = max<i32>(0, half - n2);
  let hi = min<i32>(half, n1);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (load<u64>(aPtr + (<usize>mid << 3)) <= load<u64>(bPtr + (<usize>(half - mid - 1) << 3))) lo = mid + 1;
    else hi = mid;
  }
  const up = <i64>n2, down = -<i64>n1;
  let i1: i32 = 0, j1: i32 = 0, i2: i32 = lo, j2: i32 = half - lo;
  let d1: i64 = 0, d2 = <i64>i2 * <i64>n2 - <i64>j2 * <i64>n1;
  let va1 = load<u64>(aPtr), vb1 = load<u64>(bPtr);
  let va2 = load<u64>(aPtr + (<usize>i2 << 3)), vb2 = load<u64>(bPtr + (<usize>j2 << 3));
  let hi1: i64 = i64.MIN_VALUE, lo1: i64 = i64.MAX_VALUE, hi2: i64 = i64.MIN_VALUE, lo2: i64 = i64.MAX_VALUE;
  for (let k = 0; k < half; k++) {
    {
      const takeA = va1 <= vb1;
      const cur = select<u64>(va1, vb1, takeA);
      i1 += <i32>takeA; j1 += 1 - <i32>takeA;
      d1 += select<i64>(up, down, takeA);
      va1 = load<u64>(aPtr + (<usize>i1 << 3)); vb1 = load<u64>(bPtr + (<usize>j1 << 3));
      const end = select<u64>(va1, vb1, va1 < vb1) > cur;
      hi1 = select<i64>(d1, hi1, end & (d1 > hi1));
      lo1 = select<i64>(d1, lo1, end & (d1 < lo1));
    }
    {
      const takeA = va2 <= vb2;
      const cur = select<u64>(va2, vb2, takeA);
      i2 += <i32>takeA; j2 += 1 - <i32>takeA;
      d2 += select<i64>(up, down, takeA);
      va2 = load<u64>(aPtr + (<usize>i2 << 3)); vb2 = load<u64>(bPtr + (<usize>j2 << 3));
      const end = select<u64>(va2, vb2, va2 < vb2) > cur; // the sentinels end the last group
      hi2 = select<i64>(d2, hi2, end & (d2 > hi2));
      lo2 = select<i64>(d2, lo2, end & (d2 < lo2));
    }
  }
  if (total & 1) {
    // the second half has one more pooled value: the last one, which ends its group
    d2 += select<i64>(up, down, va2 <= vb2);
    hi2 = max<i64>(hi2, d2);
    lo2 = min<i64>(lo2, d2);
  }
  const nn = <f64>n1 * <f64>n2;
  store<f64>(outPtr, <f64>max<i64>(hi1, hi2) / nn);
  store<f64>(outPtr, <f64>min<i64>(lo1, lo2) / nn, 8);
}

/** Unweighted Wasserstein-1 distance from ascending keys u (n1 u64) and v (n2 u64) of
 *  finite doubles (keyOf with -0 as +0), each followed by one KEY_END sentinel: the
 *  sum over consecutive pooled values of |U(x) - V(x)| (y - x), computed as
 *  sum |D| (y - x) / (n1 n2) with the exact integer D = i n2 - j n1 (one add per pooled
 *  value, no division). Branch-free stable merge (u first on ties), cut at pooled
 *  position half = total / 2 (merge path) into two walks advanced in the same loop (two
 *  dependency chains), each with its own Neumaier-compensated sum; the result is
 *  ((sA + cA) + (sB + cB)) / (n1 n2), where A holds the terms of pooled positions
 *  1 .. half - 1 and B those of half .. total - 1. */
export function wassersteinKeys(uPtr: usize, n1: i32, vPtr: usize, n2: i32): f64 {
  const up = <i64>n2, down = -<i64>n1;
  const total = n1 + n2;
  const half = total >> 1;
  let lo = max<i32>(0, half - n2);
  let hi = min<i32>(half, n1);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (load<u64>(uPtr + (<usize>mid << 3)) <= load<u64>(vPtr + (<usize>(half - mid - 1) << 3))) lo = mid + 1;
    else hi = mid;
  }
  // walk A: starts after pooled position 0
  let ua = load<u64>(uPtr), vb = load<u64>(vPtr);
  let takeU = ua <= vb;
  let xA = reinterpret<f64>(bitsOf(select<u64>(ua, vb, takeU)));
  let iA: i32 = <i32>takeU, jA: i32 = 1 - <i32>takeU;
  let dA: i64 = select<i64>(up, down, takeU);
  let sA: f64 = 0, cA: f64 = 0;
  // walk B: starts after pooled position half - 1, the larger of the last keys consumed
  let iB: i32 = lo, jB: i32 = half - lo;
  const lastU = iB > 0 ? load<u64>(uPtr + (<usize>(iB - 1) << 3)) : 0;
  const lastV = jB > 0 ? load<u64>(vPtr + (<usize>(jB - 1) << 3)) : 0;
  let xB = reinterpret<f64>(bitsOf(select<u64>(lastU, lastV, lastU > lastV)));
  let dB: i64 = <i64>iB * <i64>n2 - <i64>jB * <i64>n1;
  let sB: f64 = 0, cB: f64 = 0;
  const both = half - 1; // terms of A; B has total - half = both + 1 or both + 2
  // one loop for both walks; A stops after its `both` terms, B's last one or two steps run alone
  for (let k = 0; k < total - half; k++) {
    if (k < both) {
      ua = load<u64>(uPtr + (<usize>iA << 3)); vb = load<u64>(vPtr + (<usize>jA << 3));
      takeU = ua <= vb;
      const y = reinterpret<f64>(bitsOf(select<u64>(ua, vb, takeU)));
      const term = <f64>(dA < 0 ? -dA : dA) * (y - xA);
      const t = sA + term;
      cA += select<f64>((sA - t) + term, (term - t) + sA, sA >= term); // terms >= 0
      sA = t;
      iA += <i32>takeU; jA += 1 - <i32>takeU;
      dA += select<i64>(up, down, takeU);
      xA = y;
    }
    {
      const u2 = load<u64>(uPtr + (<usize>iB << 3)), v2 = load<u64>(vPtr + (<usize>jB << 3));
      const tU = u2 <= v2;
      const y = reinterpret<f64>(bitsOf(select<u64>(u2, v2, tU)));
      const term = <f64>(dB < 0 ? -dB : dB) * (y - xB);
      const t = sB + term;
      cB += select<f64>((sB - t) + term, (term - t) + sB, sB >= term);
      sB = t;
      iB += <i32>tU; jB += 1 - <i32>tU;
      dB += select<i64>(up, down, tU);
      xB = y;
    }
  }
  return ((sA + cA) + (sB + cB)) / (<f64>n1 * <f64>n2);
}

/** Wasserstein-1 distance between sorted finite samples u (n1 f64) and v (n2 f64), each
 *  followed by one +Infinity sentinel: sum over consecutive pooled values of
 *  |U(x) - V(x)| * (x_next - x), with U, V the empirical CDFs; when uCw / vCw are
 *  non-zero they point to cumulative weights (n + 1 f64, first 0) and the CDFs are
 *  cw[count] / cw[n], as scipy's _cdf_distance. Branch-free merge; Neumaier-compensated
 *  sum, so the result does not depend on summation order. */
export function wassersteinSorted(uPtr: usize, n1: i32, vPtr: usize, n2: i32, uCw: usize, vCw: usize): f64 {
  let i: i32 = 0;
  let j: i32 = 0;
  let sum: f64 = 0;
  let comp: f64 = 0;
  const f1 = <f64>n1;
  const f2 = <f64>n2;
  const weighted = uCw != 0 || vCw != 0;
  const uTot = uCw != 0 ? load<f64>(uCw + (<usize>n1 << 3)) : 0.0;
  const vTot = vCw != 0 ? load<f64>(vCw + (<usize>n2 << 3)) : 0.0;
  const total = n1 + n2;
  let ua = load<f64>(uPtr);
  let vb = load<f64>(vPtr);
  let takeU = <i32>(ua <= vb);
  let x = select<f64>(ua, vb, takeU != 0);
  i += takeU; j += 1 - takeU;
  for (let k = 1; k < total; k++) {
    ua = load<f64>(uPtr + (<usize>i << 3));
    vb = load<f64>(vPtr + (<usize>j << 3));
    takeU = <i32>(ua <= vb);
    const y = select<f64>(ua, vb, takeU != 0);
    let uc: f64, vc: f64;
    if (weighted) {
      uc = uCw != 0 ? load<f64>(uCw + (<usize>i << 3)) / uTot : <f64>i / f1;
      vc = vCw != 0 ? load<f64>(vCw + (<usize>j << 3)) / vTot : <f64>j / f2;
    } else {
      uc = <f64>i / f1;
      vc = <f64>j / f2;
    }
    const term = abs<f64>(uc - vc) * (y - x);
    const t = sum + term;
    comp += select<f64>((sum - t) + term, (term - t) + sum, abs<f64>(sum) >= abs<f64>(term));
    sum = t;
    i += takeU; j += 1 - takeU;
    x = y;
  }
  return sum + comp;
}

// ---------------------------------------------------------------------------------
// Divergence terms over bins and numpy-order sums

/** Elementwise divergence terms over bins (p, q: n f64, already normalised,
 *  non-negative), written to out (n f64); out2 is used by kind 2 only.
 *  kind 0 = rel_entr(p, q): p log(p/q) (0 where p = 0; +Infinity where p > 0 = q);
 *  1 = kl_div(p, q) = p log(p/q) - p + q; 2 = Jensen-Shannon: out = rel_entr(p, m),
 *  out2 = rel_entr(q, m), m = (p + q) / 2; 3 = PSI: (q - p) ln(q/p) with `eps`
 *  substituted for empty shares; 4 = (sqrt p - sqrt q)^2; 5 = entr(p) = -p log p. */
export function divergenceTerms(pPtr: usize, qPtr: usize, n: i32, kind: i32, eps: f64, outPtr: usize, out2Ptr: usize): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const p = load<f64>(pPtr + off);
    const q = kind == 5 ? 0.0 : load<f64>(qPtr + off);
    let r: f64;
    if (kind == 0) r = relEntr(p, q);
    else if (kind == 1) r = klDivTerm(p, q);
    else if (kind == 2) {
      const m = (p + q) / 2.0;
      r = relEntr(p, m);
      store<f64>(out2Ptr + off, relEntr(q, m));
    } else if (kind == 3) {
      const e = p == 0 ? eps : p;
      const a = q == 0 ? eps : q;
      r = (a - e) * Math.log(a / e);
    } else if (kind == 4) {
      const d = Math.sqrt(p) - Math.sqrt(q);
      r = d * d;
    } else {
      r = p > 0 ? -p * Math.log(p) : (p == 0 ? 0.0 : -Infinity);
    }
    store<f64>(outPtr + off, r);
  }
}

/** Sum of x (n f64) in numpy's pairwise order (8 accumulators per block of up to 128,
 *  halves above), so sums with cancellation round exactly as numpy.sum does. */
export function pairwiseSum(xPtr: usize, n: i32): f64 {
  if (n < 8) {
    let s: f64 = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(xPtr + (<usize>i << 3));
    return s;
  }
  if (n <= 128) {
    let r0 = load<f64>(xPtr), r1 = load<f64>(xPtr, 8), r2 = load<f64>(xPtr, 16), r3 = load<f64>(xPtr, 24);
    let r4 = load<f64>(xPtr, 32), r5 = load<f64>(xPtr, 40), r6 = load<f64>(xPtr, 48), r7 = load<f64>(xPtr, 56);
    let i: i32 = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = xPtr + (<usize>i << 3);
      r0 += load<f64>(p); r1 += load<f64>(p, 8); r2 += load<f64>(p, 16); r3 += load<f64>(p, 24);
      r4 += load<f64>(p, 32); r5 += load<f64>(p, 40); r6 += load<f64>(p, 48); r7 += load<f64>(p, 56);
    }
    let s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) s += load<f64>(xPtr + (<usize>i << 3));
    return s;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSum(xPtr, n2) + pairwiseSum(xPtr + (<usize>n2 << 3), n - n2);
}

// @ts-ignore: decorator
@inline
function relEntr(x: f64, y: f64): f64 {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x == 0 && y >= 0) return 0;
  return Infinity;
}

// @ts-ignore: decorator
@inline
function klDivTerm(x: f64, y: f64): f64 {
  if (x > 0 && y > 0) return x * Math.log(x / y) - x + y;
  if (x == 0 && y >= 0) return y;
  return Infinity;
}

// ---------------------------------------------------------------------------------
// Selection: values at a few ranks without sorting everything (quantile edges).
// First on the values: equal-width buckets over [min, max] (selectValues): one pass
// counts, one pass gathers the values of the buckets that hold a requested rank, and
// those (a few dozen values each for continuous data) are sorted. Bucketing by value
// splits continuous data far more evenly than the top bits of the keys, whose exponent
// bits leave most of 65536 buckets empty. Skewed data, infinite or tiny ranges and deep
// recursion fall back to MSD radix select on the order-preserving keys (selectSeg),
// 16 bits per level, which bounds the depth at four levels.

const SEL_BITS: u32 = 16;
const SEL_BUCKETS: i32 = 1 << SEL_BITS;
const SEL_SMALL: i32 = 48;
/** Levels of the key select (64 bits / SEL_BITS); their counters come first in hist. */
const SEL_KEY_LEVELS: i32 = 4;
/** Levels of value bucketing before a segment goes to the key select: three levels
 *  narrow any range with a dense middle; more would mostly serve adversarial data
 *  (values spread over many binades), which the key select handles in bounded passes. */
const SEL_VALUE_LEVELS: i32 = 3;
/** Fewest value buckets per level (counters are cleared per level, so few for short segments);
 *  at most SEL_BUCKETS - 2 (two end buckets). */
const SEL_MIN_BUCKETS: i32 = 64;
/** Where the branch-free gathers write the elements of buckets they do not need. */
const SEL_DUMMY: usize = memory.data(16, 16);
/** A bucket's minimum and maximum (f64 lo, hi), read before recursing into it. */
const SEL_RANGE: usize = memory.data(16, 16);
/** nextNeeded's answer: a needed bucket's start, end and rank end (i32 x 3). */
const SEL_SPAN: usize = memory.data(16, 16);
/** Bucket numbers of the counting and gather loops, stored as vectors, read as scalars. */
const SEL_TMP: usize = memory.data(32, 16);

/** One chunk of sortedAt's copy-in: scans the len values at x (just copied there),
 *  moves the non-NaN ones to the front in order, and widens the running minimum and
 *  maximum at state (f64 lo, f64 hi; start at +Infinity, -Infinity). Returns the number
 *  kept. Two lanes at a time with NaN masked out; the compaction runs only for a chunk
 *  that holds NaN. With nb > 0 the kept values are also counted, while the chunk is in
 *  cache, into the nb + 2 value buckets (valueBuckets) of an estimated range [elo, ehi]
 *  (from a sample; values outside it count in the end buckets) at the first value
 *  level of hist, which selectValues then uses instead of a pass of its own. */
export function selectScan(xPtr: usize, len: i32, statePtr: usize, histPtr: usize, elo: f64, ehi: f64, nb: i32): i32 {
  const inf = f64x2.splat(Infinity), ninf = f64x2.splat(-Infinity);
  let vmin = f64x2.splat(load<f64>(statePtr)), vmax = f64x2.splat(load<f64>(statePtr, 8));
  let vcnt = i64x2.splat(0);
  let i: i32 = 0;
  for (; i + 2 <= len; i += 2) {
    const v = v128.load(xPtr + (<usize>i << 3));
    const ok = f64x2.eq(v, v);
    vmin = f64x2.pmin(vmin, v128.bitselect(v, inf, ok));
    vmax = f64x2.pmax(vmax, v128.bitselect(v, ninf, ok));
    vcnt = i64x2.sub(vcnt, ok);
  }
  let lo = min<f64>(f64x2.extract_lane(vmin, 0), f64x2.extract_lane(vmin, 1));
  let hi = max<f64>(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
  let k = <i32>(i64x2.extract_lane(vcnt, 0) + i64x2.extract_lane(vcnt, 1));
  for (; i < len; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    if (v == v) { k++; lo = min<f64>(lo, v); hi = max<f64>(hi, v); }
  }
  store<f64>(statePtr, lo);
  store<f64>(statePtr, hi, 8);
  if (k < len) {
    let j: i32 = 0;
    for (let t = 0; t < len; t++) {
      const v = load<f64>(xPtr + (<usize>t << 3));
      store<f64>(xPtr + (<usize>j << 3), v);
      j += <i32>(v == v);
    }
  }
  if (nb > 0) bucketPass(xPtr, k, valueHist(histPtr, 0), elo, <f64>nb / (ehi - elo), nb, 0);
  return k;
}

/** Minimum and maximum of len f64 at p (no NaN) into state (f64 lo, hi). */
function rangeOf(p: usize, len: i32, statePtr: usize): void {
  store<f64>(statePtr, Infinity);
  store<f64>(statePtr, -Infinity, 8);
  selectScan(p, len, statePtr, 0, 0, 0, 0);
}

/** Counters of value level `depth` in hist (after the key levels). */
// @ts-ignore: decorator
@inline
function valueHist(histPtr: usize, depth: i32): usize {
  return histPtr + (<usize>(SEL_KEY_LEVELS + depth) * <usize>SEL_BUCKETS << 2);
}

/** Value buckets of two values: b(x) = round(clamp((x - lo) * scale, -1, nb)) + 1, in
 *  [0, nb + 1], as the low 32 bits of each lane (adding 2^52 + 1 rounds to an integer in
 *  the low bits). Every step (subtract, scale > 0, clamp, round) is non-decreasing in x,
 *  so the buckets partition the values in order and a rank's bucket follows from the
 *  counts alone. Values below lo land in bucket 0 (-Infinity included), above lo + nb /
 *  scale in bucket nb + 1. pmin / pmax are single instructions, unlike f64.min / max. */
// @ts-ignore: decorator
@inline
function valueBuckets(v: v128, L: v128, S: v128, T: v128, M: v128, B: v128): v128 {
  return f64x2.add(f64x2.pmax(M, f64x2.pmin(T, f64x2.mul(f64x2.sub(v, L), S))), B);
}

/** One pass over the len f64 at p in value buckets (valueBuckets over lo, scale, nb),
 *  with counters at h: with dst = 0 adds each value to its bucket's count; else gathers
 *  (gatherValue) the values of the marked buckets to dst. Two values per step; the bucket
 *  numbers go through SEL_TMP (a store and scalar loads instead of lane extracts). */
function bucketPass(p: usize, len: i32, h: usize, lo: f64, scale: f64, nb: i32, dst: usize): void {
  const L = f64x2.splat(lo), S = f64x2.splat(scale), T = f64x2.splat(<f64>nb), M = f64x2.splat(-1.0);
  const B = f64x2.splat(4503599627370497.0);
  let i: i32 = 0;
  for (; i + 2 <= len; i += 2) {
    const xp = p + (<usize>i << 3);
    v128.store(SEL_TMP, valueBuckets(v128.load(xp), L, S, T, M, B));
    const q0 = h + (<usize>load<i32>(SEL_TMP) << 2), q1 = h + (<usize>load<i32>(SEL_TMP, 8) << 2);
    if (dst == 0) { store<u32>(q0, load<u32>(q0) + 1); store<u32>(q1, load<u32>(q1) + 1); }
    else { gatherValue(load<f64>(xp), q0, dst); gatherValue(load<f64>(xp, 8), q1, dst); }
  }
  if (i < len) {
    const x = load<f64>(p + (<usize>i << 3));
    const q = h + (<usize>(<i32>i64x2.extract_lane(valueBuckets(f64x2.splat(x), L, S, T, M, B), 0)) << 2);
    if (dst == 0) store<u32>(q, load<u32>(q) + 1);
    else gatherValue(x, q, dst);
  }
}

/** Values (f64) at the ranks r in [rlo, rhi) (global, ascending) of the len keys at p
 *  whose global ranks start at base, into out[r]; sorts the keys first when sort is set. */
function pickRanks(p: usize, len: i32, sort: bool, base: i32, ranksPtr: usize, rlo: i32, rhi: i32, outPtr: usize): void {
  if (sort) insertionSortKeys(p, len);
  for (let r = rlo; r < rhi; r++) {
    const local = load<i32>(ranksPtr + (<usize>r << 2)) - base;
    store<f64>(outPtr + (<usize>r << 3), reinterpret<f64>(bitsOf(load<u64>(p + (<usize>local << 3)))));
  }
}

/** In-place keys (keyOf, -0 below +0) of len f64 at p. */
function keysInPlace(p: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const q = p + (<usize>i << 3);
    store<u64>(q, keyOf(load<u64>(q)));
  }
}

/** Turns the nb bucket counts at h into exclusive starts and marks the buckets that
 *  hold the ranks r in [rlo, rhi) (global; local rank = rank - base) by setting the top
 *  bit of their start; starts[r] receives the start of rank r's bucket. */
function markRankBuckets(h: usize, nb: i32, base: i32, ranksPtr: usize, rlo: i32, rhi: i32, startsPtr: usize): void {
  exclusivePrefix(h, nb);
  for (let r = rlo; r < rhi; r++) {
    const local = <u32>(load<i32>(ranksPtr + (<usize>r << 2)) - base);
    // binary search the last bucket whose start <= local
    let lo: i32 = 0, hi: i32 = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((load<u32>(h + (<usize>mid << 2)) & 0x7fffffff) <= local) lo = mid; else hi = mid - 1;
    }
    const q = h + (<usize>lo << 2);
    const st = load<u32>(q);
    store<u32>(startsPtr + (<usize>r << 2), st & 0x7fffffff);
    store<u32>(q, st | 0x80000000);
  }
}

/** After a gather (which moved each marked bucket's cursor to its end): the first
 *  bucket at or after b marked by markRankBuckets (one exists while ranks remain), whose
 *  start, end and first rank not in it (r2, from r) go to SEL_SPAN (i32 x 3). Returns
 *  the bucket after it. */
function nextNeeded(h: usize, b: i32, base: i32, ranksPtr: usize, r: i32, rhi: i32, startsPtr: usize): i32 {
  while ((load<u32>(h + (<usize>b << 2)) & 0x80000000) == 0) b++;
  const end = <i32>(load<u32>(h + (<usize>b << 2)) & 0x7fffffff);
  let r2 = r;
  while (r2 < rhi && load<i32>(ranksPtr + (<usize>r2 << 2)) - base < end) r2++;
  store<i32>(SEL_SPAN, load<i32>(startsPtr + (<usize>r << 2)));
  store<i32>(SEL_SPAN, end, 4);
  store<i32>(SEL_SPAN, r2, 8);
  return b + 1;
}

/** Values at ranks [rlo, rhi) of the len values (f64, no NaN) at buf[s ..), global ranks
 *  from base, whose minimum and maximum are lo and hi: counted into equal-width value
 *  buckets over [lo, hi] (selectValueGather does the rest). other: same-size buffer for
 *  the gather; hist: counters (SEL_KEY_LEVELS + SEL_VALUE_LEVELS levels of SEL_BUCKETS u32). */
function selectValueSeg(buf: usize, other: usize, s: i32, len: i32, lo: f64, hi: f64, base: i32,
  ranksPtr: usize, rlo: i32, rhi: i32, outPtr: usize, histPtr: usize, depth: i32, startsPtr: usize): void {
  const p = buf + (<usize>s << 3);
  // all values equal (ties, constants): every rank has that value, unless they are zeros,
  // whose signs the keys tell apart
  if (lo == hi && lo != 0) {
    for (let r = rlo; r < rhi; r++) store<f64>(outPtr + (<usize>r << 3), lo);
    return;
  }
  const nb = valueBucketCount(len);
  const scale = <f64>nb / (hi - lo);
  if (len <= SEL_SMALL || depth >= SEL_VALUE_LEVELS || !(scale > 0 && scale < Infinity)) {
    // small: sort; deep, infinite or denormal-narrow range: the key select, bounded depth
    keysInPlace(p, len);
    if (len <= SEL_SMALL) pickRanks(p, len, true, base, ranksPtr, rlo, rhi, outPtr);
    else selectSeg(buf, other, s, len, 48, base, ranksPtr, rlo, rhi, outPtr, histPtr, 0, startsPtr);
    return;
  }
  const h = valueHist(histPtr, depth);
  memory.fill(h, 0, <usize>(nb + 2) << 2);
  bucketPass(p, len, h, lo, scale, nb, 0);
  selectValueGather(buf, other, s, len, lo, scale, nb, base, ranksPtr, rlo, rhi, outPtr, histPtr, depth, startsPtr);
}

/** Value buckets for a segment of len values: about one per 8 values, 64 to SEL_BUCKETS - 2. */
function valueBucketCount(len: i32): i32 {
  return min<i32>(SEL_BUCKETS - 2, max<i32>(SEL_MIN_BUCKETS, len >> 3));
}

/** With the value buckets of buf[s .. s + len) counted at value level depth (lo, scale,
 *  nb as in valueBuckets), gathers the values of the buckets that hold ranks [rlo, rhi)
 *  to other at their bucket-sorted positions and resolves each such bucket: sorted when
 *  small, else bucketed again over its own range (selectValueSeg). */
function selectValueGather(buf: usize, other: usize, s: i32, len: i32, lo: f64, scale: f64, nb: i32, base: i32,
  ranksPtr: usize, rlo: i32, rhi: i32, outPtr: usize, histPtr: usize, depth: i32, startsPtr: usize): void {
  const p = buf + (<usize>s << 3);
  const h = valueHist(histPtr, depth);
  markRankBuckets(h, nb + 2, base, ranksPtr, rlo, rhi, startsPtr);
  // branch free (a value's bucket is unpredictable): every value is stored, to SEL_DUMMY
  // when its bucket is not needed, and a needed bucket's cursor moves by its flag bit
  bucketPass(p, len, h, lo, scale, nb, other + (<usize>s << 3));
  // each needed bucket (its cursor now at its end), with its own range
  let r = rlo, b: i32 = 0;
  while (r < rhi) {
    b = nextNeeded(h, b, base, ranksPtr, r, rhi, startsPtr);
    const bStart = load<i32>(SEL_SPAN), bEnd = load<i32>(SEL_SPAN, 4), r2 = load<i32>(SEL_SPAN, 8);
    const cnt = bEnd - bStart;
    const cp = other + (<usize>(s + bStart) << 3);
    if (cnt <= SEL_SMALL) {
      keysInPlace(cp, cnt);
      pickRanks(cp, cnt, true, base + bStart, ranksPtr, r, r2, outPtr);
    } else {
      rangeOf(cp, cnt, SEL_RANGE);
      selectValueSeg(other, buf, s + bStart, cnt, load<f64>(SEL_RANGE), load<f64>(SEL_RANGE, 8), base + bStart,
        ranksPtr, r, r2, outPtr, histPtr, depth + 1, startsPtr);
    }
    r = r2;
  }
}

/** One value of a gather: stored at its bucket's cursor (q: the counter) when the bucket
 *  is needed (top bit), else to SEL_DUMMY; the cursor advances by the flag. */
// @ts-ignore: decorator
@inline
function gatherValue(x: f64, q: usize, dst: usize): void {
  const st = load<u32>(q);
  const need = st >> 31;
  store<f64>(select<usize>(dst + (<usize>(st & 0x7fffffff) << 3), SEL_DUMMY, need != 0), x);
  store<u32>(q, st + need);
}

// @ts-ignore: decorator
@inline
function bumpAt(h: usize, c: i32): void {
  const q = h + (<usize>c << 2);
  store<u32>(q, load<u32>(q) + 1);
}

/** Values at the given ranks (i32, ascending, distinct, each < count) of the count
 *  non-NaN values at x (from selectScan: their minimum lo and maximum hi) into out (f64);
 *  x is permuted. With nb > 0, selectScan counted them into nb + 2 buckets of the
 *  estimated range [elo, ehi]; that count is used when at most count / 16 values fell
 *  outside the estimate (its buckets are then at least as fine as the exact range's
 *  where the values are), else the values are counted again over [lo, hi].
 *  Scratch: other (count f64), hist ((SEL_KEY_LEVELS + SEL_VALUE_LEVELS) x 65536 u32),
 *  starts (nRanks u32). */
export function selectValues(xPtr: usize, count: i32, lo: f64, hi: f64, elo: f64, ehi: f64, nb: i32,
  ranksPtr: usize, nRanks: i32, outPtr: usize, otherPtr: usize, histPtr: usize, startsPtr: usize): void {
  if (count == 0 || nRanks == 0) return;
  const h = valueHist(histPtr, 0);
  if (nb > 0 && lo != hi && load<u32>(h) + load<u32>(h + (<usize>(nb + 1) << 2)) <= <u32>(count >> 4)) {
    selectValueGather(xPtr, otherPtr, 0, count, elo, <f64>nb / (ehi - elo), nb, 0, ranksPtr, 0, nRanks, outPtr, histPtr, 0, startsPtr);
  } else {
    selectValueSeg(xPtr, otherPtr, 0, count, lo, hi, 0, ranksPtr, 0, nRanks, outPtr, histPtr, 0, startsPtr);
  }
}

function insertionSortKeys(p: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const key = load<u64>(p + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0 && load<u64>(p + (<usize>j << 3)) > key) {
      store<u64>(p + (<usize>(j + 1) << 3), load<u64>(p + (<usize>j << 3)));
      j--;
    }
    store<u64>(p + (<usize>(j + 1) << 3), key);
  }
}

/** MSD radix select on keys: refines keys buf[s .. s + len) whose global ranks start at
 *  base; ranks (sorted i32, global) in [rlo, rhi) lie in this segment; results (f64) go
 *  to out[rank index]. other: a buffer of the same size for gathering; hist: levels of
 *  65536 u32 counters, `level` (0..3) the one used here. */
function selectSeg(buf: usize, other: usize, s: i32, len: i32, shift: i32, base: i32,
  ranksPtr: usize, rlo: i32, rhi: i32, outPtr: usize, histPtr: usize, level: i32, startsPtr: usize): void {
  if (len <= SEL_SMALL || shift < 0) {
    pickRanks(buf + (<usize>s << 3), len, len <= SEL_SMALL, base, ranksPtr, rlo, rhi, outPtr);
    return;
  }
  const h = histPtr + (<usize>level * <usize>SEL_BUCKETS << 2);
  const sh = <u64>shift;
  // all keys equal (ties, integer-coded data): every rank has the same value
  const k0 = load<u64>(buf + (<usize>s << 3));
  let allEqual = true;
  for (let i = 1; i < len; i++) if (load<u64>(buf + (<usize>(s + i) << 3)) != k0) { allEqual = false; break; }
  if (allEqual) {
    const v = reinterpret<f64>(bitsOf(k0));
    for (let r = rlo; r < rhi; r++) store<f64>(outPtr + (<usize>r << 3), v);
    return;
  }
  memory.fill(h, 0, <usize>SEL_BUCKETS << 2);
  for (let i = 0; i < len; i++) {
    bumpAt(h, <i32>((load<u64>(buf + (<usize>(s + i) << 3)) >> sh) & 0xffff));
  }
  // one non-empty bucket: nothing to gather, refine the next digit in place
  const first = <i32>(load<u64>(buf + (<usize>s << 3)) >> sh & 0xffff);
  if (<i32>load<u32>(h + (<usize>first << 2)) == len) {
    selectSeg(buf, other, s, len, shift - SEL_BITS, base, ranksPtr, rlo, rhi, outPtr, histPtr, level, startsPtr);
    return;
  }
  markRankBuckets(h, SEL_BUCKETS, base, ranksPtr, rlo, rhi, startsPtr);
  // gather the keys of needed buckets to other, at their sorted-bucket positions,
  // branch-free as in selectValueSeg
  for (let i = 0; i < len; i++) {
    const key = load<u64>(buf + (<usize>(s + i) << 3));
    const q = h + (<usize>(<i32>((key >> sh) & 0xffff)) << 2);
    const st = load<u32>(q);
    const need = st >> 31;
    store<u64>(select<usize>(other + (<usize>(s + <i32>(st & 0x7fffffff)) << 3), SEL_DUMMY, need != 0), key);
    store<u32>(q, st + need);
  }
  // recurse into each needed bucket (its cursor now points at its end)
  let r = rlo, b: i32 = 0;
  while (r < rhi) {
    b = nextNeeded(h, b, base, ranksPtr, r, rhi, startsPtr);
    const bStart = load<i32>(SEL_SPAN), bEnd = load<i32>(SEL_SPAN, 4), r2 = load<i32>(SEL_SPAN, 8);
    selectSeg(other, buf, s + bStart, bEnd - bStart, shift - SEL_BITS, base + bStart, ranksPtr, r, r2, outPtr, histPtr, level + 1, startsPtr);
    r = r2;
  }
}

