// SIMD elementary functions on both lanes of an f64x2, for kernels that evaluate exp or
// log once per row. Hand-written because AssemblyScript's Math.exp / Math.log are scalar
// calls (one lane at a time, not inlined): in the logistic loss they cost more than the
// O(d) arithmetic of the row. Every operation is a plain IEEE f64 add, mul, div or bit
// manipulation (no fused multiply-add), so a scalar transcription (src/kernels/reference.ts)
// gives bit-identical results.

// Constants are read from a static table (one load each) rather than written as v128
// immediates, which the engine rebuilds from general-purpose registers on every use.
const TABLE = memory.data<f64>([-708.0, 6755399441055744.0, 1.4426950408889634, 6.93147180369123816490e-01, 1.90821492927058770002e-10, 4.13813679705723846039e-08, -1.65339022054652515390e-06, 6.61375632143793436117e-05, -2.77777777770155933842e-03, 1.66666666666666019037e-01, 0.5, 1.0, 1.4142135623730951, 2.0, 3.999999999940941908e-01, 2.222219843214978396e-01, 1.531383769920937332e-01, 6.666666666666735130e-01, 2.857142874366239149e-01, 1.818357216161805012e-01, 1.479819860511658591e-01])

// @ts-ignore: decorator
@inline
function K(i: i32): v128 {
  return v128.load64_splat(TABLE + (<usize>i << 3));
}

/** exp(x) for x <= 0 in both lanes, within 1 ulp (x below -708 is treated as -708, whose
 *  exp, 3e-308, is below any probability resolution). fdlibm's __ieee754_exp (which V8
 *  uses for Math.exp): Cody-Waite reduction x = k ln2 + r, |r| <= ln2 / 2, and its
 *  rational approximation of exp(r), a degree-5 polynomial in r² and one division (fewer
 *  operations than the degree-13 Taylor polynomial the same accuracy needs on this range),
 *  scaled by 2^k built from the exponent bits. NaN propagates. */
// @ts-ignore: decorator
@inline
export function expNeg(x0: v128): v128 {
  // pmax(a, b) = a < b ? b : a, one instruction (max's NaN / signed-zero rules take
  // several); NaN stays NaN
  const x = f64x2.pmax(x0, K(0));
  const shift = K(1); // 1.5 * 2^52: rounds to an integer in the low bits
  const kd = f64x2.add(f64x2.mul(x, K(2)), shift);
  const kf = f64x2.sub(kd, shift);
  // x = k ln2 + hi - lo (kf * ln2_hi is exact: ln2_hi has 32 trailing zero bits)
  const hi = f64x2.sub(x, f64x2.mul(kf, K(3)));
  const lo = f64x2.mul(kf, K(4));
  const r = f64x2.sub(hi, lo);
  // fdlibm: exp(r) = 1 + r + r c / (2 - c), c = r - t (P1 + t (P2 + … + t P5)), t = r²
  const t = f64x2.mul(r, r);
  let p = K(5);
  p = f64x2.add(f64x2.mul(p, t), K(6));
  p = f64x2.add(f64x2.mul(p, t), K(7));
  p = f64x2.add(f64x2.mul(p, t), K(8));
  p = f64x2.add(f64x2.mul(p, t), K(9));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  // 1 - ((lo - r c / (2 - c)) - hi), in fdlibm's order
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(K(13), c));
  const y = f64x2.sub(K(11), f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^k: the low bits of kd hold k; (k + 1023) << 52 is the f64 with exponent k
  const scale = i64x2.shl(i64x2.add(kd, i64x2.splat(1023)), 52);
  return f64x2.mul(y, scale);
}

/** log(x) for positive normal x in both lanes, within 1 ulp (fdlibm's __ieee754_log:
 *  x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), s = f / (2 + f), and
 *  log(1 + f) = f - hfsq + s (hfsq + R(s^2)), R of degree 14 in s). Zero, negative,
 *  subnormal, infinite and NaN inputs are not handled (callers pass sums of exponentials,
 *  which are >= 1). */
// @ts-ignore: decorator
@inline
export function logPos(x: v128): v128 {
  // shift the exponent so that the mantissa lands in [sqrt(2)/2, sqrt(2))
  const ix = i64x2.add(x, i64x2.splat(0x00095f6200000000));
  const k = i64x2.sub(i64x2.shr_s(ix, 52), i64x2.splat(0x3ff));
  const m = i64x2.add(v128.and(ix, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3fe6a09e00000000));
  const f = f64x2.sub(m, K(11));
  // k as f64: k + 1.5 * 2^52 has k in its low mantissa bits
  const shift = K(1);
  const dk = f64x2.sub(i64x2.add(k, shift), shift);
  return logTail(f, dk);
}

/** log1p(e) for e in [0, 1] in both lanes, within 1 ulp, given inv = 1 / (1 + e) (the
 *  logistic function needs that reciprocal too; one division serves both): u = 1 + e
 *  rounded, log(u) by the reduction above (u in [1, 2], so 2^k is 1 or 2), plus the
 *  rounding error of u times inv (fdlibm's log1p divides it by u). */
// @ts-ignore: decorator
@inline
export function log1pUnit(e: v128, inv: v128): v128 {
  const one = K(11);
  const u = f64x2.add(one, e);
  // (1 + e) - u exactly (u - 1 is exact for u in [1, 2])
  const c = f64x2.mul(f64x2.sub(e, f64x2.sub(u, one)), inv);
  const big = f64x2.gt(u, K(12));
  const f = f64x2.sub(v128.bitselect(f64x2.mul(u, K(10)), u, big), one);
  const dk = v128.and(big, one);
  return f64x2.add(logTail(f, dk), c);
}

/** log(2^k (1 + f)) for f in [sqrt(2)/2 - 1, sqrt(2) - 1), dk = k as f64. */
// @ts-ignore: decorator
@inline
function logTail(f: v128, dk: v128): v128 {
  const hfsq = f64x2.mul(f64x2.mul(K(10), f), f);
  const s = f64x2.div(f, f64x2.add(K(13), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(K(14), f64x2.mul(w, f64x2.add(K(15), f64x2.mul(w, K(16))))));
  const t2 = f64x2.mul(z, f64x2.add(K(17), f64x2.mul(w, f64x2.add(K(18), f64x2.mul(w, f64x2.add(K(19), f64x2.mul(w, K(20))))))));
  const R = f64x2.add(t2, t1);
  // s (hfsq + R) + k ln2_lo - hfsq + f + k ln2_hi, in that order
  let r = f64x2.mul(s, f64x2.add(hfsq, R));
  r = f64x2.add(r, f64x2.mul(dk, K(4)));
  r = f64x2.sub(r, hfsq);
  r = f64x2.add(r, f);
  return f64x2.add(r, f64x2.mul(dk, K(3)));
}
