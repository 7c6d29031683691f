// Profile kernels: everything a numeric column contributes to a profile, from one copy of
// the column in linear memory. Columns are contiguous f64 (n values, NaN = missing);
// edges ascending f64 (m >= 2); counters u32; results f64. Kernels never allocate.

// ---------------------------------------------------------------------------------
// Sums in numpy's pairwise order (the same order as colStats in preprocess.ts, so the
// moments are bit for bit those of colStats): leaves of up to 128 values summed into 8
// accumulators, held here as four f64x2 lanes pairs (r0 r1) (r2 r3) (r4 r5) (r6 r7),
// combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)); NaN contributes +0.

// @ts-ignore: decorator
@inline
function nz(v: v128): v128 {
  return v128.and(v, f64x2.eq(v, v));
}

// @ts-ignore: decorator
@inline
function hsum4(a: v128, b: v128, c: v128, d: v128): f64 {
  return ((f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1)))
    + ((f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1)) + (f64x2.extract_lane(d, 0) + f64x2.extract_lane(d, 1)));
}

// running min / max lanes of pwSum
let vlo: v128 = f64x2.splat(Infinity);
let vhi: v128 = f64x2.splat(-Infinity);

/** Pairwise nansum of x[0 .. n); also folds x into vlo / vhi. */
function pwSum(p: usize, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f64>(p + (<usize>i << 3));
      res += v != v ? 0 : v;
      vlo = f64x2.pmin(vlo, f64x2.splat(v));
      vhi = f64x2.pmax(vhi, f64x2.splat(v));
    }
    return res;
  }
  if (n <= 128) {
    let v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    let a = nz(v0), b = nz(v1), c = nz(v2), d = nz(v3);
    // pmin(acc, v) = v < acc ? v : acc: NaN never replaces, the first seen stays per lane
    let l0 = f64x2.pmin(f64x2.pmin(vlo, v0), v1), l1 = f64x2.pmin(f64x2.pmin(vlo, v2), v3);
    let h0 = f64x2.pmax(f64x2.pmax(vhi, v0), v1), h1 = f64x2.pmax(f64x2.pmax(vhi, v2), v3);
    let i: i32 = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const q = p + (<usize>i << 3);
      v0 = v128.load(q); v1 = v128.load(q, 16); v2 = v128.load(q, 32); v3 = v128.load(q, 48);
      a = f64x2.add(a, nz(v0));
      b = f64x2.add(b, nz(v1));
      c = f64x2.add(c, nz(v2));
      d = f64x2.add(d, nz(v3));
      l0 = f64x2.pmin(l0, v0); l1 = f64x2.pmin(l1, v2); l0 = f64x2.pmin(l0, v1); l1 = f64x2.pmin(l1, v3);
      h0 = f64x2.pmax(h0, v0); h1 = f64x2.pmax(h1, v2); h0 = f64x2.pmax(h0, v1); h1 = f64x2.pmax(h1, v3);
    }
    let res = hsum4(a, b, c, d);
    // lanes are combined by value; a zero extreme is fixed by the caller
    vlo = f64x2.pmin(l0, l1);
    vhi = f64x2.pmax(h0, h1);
    for (; i < n; i++) {
      const v = load<f64>(p + (<usize>i << 3));
      res += v != v ? 0 : v;
      vlo = f64x2.pmin(vlo, f64x2.splat(v));
      vhi = f64x2.pmax(vhi, f64x2.splat(v));
    }
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pwSum(p, n2) + pwSum(p + (<usize>n2 << 3), n - n2);
}

// second result of pwDev
let devSq: f64 = 0;

/** Adds x[i .. n) one by one to the running nansums s1 of (x - m) (returned) and s2 of
 *  (x - m)^2 (left in devSq). */
// @ts-ignore: decorator
@inline
function devTail(p: usize, i: i32, n: i32, m: f64, s1: f64, s2: f64): f64 {
  for (; i < n; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    const dv = v - m;
    s1 += v != v ? 0 : dv;
    s2 += v != v ? 0 : dv * dv;
  }
  devSq = s2;
  return s1;
}

/** Pairwise nansums of (x - m) (returned) and (x - m)^2 (in devSq) over x[0 .. n). */
function pwDev(p: usize, n: i32, m: f64): f64 {
  if (n < 8) return devTail(p, 0, n, m, 0, 0);
  if (n <= 128) {
    const vm = f64x2.splat(m);
    let v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    let d0 = v128.and(f64x2.sub(v0, vm), f64x2.eq(v0, v0)), d1 = v128.and(f64x2.sub(v1, vm), f64x2.eq(v1, v1));
    let d2 = v128.and(f64x2.sub(v2, vm), f64x2.eq(v2, v2)), d3 = v128.and(f64x2.sub(v3, vm), f64x2.eq(v3, v3));
    let a = d0, b = d1, c = d2, d = d3;
    let a2 = f64x2.mul(d0, d0), b2 = f64x2.mul(d1, d1), c2 = f64x2.mul(d2, d2), e2 = f64x2.mul(d3, d3);
    let i: i32 = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const q = p + (<usize>i << 3);
      v0 = v128.load(q); v1 = v128.load(q, 16); v2 = v128.load(q, 32); v3 = v128.load(q, 48);
      d0 = v128.and(f64x2.sub(v0, vm), f64x2.eq(v0, v0)); d1 = v128.and(f64x2.sub(v1, vm), f64x2.eq(v1, v1));
      d2 = v128.and(f64x2.sub(v2, vm), f64x2.eq(v2, v2)); d3 = v128.and(f64x2.sub(v3, vm), f64x2.eq(v3, v3));
      a = f64x2.add(a, d0); b = f64x2.add(b, d1); c = f64x2.add(c, d2); d = f64x2.add(d, d3);
      a2 = f64x2.add(a2, f64x2.mul(d0, d0)); b2 = f64x2.add(b2, f64x2.mul(d1, d1));
      c2 = f64x2.add(c2, f64x2.mul(d2, d2)); e2 = f64x2.add(e2, f64x2.mul(d3, d3));
    }
    return devTail(p, i, n, m, hsum4(a, b, c, d), hsum4(a2, b2, c2, e2));
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  const l1 = pwDev(p, n2, m);
  const l2 = devSq;
  const r1 = pwDev(p + (<usize>n2 << 3), n - n2, m);
  devSq = l2 + devSq;
  return l1 + r1;
}

// ---------------------------------------------------------------------------------
// Min / max as a sequential scan leaves them: `v < lo` keeps the first seen among equal
// values, which only matters for -0 vs +0. SIMD keeps it per lane; lanes are combined
// by value and an extreme equal to zero is then fixed by finding the first zero.

/** Slot of one value (NaN excluded) by binary search: p = number of edges <= x, with x
 *  equal to the last edge in the last (closed) bin. Slots: 0 below, b + 1 bin b, m above. */
// @ts-ignore: decorator
@inline
function searchSlot(x: f64, edgesPtr: usize, m: i32, eLast: f64): i32 {
  let lo: i32 = 0, hi: i32 = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(edgesPtr + (<usize>mid << 3)) <= x) lo = mid + 1; else hi = mid;
  }
  return select<i32>(m - 1, lo, x == eLast);
}

const HASH_BITS: i64 = 6;
const HASH_SIZE: i32 = 64;

/** One numeric column's batch contribution to a profile.
 *  In: x (n f64, NaN = missing); edges (m f64, strictly ascending, m >= 2, followed by a
 *  readable (m + 1)-th f64); lut (u16, lutSize + 1 entries, see src/wasm/profile-kernels.ts:
 *  entry c + 1 is the number of edges whose cell lies before cell c, where a value's cell is
 *  min(floor((x - e0) * lutSize / (e_last - e0)), lutSize - 1), and at most one edge other
 *  than the last shares a cell; entry 0 is 0), lutSize = 0 to search every value;
 *  scratch (4 * (m + 2) u32, then 64 f64, 128 u32, 64 i32); distinctCap in [0, 32], 0 skips value counting.
 *  Out (f64): out[0] non-NaN count, [1] NaN count, [2] ±Infinity count, [3] min, [4] max
 *  (first seen among equal extremes; ±Infinity when count = 0), [5] mean and [6] population
 *  variance exactly as colStats computes them (NaN when count = 0), [7] number k of distinct
 *  values (-1: more than distinctCap, or not counted); table (f64): values [0 .. k), counts
 *  [distinctCap .. distinctCap + k), in order of first occurrence (== compares, so -0 and
 *  +0 are one value, stored as the first seen); slots (f64, m + 1): slot 0 = below
 *  edges[0], slot b + 1 = bin b, slot m = above edges[m-1]. */
export function profileNumeric(xPtr: usize, n: i32, edgesPtr: usize, m: i32, lutPtr: usize, lutSize: i32, scratchPtr: usize,
  tablePtr: usize, distinctCap: i32, outPtr: usize, slotsPtr: usize): void {
  const w = m + 2; // slots 0 .. m, m + 1 = NaN
  const countsPtr = scratchPtr;
  const countWords = 4 * w; // an even count: the keys after them stay 8-byte aligned
  const keysPtr = scratchPtr + (<usize>countWords << 2);
  const hcntPtr = keysPtr + (<usize>HASH_SIZE << 3);
  const orderPtr = hcntPtr + (<usize>(2 * HASH_SIZE) << 2);
  memory.fill(countsPtr, 0, <usize>countWords << 2);
  const e0 = load<f64>(edgesPtr);
  const eLast = load<f64>(edgesPtr + (<usize>(m - 1) << 3));
  let lo: f64 = Infinity, hi: f64 = -Infinity;
  let k: i32 = -1;
  let i: i32 = 0;

  // pass 1a: distinct values in a 64-slot open-addressing table (hash of the bits of
  // v + 0, so -0 and +0 share a slot), two counter sets for even and odd rows
  if (distinctCap > 0) {
    for (let h = 0; h < HASH_SIZE; h++) store<f64>(keysPtr + (<usize>h << 3), NaN);
    memory.fill(hcntPtr, 0, <usize>(2 * HASH_SIZE) << 2);
    k = 0;
    for (i = 0; i < n; i++) {
      const v = load<f64>(xPtr + (<usize>i << 3));
      let h = <i32>((<u64>reinterpret<i64>(v + 0.0) * 0x9e3779b97f4a7c15) >> (64 - HASH_BITS));
      if (load<f64>(keysPtr + (<usize>h << 3)) != v) {
        if (v != v) continue;
        // probe: an empty slot (NaN key) or the value
        let key = load<f64>(keysPtr + (<usize>h << 3));
        while (key == key && key != v) { h = (h + 1) & (HASH_SIZE - 1); key = load<f64>(keysPtr + (<usize>h << 3)); }
        if (key != key) {
          if (k == distinctCap) { k = -1; break; }
          store<f64>(keysPtr + (<usize>h << 3), v);
          store<i32>(orderPtr + (<usize>k << 2), h);
          k++;
        }
      }
      const c = hcntPtr + (<usize>((i & 1) * HASH_SIZE + h) << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
    if (k >= 0) {
      const cntOut = tablePtr + (<usize>distinctCap << 3);
      for (let j = 0; j < k; j++) {
        const h = load<i32>(orderPtr + (<usize>j << 2));
        const v = load<f64>(keysPtr + (<usize>h << 3));
        const c = load<u32>(hcntPtr + (<usize>h << 2)) + load<u32>(hcntPtr + (<usize>(HASH_SIZE + h) << 2));
        store<f64>(tablePtr + (<usize>j << 3), v);
        store<f64>(cntOut + (<usize>j << 3), <f64>c);
        lo = select<f64>(v, lo, v < lo);
        hi = select<f64>(v, hi, v > hi);
        const sl = countsPtr + (<usize>searchSlot(v, edgesPtr, m, eLast) << 2);
        store<u32>(sl, load<u32>(sl) + c);
      }
    }
  }

  // pass 1b: histogram of every value, four counter sets (rows i & 3) so that equal
  // neighbours do not wait on each other's increments
  if (k < 0) {
    if (lutSize > 0) {
      const scale: f64 = <f64>lutSize / (eLast - e0);
      const top = <f64>(lutSize - 1);
      // cells of two values at a time (SIMD), then each value's slot
      const ve0 = f64x2.splat(e0), vsc = f64x2.splat(scale), vtop = f64x2.splat(top), vneg = f64x2.splat(-1.0), vzero = f64x2.splat(0.0);
      const lut1 = lutPtr + 2; // entry c + 1
      for (i = 0; i + 2 <= n; i += 2) {
        const v = v128.load(xPtr + (<usize>i << 3));
        let t = f64x2.mul(f64x2.sub(v, ve0), vsc);
        t = v128.bitselect(t, vneg, f64x2.ge(t, vzero)); // x < e0 and NaN: -1
        t = v128.bitselect(vtop, t, f64x2.gt(t, vtop));
        const c = i32x4.trunc_sat_f64x2_s_zero(t);
        const x0 = f64x2.extract_lane(v, 0), x1 = f64x2.extract_lane(v, 1);
        let p0 = <i32>load<u16>(lut1 + (<usize>i32x4.extract_lane(c, 0) << 1));
        let p1 = <i32>load<u16>(lut1 + (<usize>i32x4.extract_lane(c, 1) << 1));
        p0 += <i32>(load<f64>(edgesPtr + (<usize>p0 << 3)) <= x0);
        p1 += <i32>(load<f64>(edgesPtr + (<usize>p1 << 3)) <= x1);
        p0 = select<i32>(m - 1, p0, x0 == eLast);
        p1 = select<i32>(m - 1, p1, x1 == eLast);
        p0 = select<i32>(m, p0, x0 > eLast);
        p1 = select<i32>(m, p1, x1 > eLast);
        p0 = select<i32>(m + 1, p0, x0 != x0);
        p1 = select<i32>(m + 1, p1, x1 != x1);
        const base = countsPtr + (<usize>((i & 2) * w) << 2);
        const s0 = base + (<usize>p0 << 2), s1 = base + (<usize>(w + p1) << 2);
        store<u32>(s0, load<u32>(s0) + 1);
        store<u32>(s1, load<u32>(s1) + 1);
      }
      for (; i < n; i++) {
        const x = load<f64>(xPtr + (<usize>i << 3));
        let t = (x - e0) * scale;
        t = select<f64>(t, -1.0, t >= 0.0);
        t = select<f64>(top, t, t > top);
        let p = <i32>load<u16>(lutPtr + (<usize>(<i32>t + 1) << 1));
        p += <i32>(load<f64>(edgesPtr + (<usize>p << 3)) <= x);
        p = select<i32>(m - 1, p, x == eLast);
        p = select<i32>(m, p, x > eLast);
        p = select<i32>(m + 1, p, x != x);
        const sl = countsPtr + (<usize>((i & 3) * w + p) << 2);
        store<u32>(sl, load<u32>(sl) + 1);
      }
    } else {
      for (i = 0; i < n; i++) {
        const x = load<f64>(xPtr + (<usize>i << 3));
        const p = x != x ? m + 1 : searchSlot(x, edgesPtr, m, eLast);
        const sl = countsPtr + (<usize>((i & 3) * w + p) << 2);
        store<u32>(sl, load<u32>(sl) + 1);
      }
    }
  }
  let cnt: i32 = 0;
  for (let sl = 0; sl <= m; sl++) {
    let c: u32 = 0;
    for (let s = 0; s < 4; s++) c += load<u32>(countsPtr + (<usize>(s * w + sl) << 2));
    store<f64>(slotsPtr + (<usize>sl << 3), <f64>c);
    cnt += <i32>c;
  }
  const fc = <f64>cnt;

  // pass 2: sum (and, when the histogram pass ran, min / max)
  const wantMinMax = k < 0;
  vlo = f64x2.splat(Infinity);
  vhi = f64x2.splat(-Infinity);
  let total: f64 = 0;
  for (let s: i32 = 0; s < n; s += 8192) total += pwSum(xPtr + (<usize>s << 3), min(8192, n - s));
  if (wantMinMax) {
    lo = min<f64>(f64x2.extract_lane(vlo, 0), f64x2.extract_lane(vlo, 1));
    hi = max<f64>(f64x2.extract_lane(vhi, 0), f64x2.extract_lane(vhi, 1));
    if (lo == 0 || hi == 0) {
      // the first zero seen decides between -0 and +0
      for (i = 0; i < n; i++) {
        const v = load<f64>(xPtr + (<usize>i << 3));
        if (v == 0) { if (lo == 0) lo = v; if (hi == 0) hi = v; break; }
      }
    }
  }
  const mean = cnt > 0 ? total / fc : NaN;

  // pass 3: deviations around the mean
  let corr: f64 = 0, ss: f64 = 0;
  for (let s: i32 = 0; s < n; s += 8192) {
    corr += pwDev(xPtr + (<usize>s << 3), min(8192, n - s), mean);
    ss += devSq;
  }
  const variance = cnt > 0 ? (ss - corr * corr / fc) / fc : NaN;

  let ninf: i32 = 0;
  if (lo == -Infinity || hi == Infinity) {
    for (i = 0; i < n; i++) if (abs<f64>(load<f64>(xPtr + (<usize>i << 3))) == Infinity) ninf++;
  }
  store<f64>(outPtr, fc);
  store<f64>(outPtr, <f64>(n - cnt), 8);
  store<f64>(outPtr, <f64>ninf, 16);
  store<f64>(outPtr, lo, 24);
  store<f64>(outPtr, hi, 32);
  store<f64>(outPtr, mean, 40);
  store<f64>(outPtr, variance, 48);
  store<f64>(outPtr, <f64>k, 56);
}

// ---------------------------------------------------------------------------------
// Reservoir step (see src/monitoring/reservoir.ts): with splitmix32 outputs z, each draw
// below r is floor(z * r / 2^32) (multiply-shift), slots 0 .. m-1 of vals become a
// uniform m-subset of its `cap` slots (partial Fisher–Yates), then Floyd's algorithm
// picks a uniform m-subset of src (nb f64) into them, in that order. marks: nb bytes of
// scratch. Returns the advanced PRNG state.

// @ts-ignore: decorator
@inline
function below(st: u32, r: i32): i32 {
  let z = st;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  z = z ^ (z >>> 16);
  return <i32>((<u64>z * <u64>r) >> 32);
}

export function reservoirReplace(valsPtr: usize, cap: i32, srcPtr: usize, nb: i32, m: i32, state: u32, marksPtr: usize): u32 {
  let st = state;
  for (let s: i32 = 0; s < m; s++) {
    st += 0x9e3779b9;
    const j = s + below(st, cap - s);
    const a = valsPtr + (<usize>s << 3), b = valsPtr + (<usize>j << 3);
    const t = load<f64>(a);
    store<f64>(a, load<f64>(b));
    store<f64>(b, t);
  }
  memory.fill(marksPtr, 0, <usize>nb);
  for (let j = nb - m, s: i32 = 0; j < nb; j++, s++) {
    st += 0x9e3779b9;
    let t = below(st, j + 1);
    if (load<u8>(marksPtr + <usize>t) != 0) t = j;
    store<u8>(marksPtr + <usize>t, 1);
    store<f64>(valsPtr + (<usize>s << 3), load<f64>(srcPtr + (<usize>t << 3)));
  }
  return st;
}
