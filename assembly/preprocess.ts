// Column kernels for fitting and transforming. Columns are contiguous f64 arrays
// (8-byte aligned); missing values are NaN. Matrices are row-major f64.

// numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), applied in blocks
// of 8192 values as numpy's buffered reduction does along a contiguous axis. Matching it
// makes column means and variances equal scikit-learn's bit for bit on column-ordered
// data (what pandas gives for frames read from files or built from columns).
// mode 0 sums x, mode 1 sums x - m, mode 2 sums (x - m)^2; NaN contributes 0 (nansum).
// @ts-ignore: decorator
@inline
function term(v: f64, mode: i32, m: f64): f64 {
  if (v != v) return 0;
  if (mode == 0) return v;
  const d = v - m;
  return mode == 1 ? d : d * d;
}

function pairwise(p: usize, n: i32, mode: i32, m: f64): f64 {
  if (n < 8) {
    let res: f64 = 0;
    for (let i = 0; i < n; i++) res += term(load<f64>(p + (<usize>i << 3)), mode, m);
    return res;
  }
  if (n <= 128) {
    let r0 = term(load<f64>(p), mode, m), r1 = term(load<f64>(p, 8), mode, m);
    let r2 = term(load<f64>(p, 16), mode, m), r3 = term(load<f64>(p, 24), mode, m);
    let r4 = term(load<f64>(p, 32), mode, m), r5 = term(load<f64>(p, 40), mode, m);
    let r6 = term(load<f64>(p, 48), mode, m), r7 = term(load<f64>(p, 56), mode, m);
    let i: i32 = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const q = p + (<usize>i << 3);
      r0 += term(load<f64>(q), mode, m); r1 += term(load<f64>(q, 8), mode, m);
      r2 += term(load<f64>(q, 16), mode, m); r3 += term(load<f64>(q, 24), mode, m);
      r4 += term(load<f64>(q, 32), mode, m); r5 += term(load<f64>(q, 40), mode, m);
      r6 += term(load<f64>(q, 48), mode, m); r7 += term(load<f64>(q, 56), mode, m);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += term(load<f64>(p + (<usize>i << 3)), mode, m);
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(p, n2, mode, m) + pairwise(p + (<usize>n2 << 3), n - n2, mode, m);
}

/** numpy.nansum-style sum (pairwise in 8192-value blocks) of term(x, mode, m). */
export function blockSum(xPtr: usize, n: i32, mode: i32, m: f64): f64 {
  let total: f64 = 0;
  for (let s: i32 = 0; s < n; s += 8192) total += pairwise(xPtr + (<usize>s << 3), min(8192, n - s), mode, m);
  return total;
}

/** NaN-ignoring mean and population variance (ddof = 0) of one column, as
 *  scikit-learn's `_incremental_mean_and_var` on a first batch: mean = nansum / count,
 *  var = (nansum((x - mean)^2) - nansum(x - mean)^2 / count) / count.
 *  Writes out[0] = non-NaN count, out[1] = mean, out[2] = variance. */
export function colStats(xPtr: usize, n: i32, outPtr: usize): void {
  let cnt: i32 = 0;
  for (let i = 0; i < n; i++) { const v = load<f64>(xPtr + (<usize>i << 3)); if (v == v) cnt++; }
  const mean = cnt > 0 ? blockSum(xPtr, n, 0, 0) / <f64>cnt : NaN;
  const corr = blockSum(xPtr, n, 1, mean);
  const ss = blockSum(xPtr, n, 2, mean);
  const variance = cnt > 0 ? (ss - corr * corr / <f64>cnt) / <f64>cnt : NaN;
  store<f64>(outPtr, <f64>cnt);
  store<f64>(outPtr, mean, 8);
  store<f64>(outPtr, variance, 16);
}

/** out[i] = isNaN(x[i]) ? fill : x[i]. `out` may alias `x`. */
export function fillMissing(xPtr: usize, n: i32, fill: f64, outPtr: usize): void {
  const vf = f64x2.splat(fill);
  let i: i32 = 0;
  for (; i + 2 <= n; i += 2) {
    const off = <usize>i << 3;
    const v = v128.load(xPtr + off);
    const isnan = f64x2.ne(v, v);
    v128.store(outPtr + off, v128.bitselect(vf, v, isnan));
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    const v = load<f64>(xPtr + off);
    store<f64>(outPtr + off, v != v ? fill : v);
  }
}

/** out[i] = (x[i] - sub) / div, in that order, as scikit-learn's StandardScaler does.
 *  NaN stays NaN. `out` may alias `x`. */
export function subDiv(xPtr: usize, n: i32, sub: f64, div: f64, outPtr: usize): void {
  const vs = f64x2.splat(sub);
  const vd = f64x2.splat(div);
  let i: i32 = 0;
  for (; i + 2 <= n; i += 2) {
    const off = <usize>i << 3;
    v128.store(outPtr + off, f64x2.div(f64x2.sub(v128.load(xPtr + off), vs), vd));
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    store<f64>(outPtr + off, (load<f64>(xPtr + off) - sub) / div);
  }
}

/** Writes column `x` (n values) into column `col` of the row-major matrix at outPtr
 *  with `stride` columns. */
export function scatterColumn(xPtr: usize, n: i32, outPtr: usize, stride: i32, col: i32): void {
  const step = <usize>stride << 3;
  let p = outPtr + (<usize>col << 3);
  for (let i = 0; i < n; i++) {
    store<f64>(p, load<f64>(xPtr + (<usize>i << 3)));
    p += step;
  }
}

/** Finds each value of the f64 column x in the sorted category list cats (nCats values,
 *  ascending, NaN allowed only as the last entry) and writes the index to codes (i32):
 *  the category's index, or -1 when the value is not a category. */
export function lookupSorted(xPtr: usize, n: i32, catsPtr: usize, nCats: i32, codesPtr: usize): void {
  const nanIdx: i32 = nCats > 0 && isNaN(load<f64>(catsPtr + (<usize>(nCats - 1) << 3))) ? nCats - 1 : -1;
  const nFinite: i32 = nanIdx >= 0 ? nCats - 1 : nCats;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    store<i32>(codesPtr + (<usize>i << 2), v != v ? nanIdx : bsearch(catsPtr, nFinite, v));
  }
}

// @ts-ignore: decorator
@inline
export function bsearch(catsPtr: usize, nCats: i32, v: f64): i32 {
  let lo: i32 = 0;
  let hi: i32 = nCats - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = load<f64>(catsPtr + (<usize>mid << 3));
    if (c < v) lo = mid + 1;
    else if (c > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** One-hot block: for each row i with code c = codes[i] (i32), sets
 *  out[i * stride + col + map[c]] = 1 where map (i32, nCodes entries) gives the output
 *  offset of each code or -1 for "no column" (dropped or ignored). Codes outside
 *  [0, nCodes) also write nothing. The block must be zeroed by the caller. */
export function oneHot(codesPtr: usize, n: i32, mapPtr: usize, nCodes: i32, outPtr: usize, stride: i32, col: i32): void {
  for (let i = 0; i < n; i++) {
    const c = load<i32>(codesPtr + (<usize>i << 2));
    if (c < 0 || c >= nCodes) continue;
    const m = load<i32>(mapPtr + (<usize>c << 2));
    if (m < 0) continue;
    store<f64>(outPtr + ((<usize>i * <usize>stride + <usize>col + <usize>m) << 3), 1.0);
  }
}

/** Index of the first non-finite value in x, or -1. */
export function firstNonFinite(xPtr: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    if (v - v != 0) return i; // NaN and ±Infinity give NaN
  }
  return -1;
}
