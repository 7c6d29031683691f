// Fused scoring plan: imputation, scaling, one-hot lookup and the linear model in one
// pass over row blocks, so the one-hot matrix is never built. Layout of the plan:
// nTerms records of 8 f64 each (64 bytes); ints are stored as f64.
//   kind 0 numeric     [0, xPtr, sub, div, nanValue, wPtr, -, -]
//        f = isNaN(x) ? nanValue : (x - sub) / div;   logit_c += w[c] * f
//   kind 1 cat-sorted  [1, xPtr, nCats, catsPtr, nanIndex, wPtr, unknownIsError, -]
//        category = binary search of x in sorted f64 cats; NaN -> nanIndex
//   kind 2 cat-codes   [2, codesPtr(i32), nCats, -, -, wPtr, unknownIsError, -]
//        category = codes[i] (already mapped by the host; -1 = unknown)
//   kind 3 cat-lut     [3, xPtr, lutSize, lutPtr(i32), nanIndex, wPtr, unknownIsError, lutMin]
//        category = lut[x - lutMin] when x - lutMin is an integer in [0, lutSize)
//   For categorical terms w is nCats x k (row-major); a category with all-zero weights
//   is a dropped column; an unknown category (index -1) contributes nothing, or stops
//   with E_UNKNOWN_CATEGORY when unknownIsError.
// out: n x k logits, row-major, starting from intercept (k f64).
// err: two i32 (row, term) written when the status is not OK.
import { OK, E_NONFINITE, E_UNKNOWN_CATEGORY, E_BAD_PLAN } from './status';
import { bsearch } from './preprocess';

const BLOCK: i32 = 256;

// @ts-ignore: decorator
@inline
function field(t: usize, i: i32): f64 {
  return load<f64>(t + (<usize>i << 3));
}

export function scorePlan(
  termsPtr: usize, nTerms: i32, nRows: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize,
): i32 {
  for (let r0: i32 = 0; r0 < nRows; r0 += BLOCK) {
    const r1: i32 = min(r0 + BLOCK, nRows);
    // start from the intercept
    for (let i = r0; i < r1; i++) {
      const o = outPtr + (<usize>i * <usize>k << 3);
      for (let c = 0; c < k; c++) store<f64>(o + (<usize>c << 3), load<f64>(interceptPtr + (<usize>c << 3)));
    }
    for (let t = 0; t < nTerms; t++) {
      const tp = termsPtr + (<usize>t << 6);
      const kind = <i32>field(tp, 0);
      const xPtr = <usize>field(tp, 1);
      const wPtr = <usize>field(tp, 5);
      if (kind == 0) {
        const sub = field(tp, 2);
        const div = field(tp, 3);
        const nanValue = field(tp, 4);
        if (k == 1) {
          const w = load<f64>(wPtr);
          const vs = f64x2.splat(sub);
          const vd = f64x2.splat(div);
          const vn = f64x2.splat(nanValue);
          const vw = f64x2.splat(w);
          let i = r0;
          for (; i + 2 <= r1; i += 2) {
            const x = v128.load(xPtr + (<usize>i << 3));
            const f = v128.bitselect(vn, f64x2.div(f64x2.sub(x, vs), vd), f64x2.ne(x, x));
            const o = outPtr + (<usize>i << 3);
            v128.store(o, f64x2.add(v128.load(o), f64x2.mul(vw, f)));
          }
          for (; i < r1; i++) {
            const x = load<f64>(xPtr + (<usize>i << 3));
            const f = x != x ? nanValue : (x - sub) / div;
            const o = outPtr + (<usize>i << 3);
            store<f64>(o, load<f64>(o) + w * f);
          }
        } else {
          for (let i = r0; i < r1; i++) {
            const x = load<f64>(xPtr + (<usize>i << 3));
            const f = x != x ? nanValue : (x - sub) / div;
            const o = outPtr + (<usize>i * <usize>k << 3);
            for (let c = 0; c < k; c++) {
              const oc = o + (<usize>c << 3);
              store<f64>(oc, load<f64>(oc) + load<f64>(wPtr + (<usize>c << 3)) * f);
            }
          }
        }
      } else if (kind >= 1 && kind <= 3) {
        const nCats = <i32>field(tp, 2);
        const aux = <usize>field(tp, 3);
        const nanIndex = <i32>field(tp, 4);
        const unknownIsError = field(tp, 6) != 0;
        const lutMin = field(tp, 7);
        const rowW = <usize>k << 3;
        for (let i = r0; i < r1; i++) {
          let idx: i32 = -1;
          if (kind == 2) {
            idx = load<i32>(xPtr + (<usize>i << 2));
            if (idx >= nCats) idx = -1;
          } else {
            const x = load<f64>(xPtr + (<usize>i << 3));
            if (x != x) idx = nanIndex;
            else if (kind == 1) idx = bsearch(aux, nCats, x);
            else {
              const u = x - lutMin;
              if (u >= 0 && u < <f64>nCats && Math.floor(u) == u) idx = load<i32>(aux + (<usize><i32>u << 2));
            }
          }
          if (idx < 0) {
            if (unknownIsError) {
              store<i32>(errPtr, i);
              store<i32>(errPtr, t, 4);
              return E_UNKNOWN_CATEGORY;
            }
            continue;
          }
          const wRow = wPtr + <usize>idx * rowW;
          const o = outPtr + (<usize>i * <usize>k << 3);
          for (let c = 0; c < k; c++) {
            const oc = o + (<usize>c << 3);
            store<f64>(oc, load<f64>(oc) + load<f64>(wRow + (<usize>c << 3)));
          }
        }
      } else {
        store<i32>(errPtr, r0);
        store<i32>(errPtr, t, 4);
        return E_BAD_PLAN;
      }
    }
    // A NaN or infinite feature value shows up as a non-finite logit: report the row.
    const e = <usize>(r1 - r0) * <usize>k;
    const base = outPtr + (<usize>r0 * <usize>k << 3);
    for (let j: usize = 0; j < e; j++) {
      const z = load<f64>(base + (j << 3));
      if (z - z != 0) {
        store<i32>(errPtr, r0 + <i32>(j / <usize>k));
        store<i32>(errPtr, -1, 4);
        return E_NONFINITE;
      }
    }
  }
  return OK;
}
