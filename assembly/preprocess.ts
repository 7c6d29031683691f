// Column kernels for fitting and transforming. Columns are contiguous f64 arrays
// (8-byte aligned); missing values are NaN. Matrices are row-major f64.

/** Two-pass NaN-ignoring mean and population variance (ddof = 0) of one column.
 *  Writes out[0] = non-NaN count, out[1] = mean, out[2] = variance.
 *  Summation order is sequential like numpy's pairwise sum for n < 8 only; the
 *  difference for larger n is ~1 ulp per 1e3 terms and covered by the parity tolerances. */
export function colStats(xPtr: usize, n: i32, outPtr: usize): void {
  let cnt: i32 = 0;
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    if (v == v) { sum += v; cnt++; }
  }
  const mean = cnt > 0 ? sum / <f64>cnt : NaN;
  // Second pass with the correction term of numpy/scikit-learn _incremental_mean_and_var.
  let ss: f64 = 0;
  let corr: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(xPtr + (<usize>i << 3));
    if (v == v) { const d = v - mean; ss += d * d; corr += d; }
  }
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
