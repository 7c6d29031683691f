// Fused scoring plan: imputation, scaling, one-hot lookup and the linear model in one
// pass over row blocks, so the one-hot matrix is never built. Layout of the plan:
// nTerms records of 8 f64 each (64 bytes); ints are stored as f64.
//   kind 0 numeric     [0, xPtr, sub, div, nanValue, wPtr, -, -]
//        f = isNaN(x) ? nanValue : (x - sub) / div;   logit_c += w[c] * f
//   kind 6 numeric of a derived column [6, xPtr, sub, div, nanValue, wPtr, yPtr, op]
//        as kind 0 with x replaced by x op y (op 0 div, 1 mul, 2 add, 3 sub), the declared
//        expression of a FunctionTransformer computed in the pass (no derived column)
//   kind 1 cat-sorted  [1, xPtr, nCats, catsPtr, nanIndex, wPtr, unknownIsError, -]
//        category = binary search of x in sorted f64 cats; NaN -> nanIndex
//   kind 2 cat-codes   [2, codesPtr(i32), nCats, wtabPtr, -, wPtr, unknownIsError, -]
//        category = codes[i] (already mapped by the host; -1 = unknown); wtabPtr (binary
//        model, unknown ignored, else 0): -0 then the nCats weights
//   kind 3 cat-lut     [3, xPtr, lutSize, lutPtr(i32), nanIndex, wPtr, unknownIsError, lutMin]
//        category = lut[x - lutMin] when x - lutMin is an integer in [0, lutSize)
//   kind 4 cat-wlut    [4, xPtr, lutSize, wlutPtr(f64), -, -, -, lutMin]   (k = 1, unknown ignored)
//        logit += wlut[x - lutMin] when x - lutMin is an integer in [0, lutSize);
//        else wlut[lutSize + 1] for NaN, wlut[lutSize] for other values. Cells without a
//        category hold -0, which leaves any logit unchanged (as skipping the term does).
//   kind 5 cat-compare [5, xPtr, nSlots (4 or 8), tabPtr(f64), -, -, -, -]    (k = 1, unknown ignored)
//        tab, every entry twice (one v128 each, used as a memory operand): 8 categories
//        (unused ones NaN, never equal), 8 weights negated, then -wNaN (+0 when NaN has no
//        category); logit −= the entry of the category equal to x, −wNaN for NaN, +0 (no
//        change) otherwise
//   For categorical terms w is nCats x k (row-major); a category with all-zero weights
//   is a dropped column; an unknown category (index -1) contributes nothing, or stops
//   with E_UNKNOWN_CATEGORY when unknownIsError.
// out: n x k logits, row-major, starting from intercept (k f64).
// err: two i32 (row, term) written when the status is not OK.
import { OK, E_NONFINITE, E_UNKNOWN_CATEGORY, E_BAD_PLAN } from './status';
import { bsearch } from './preprocess';
import { probaFromDecision } from './linear';
import { expNeg } from './math';

const BLOCK: i32 = 256;

// @ts-ignore: decorator
@inline
function field(t: usize, i: i32): f64 {
  return load<f64>(t + (<usize>i << 3));
}

/** x op y for a derived column (op as kind 6); op 4: x. */
// @ts-ignore: decorator
@inline
function ops(x: f64, y: f64, op: i32): f64 {
  if (op == 4) return x;
  if (op == 0) return x / y;
  if (op == 1) return x * y;
  if (op == 2) return x + y;
  return x - y;
}

// @ts-ignore: decorator
@inline
function opv(x: v128, y: v128, op: i32): v128 {
  if (op == 4) return x;
  if (op == 0) return f64x2.div(x, y);
  if (op == 1) return f64x2.mul(x, y);
  if (op == 2) return f64x2.add(x, y);
  return f64x2.sub(x, y);
}

/** One numeric term of a binary model over rows [r0, r1): logit += w·f(x op y). */
// @ts-ignore: decorator
@inline
function numericTerm(xPtr: usize, yPtr: usize, op: i32, sub: f64, div: f64, nanValue: f64, w: f64, r0: i32, r1: i32, outPtr: usize, careful: bool): void {
  // w·((x − sub)/div) is computed as (x − sub)·(w/div): one multiplication instead
  // of a division per value (the division dominated the term); the two differ by
  // at most a couple of ulps of the term, never by cancellation (sub is still
  // subtracted before scaling). A missing value contributes w·nanValue.
  const wd = w / div;
  const vs = f64x2.splat(sub);
  const vwd = f64x2.splat(wd);
  const vcn = f64x2.splat(w * nanValue);
  let i = r0;
  if (!isFinite(wd) || (wd == 0 && w != 0)) {
    // w/div overflows or underflows (extreme scales): divide per value as written
    const vd = f64x2.splat(div);
    const vw = f64x2.splat(w);
    for (; i < r1; i += 2) {
      const pair = i + 2 <= r1;
      const x = pair ? opv(v128.load(xPtr + (<usize>i << 3)), v128.load(yPtr + (<usize>i << 3)), op) : f64x2.splat(ops(load<f64>(xPtr + (<usize>i << 3)), load<f64>(yPtr + (<usize>i << 3)), op));
      const c = v128.bitselect(vcn, f64x2.mul(vw, f64x2.div(f64x2.sub(x, vs), vd)), f64x2.ne(x, x));
      const o = outPtr + (<usize>i << 3);
      if (pair) v128.store(o, f64x2.add(v128.load(o), c));
      else store<f64>(o, load<f64>(o) + f64x2.extract_lane(c, 0));
    }
  }
  for (; i + 2 <= r1; i += 2) {
    const x = opv(v128.load(xPtr + (<usize>i << 3)), v128.load(yPtr + (<usize>i << 3)), op);
    const o = outPtr + (<usize>i << 3);
    v128.store(o, f64x2.add(v128.load(o), pairTerm(x, vs, vwd, vcn, careful)));
  }
  if (i < r1) {
    const x = ops(load<f64>(xPtr + (<usize>i << 3)), load<f64>(yPtr + (<usize>i << 3)), op);
    const o = outPtr + (<usize>i << 3);
    store<f64>(o, load<f64>(o) + (careful && x != x ? w * nanValue : (x - sub) * wd));
  }
}

// Kind 5 (a binary model, at most 8 categories, unknown ignored) compares x with every
// category, two rows per step, and keeps the matching weight: no index arithmetic at all.
// Each comparison mask selects its weight with one AND and at most one mask is set, so the
// selections combine with OR. The table holds the weights negated and the pass subtracts:
// z − (−w) is exactly z + w, and an unmatched value gives +0, with z − (+0) exactly z (also
// for z = −0), so it leaves the logit as skipping the term would.

/** Minus the weight of the category equal to each lane of x (see above). */
// @ts-ignore: decorator
@inline
function pick(x: v128, tab: usize, wide: bool): v128 {
  let r = v128.and(f64x2.ne(x, x), v128.load(tab, 256));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 0)), v128.load(tab, 128)));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 16)), v128.load(tab, 144)));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 32)), v128.load(tab, 160)));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 48)), v128.load(tab, 176)));
  if (!wide) return r;
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 64)), v128.load(tab, 192)));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 80)), v128.load(tab, 208)));
  r = v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 96)), v128.load(tab, 224)));
  return v128.or(r, v128.and(f64x2.eq(x, v128.load(tab, 112)), v128.load(tab, 240)));
}

/**
 * One kind-5 term (record tp; `wide`: up to eight categories, else four) or, when `two`,
 * it and the next one (four categories each) over rows [r0, r1); constants at each call
 * site. The logit stays in a register between the two terms and they are applied in
 * order, so the result equals one pass per term. (Measured: two terms per pass beat one;
 * three or four per pass were slower than two.) An odd last row goes through the same
 * arithmetic on splatted lanes.
 */
// @ts-ignore: decorator
@inline
function chainPass(tp: usize, two: bool, wide: bool, r0: i32, r1: i32, outPtr: usize): void {
  const t1 = two ? tp + 64 : tp;
  const x0 = <usize>field(tp, 1), x1 = <usize>field(t1, 1);
  const b0 = <usize>field(tp, 3), b1 = <usize>field(t1, 3);
  let i = r0;
  for (; i + 2 <= r1; i += 2) {
    const at = <usize>i << 3;
    let z = f64x2.sub(v128.load(outPtr + at), pick(v128.load(x0 + at), b0, wide));
    if (two) z = f64x2.sub(z, pick(v128.load(x1 + at), b1, false));
    v128.store(outPtr + at, z);
  }
  if (i < r1) {
    const at = <usize>i << 3;
    let z = f64x2.sub(f64x2.splat(load<f64>(outPtr + at)), pick(f64x2.splat(load<f64>(x0 + at)), b0, wide));
    if (two) z = f64x2.sub(z, pick(f64x2.splat(load<f64>(x1 + at)), b1, false));
    store<f64>(outPtr + at, f64x2.extract_lane(z, 0));
  }
}

/** Whether term record t is kind 5 with at most four categories. */
// @ts-ignore: decorator
@inline
function narrowChain(t: usize): bool {
  return <i32>field(t, 0) == 5 && field(t, 2) <= 4;
}

/** A plain numeric term (kind 0) of a binary model whose w/div neither overflows nor underflows. */
// @ts-ignore: decorator
@inline
function productSafe(tp: usize): bool {
  if (field(tp, 0) != 0) return false;
  const w = load<f64>(<usize>field(tp, 5));
  const wd = w / field(tp, 3);
  return isFinite(wd) && !(wd == 0 && w != 0);
}

/**
 * The contribution of a numeric term to a row pair: (x − sub)·(w/div), and when `careful`
 * (a constant at each call site) w·nanValue for a missing x. The fast pass leaves a missing
 * x as a NaN logit; fixRows then scores those rows again carefully (see scoreRows), so the
 * per-value NaN test is paid only by rows that have a missing value.
 */
// @ts-ignore: decorator
@inline
function pairTerm(x: v128, vs: v128, vwd: v128, vcn: v128, careful: bool): v128 {
  const c = f64x2.mul(f64x2.sub(x, vs), vwd);
  return careful ? v128.bitselect(vcn, c, f64x2.ne(x, x)) : c;
}

/** The parameters of plain numeric term record t: x pointer, sub, w/div, w·nanValue. */
// @ts-ignore: decorator
@inline
function termX(t: usize): usize { return <usize>field(t, 1); }
// @ts-ignore: decorator
@inline
function termSub(t: usize): v128 { return f64x2.splat(field(t, 2)); }
// @ts-ignore: decorator
@inline
function termWd(t: usize): v128 { return f64x2.splat(load<f64>(<usize>field(t, 5)) / field(t, 3)); }
// @ts-ignore: decorator
@inline
function termNaN(t: usize): v128 { return f64x2.splat(load<f64>(<usize>field(t, 5)) * field(t, 4)); }

/**
 * g (2 or 4, a constant at each call site) consecutive plain numeric terms, records tp,
 * tp + 64, …, over rows [r0, r1): the logit stays in a register between them. The odd
 * last row goes through the same arithmetic on splatted lanes.
 */
// @ts-ignore: decorator
@inline
function numericGroup(tp: usize, g: i32, r0: i32, r1: i32, outPtr: usize, careful: bool, fresh: bool, b: v128): void {
  const four = g == 4;
  const t1 = tp + 64, t2 = four ? tp + 128 : tp, t3 = four ? tp + 192 : tp;
  const x0 = termX(tp), x1 = termX(t1), x2 = termX(t2), x3 = termX(t3);
  const s0 = termSub(tp), s1 = termSub(t1), s2 = termSub(t2), s3 = termSub(t3);
  const d0 = termWd(tp), d1 = termWd(t1), d2 = termWd(t2), d3 = termWd(t3);
  const n0 = termNaN(tp), n1 = termNaN(t1), n2 = termNaN(t2), n3 = termNaN(t3);
  let i = r0;
  for (; i + 2 <= r1; i += 2) {
    const at = <usize>i << 3;
    let z = fresh ? b : v128.load(outPtr + at);
    z = f64x2.add(z, pairTerm(v128.load(x0 + at), s0, d0, n0, careful));
    z = f64x2.add(z, pairTerm(v128.load(x1 + at), s1, d1, n1, careful));
    if (four) {
      z = f64x2.add(z, pairTerm(v128.load(x2 + at), s2, d2, n2, careful));
      z = f64x2.add(z, pairTerm(v128.load(x3 + at), s3, d3, n3, careful));
    }
    v128.store(outPtr + at, z);
  }
  if (i < r1) {
    const at = <usize>i << 3;
    let z = fresh ? b : f64x2.splat(load<f64>(outPtr + at));
    z = f64x2.add(z, pairTerm(f64x2.splat(load<f64>(x0 + at)), s0, d0, n0, careful));
    z = f64x2.add(z, pairTerm(f64x2.splat(load<f64>(x1 + at)), s1, d1, n1, careful));
    if (four) {
      z = f64x2.add(z, pairTerm(f64x2.splat(load<f64>(x2 + at)), s2, d2, n2, careful));
      z = f64x2.add(z, pairTerm(f64x2.splat(load<f64>(x3 + at)), s3, d3, n3, careful));
    }
    store<f64>(outPtr + at, f64x2.extract_lane(z, 0));
  }
}

/**
 * Logits of rows [r0, r1) into out (row-major, k per row); status as scorePlan, except that
 * non-finite logits are left for scoreRows to find. `careful` (a constant at each call
 * site) is whether numeric terms of binary models test each value for NaN (see pairTerm).
 */
// @ts-ignore: decorator
@inline
function scoreBlock(termsPtr: usize, nTerms: i32, r0: i32, r1: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize, careful: bool): i32 {
  // start from the intercept; a binary model that begins with four plain numeric terms
  // starts their pass from it (no separate pass storing it)
  const zero = f64x2.splat(0);
  let t0 = 0;
  if (k == 1) {
    const b = f64x2.splat(load<f64>(interceptPtr));
    if (nTerms >= 4 && productSafe(termsPtr) && productSafe(termsPtr + 64) && productSafe(termsPtr + 128) && productSafe(termsPtr + 192)) {
      numericGroup(termsPtr, 4, r0, r1, outPtr, careful, true, b);
      t0 = 4;
    } else {
      let i = r0;
      for (; i + 2 <= r1; i += 2) v128.store(outPtr + (<usize>i << 3), b);
      if (i < r1) store<f64>(outPtr + (<usize>i << 3), load<f64>(interceptPtr));
    }
  } else {
    for (let i = r0; i < r1; i++) {
      const o = outPtr + (<usize>i * <usize>k << 3);
      for (let c = 0; c < k; c++) store<f64>(o + (<usize>c << 3), load<f64>(interceptPtr + (<usize>c << 3)));
    }
  }
  for (let t = t0; t < nTerms; t++) {
    const tp = termsPtr + (<usize>t << 6);
    const kind = <i32>field(tp, 0);
    const xPtr = <usize>field(tp, 1);
    const wPtr = <usize>field(tp, 5);
    if (k == 1 && kind == 0 && t + 1 < nTerms && productSafe(tp) && productSafe(tp + 64)) {
      // consecutive plain numeric terms are added in one pass, four (or two) at a time:
      // the logit stays in a register between them, and the additions happen in term
      // order, so the result is bit-identical to one pass per term
      if (t + 3 < nTerms && productSafe(tp + 128) && productSafe(tp + 192)) {
        numericGroup(tp, 4, r0, r1, outPtr, careful, false, zero);
        t += 3;
      } else {
        numericGroup(tp, 2, r0, r1, outPtr, careful, false, zero);
        t += 1;
      }
      continue;
    }
    if (kind == 0 || kind == 6) {
      const sub = field(tp, 2);
      const div = field(tp, 3);
      const nanValue = field(tp, 4);
      // kind 6: x op y; otherwise y is x and op 4 leaves x as it is
      const ex = kind == 6;
      const yPtr = ex ? <usize>field(tp, 6) : xPtr;
      const op = ex ? <i32>field(tp, 7) : 4;
      if (k == 1) {
        const w = load<f64>(wPtr);
        // the plain column (op 4, the common case) gets its own copy of the loop
        if (ex) numericTerm(xPtr, yPtr, op, sub, div, nanValue, w, r0, r1, outPtr, careful);
        else numericTerm(xPtr, xPtr, 4, sub, div, nanValue, w, r0, r1, outPtr, careful);
      } else {
        for (let i = r0; i < r1; i++) {
          const x = ops(load<f64>(xPtr + (<usize>i << 3)), load<f64>(yPtr + (<usize>i << 3)), op);
          const f = x != x ? nanValue : (x - sub) / div;
          const o = outPtr + (<usize>i * <usize>k << 3);
          for (let c = 0; c < k; c++) {
            const oc = o + (<usize>c << 3);
            store<f64>(oc, load<f64>(oc) + load<f64>(wPtr + (<usize>c << 3)) * f);
          }
        }
      }
    } else if (kind == 5) {
      // two consecutive narrow terms (at most four categories each) in one pass; a wide
      // term (up to eight), or a narrow one without a narrow successor, on its own
      if (field(tp, 2) > 4) chainPass(tp, false, true, r0, r1, outPtr);
      else if (t + 1 < nTerms && narrowChain(tp + 64)) {
        chainPass(tp, true, false, r0, r1, outPtr);
        t += 1;
      } else chainPass(tp, false, false, r0, r1, outPtr);
    } else if (kind == 4) {
      // binary model, integer categories, unknown ignored: one looked-up weight per row,
      // two rows per step. u + 1.5 * 2^52 rounds u to an integer held in the low bits;
      // u is an integer exactly when subtracting the constant back gives u again.
      const size = field(tp, 2);
      const wlut = <usize>field(tp, 3);
      const lutMin = field(tp, 7);
      const vmin = f64x2.splat(lutMin);
      const vsize = f64x2.splat(size);
      const magic = f64x2.splat(6755399441055744.0);
      const zero = f64x2.splat(0);
      const low = i64x2.splat(0xffffffff);
      const unknown = i64x2.splat(<i64>size);
      const nanCell = i64x2.splat(<i64>size + 1);
      let i = r0;
      for (; i + 2 <= r1; i += 2) {
        const x = v128.load(xPtr + (<usize>i << 3));
        const u = f64x2.sub(x, vmin);
        const t = f64x2.add(u, magic);
        const ok = v128.and(v128.and(f64x2.ge(u, zero), f64x2.lt(u, vsize)), f64x2.eq(f64x2.sub(t, magic), u));
        const cell = v128.bitselect(v128.and(t, low), v128.bitselect(nanCell, unknown, f64x2.ne(x, x)), ok);
        const c0 = <usize>i64x2.extract_lane(cell, 0);
        const c1 = <usize>i64x2.extract_lane(cell, 1);
        const w = f64x2.replace_lane(f64x2.splat(load<f64>(wlut + (c0 << 3))), 1, load<f64>(wlut + (c1 << 3)));
        const o = outPtr + (<usize>i << 3);
        v128.store(o, f64x2.add(v128.load(o), w));
      }
      for (; i < r1; i++) {
        const x = load<f64>(xPtr + (<usize>i << 3));
        const u = x - lutMin;
        const t = u + 6755399441055744.0;
        const ok = (u >= 0) & (u < size) & (t - 6755399441055744.0 == u);
        const cell = ok ? <usize>(reinterpret<i64>(t) & 0xffffffff) : (x != x ? <usize>size + 1 : <usize>size);
        const o = outPtr + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(wlut + (cell << 3)));
      }
    } else if (kind == 2 && k == 1 && field(tp, 3) != 0) {
      // binary model, category codes, unknown ignored: wtab[code + 1] (wtab[0] = -0 for
      // an unknown code, which leaves the logit unchanged), two rows per step
      const nCats = <u32>field(tp, 2);
      const wtab = <usize>field(tp, 3);
      let i = r0;
      for (; i + 2 <= r1; i += 2) {
        const c0 = <u32>load<i32>(xPtr + (<usize>i << 2));
        const c1 = <u32>load<i32>(xPtr + (<usize>i << 2), 4);
        // codes outside [0, nCats) (−1: unknown) select cell 0
        const w0 = load<f64>(wtab + (<usize>select(c0 + 1, 0, c0 < nCats) << 3));
        const w1 = load<f64>(wtab + (<usize>select(c1 + 1, 0, c1 < nCats) << 3));
        const o = outPtr + (<usize>i << 3);
        v128.store(o, f64x2.add(v128.load(o), f64x2.replace_lane(f64x2.splat(w0), 1, w1)));
      }
      if (i < r1) {
        const c0 = <u32>load<i32>(xPtr + (<usize>i << 2));
        const o = outPtr + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(wtab + (<usize>select(c0 + 1, 0, c0 < nCats) << 3)));
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
  return OK;
}

/** E_NONFINITE with the first row of [r0, r1) that has a non-finite logit, OK if none. */
function firstNonFinite(r0: i32, r1: i32, k: i32, outPtr: usize, errPtr: usize): i32 {
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
  return OK;
}

function scoreFast(termsPtr: usize, nTerms: i32, r0: i32, r1: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize): i32 {
  return scoreBlock(termsPtr, nTerms, r0, r1, k, interceptPtr, outPtr, errPtr, false);
}

function scoreCareful(termsPtr: usize, nTerms: i32, r0: i32, r1: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize): i32 {
  return scoreBlock(termsPtr, nTerms, r0, r1, k, interceptPtr, outPtr, errPtr, true);
}

/**
 * Logits of rows [r0, r1), status as scorePlan. The block is scored in the fast pass, where
 * a missing numeric value leaves a NaN logit; rows whose logit is not finite are scored again
 * one by one in the careful pass (the same operations in the same order, plus the NaN tests,
 * so a row without missing values gets the same bits either way). A logit that is still not
 * finite comes from an infinite feature value (or an overflow): the row is reported.
 */
function scoreRows(termsPtr: usize, nTerms: i32, r0: i32, r1: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize): i32 {
  const st = scoreFast(termsPtr, nTerms, r0, r1, k, interceptPtr, outPtr, errPtr);
  if (st != OK) return st;
  const e = <usize>(r1 - r0) * <usize>k;
  const base = outPtr + (<usize>r0 * <usize>k << 3);
  let bad = f64x2.splat(0);
  let j: usize = 0;
  for (; j + 2 <= e; j += 2) {
    const z = v128.load(base + (j << 3));
    bad = v128.or(bad, f64x2.sub(z, z)); // 0 for finite lanes, NaN otherwise
  }
  const anyBad = v128.any_true(bad) || (j < e && load<f64>(base + (j << 3)) - load<f64>(base + (j << 3)) != 0);
  return anyBad ? fixRows(termsPtr, nTerms, r0, r1, k, interceptPtr, outPtr, errPtr) : OK;
}

/** After the fast pass left some logit of rows [r0, r1) non-finite: the careful pass on those
 *  rows (or on all of them when there are many), then the status (see scoreRows). */
function fixRows(termsPtr: usize, nTerms: i32, r0: i32, r1: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize): i32 {
  if (k > 1) return firstNonFinite(r0, r1, k, outPtr, errPtr); // k > 1 tests every value already
  // few rows with missing values: redo them one by one; many: redo the whole block
  let nBad = 0;
  for (let i = r0; i < r1; i++) {
    const z = load<f64>(outPtr + (<usize>i << 3));
    nBad += i32(z - z != 0);
  }
  if (nBad * 8 > r1 - r0) {
    const again = scoreCareful(termsPtr, nTerms, r0, r1, k, interceptPtr, outPtr, errPtr);
    return again != OK ? again : firstNonFinite(r0, r1, k, outPtr, errPtr);
  }
  for (let i = r0; i < r1; i++) {
    const z = load<f64>(outPtr + (<usize>i << 3));
    if (z - z == 0) continue;
    const again = scoreCareful(termsPtr, nTerms, i, i + 1, k, interceptPtr, outPtr, errPtr);
    if (again != OK) return again;
    const z2 = load<f64>(outPtr + (<usize>i << 3));
    if (z2 - z2 != 0) return firstNonFinite(i, i + 1, k, outPtr, errPtr);
  }
  return OK;
}

/** Scores nRows rows into out (n x k logits). See the layout above. */
export function scorePlan(
  termsPtr: usize, nTerms: i32, nRows: i32, k: i32, interceptPtr: usize, outPtr: usize, errPtr: usize,
): i32 {
  for (let r0: i32 = 0; r0 < nRows; r0 += BLOCK) {
    const st = scoreRows(termsPtr, nTerms, r0, min(r0 + BLOCK, nRows), k, interceptPtr, outPtr, errPtr);
    if (st != OK) return st;
  }
  return OK;
}

/** Scores nRows rows and writes probabilities to probaPtr (n x max(k, 2), row-major):
 *  k = 1 gives [1 - expit(z), expit(z)] with expit fused into the row loop (two rows
 *  per SIMD step, see expNeg); k > 1 the softmax of probaFromDecision. zPtr receives
 *  the logits (n x k). Status as scorePlan. */
export function scorePlanProba(
  termsPtr: usize, nTerms: i32, nRows: i32, k: i32, interceptPtr: usize, zPtr: usize, probaPtr: usize, errPtr: usize,
): i32 {
  for (let r0: i32 = 0; r0 < nRows; r0 += BLOCK) {
    const r1 = min(r0 + BLOCK, nRows);
    const st = scoreRows(termsPtr, nTerms, r0, r1, k, interceptPtr, zPtr, errPtr);
    if (st != OK) return st;
    if (k == 1) {
      let i = r0;
      for (; i + 2 <= r1; i += 2) expitPair(v128.load(zPtr + (<usize>i << 3)), probaPtr + (<usize>i << 4), 2);
      // odd last row: the same SIMD arithmetic on lane 0, so results equal the paired rows
      if (i < r1) expitPair(f64x2.splat(load<f64>(zPtr + (<usize>i << 3))), probaPtr + (<usize>i << 4), 1);
    } else {
      probaFromDecision(zPtr + (<usize>r0 * <usize>k << 3), r1 - r0, k, probaPtr + (<usize>r0 * <usize>k << 3));
    }
  }
  return OK;
}

/** [1 - p, p] with p = expit(z) for the two lanes of z, written to out (rows of two f64;
 *  `rows` = 1 writes lane 0 only). Same formula as probaFromDecision:
 *  p = z >= 0 ? 1 / (1 + e) : e / (1 + e), e = exp(-|z|). */
// @ts-ignore: decorator
@inline
function expitPair(z: v128, out: usize, rows: i32): void {
  const e = expNeg(f64x2.neg(f64x2.abs(z)));
  const one = f64x2.splat(1.0);
  const d = f64x2.add(one, e);
  const p = f64x2.div(v128.bitselect(one, e, f64x2.ge(z, f64x2.splat(0))), d);
  const q = f64x2.sub(one, p);
  v128.store(out, i64x2.shuffle(q, p, 0, 2));
  if (rows == 2) v128.store(out + 16, i64x2.shuffle(q, p, 1, 3));
}

/** Memory floor for benchmarks: sums nCols f64 columns of n values each (column j at
 *  colsPtr[j], an array of nCols u32 pointers), SIMD with four independent accumulators
 *  so the loop is bound by memory reads, not by add latency. */
export function readColumns(colsPtr: usize, nCols: i32, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let tail: f64 = 0;
  for (let j = 0; j < nCols; j++) {
    const x = <usize>load<u32>(colsPtr + (<usize>j << 2));
    let i: i32 = 0;
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 3);
      a0 = f64x2.add(a0, v128.load(p));
      a1 = f64x2.add(a1, v128.load(p, 16));
      a2 = f64x2.add(a2, v128.load(p, 32));
      a3 = f64x2.add(a3, v128.load(p, 48));
    }
    for (; i < n; i++) tail += load<f64>(x + (<usize>i << 3));
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + tail;
}
