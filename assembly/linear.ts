// Linear-model kernels: the logistic-regression objective for fitting (the L-BFGS
// optimiser itself runs in TypeScript; this is the O(n·d·k) part), decision values and
// probabilities for scoring.
import { expNeg, log1pUnit, logPos } from './math';

// Logistic-regression objective over a design matrix stored in row blocks:
//   X: blocks of `block` rows (block even); block b holds the d columns of its rows one
//      after the other, column j of block b at X + ((b·d + j)·block)·8. The last block is
//      zero-padded to `block` rows.
//   y: f64 class index per row (0..K-1), padded like X.  sw: f64 per row (padded) or 0 (all 1).
//   W: f64, k rows of (d + 1): [w_c0 .. w_c(d-1), b_c].  k = 1 binary, k = K multinomial.
//   grad: same layout as W.
//   dense: i32 indices of the columns read as f64 (ascending), nDense of them.
//   Indicator columns (k = 1 only; all values 0 or 1, see blockedColumnStats) are read from
//   bytes instead: nGroups groups of up to 8 columns, group g's byte of a row has bit t set
//   when column groupPtr[8g + t] (i32, -1 = unused) is 1 (see packIndicators).
//   scratch: (2·(k + 1)·block + 2·k·(d + 1) + 768·nGroups) f64, 16-byte aligned.
// Returns the sample-weighted sum of the half log-loss (no penalty): binary
// log(1 + e^z) - y z, multinomial logsumexp(z) - z_y, as scikit-learn's HalfBinomialLoss /
// HalfMultinomialLoss.
//
// Hand-written in this shape because it is where fitting spends its time: per block, the
// scores z = X_block W^T + b are accumulated column by column (two rows per SIMD step,
// four columns per pass over z), then the loss and residuals of the block come from SIMD
// exp / log1p (assembly/math.ts), then the gradient is accumulated column by column while
// the block is still in cache, so X is read from memory once per evaluation.
// Indicator columns (22 of the heart pipeline's 27: one-hot and binary) cost one table
// lookup per row and group of 8 instead of 8 multiply-adds: per evaluation, T_g[v] holds
// the sum of the weights of the columns whose bits are set in v, and the gradient of such
// a column is the sum of the residuals of the rows where it is 1, taken from a histogram
// of residuals by byte value; X's f64 copies of those columns are not read.
// Order of operations (src/kernels/reference.ts repeats it, so results are bit-identical):
//   z_i = b, then z_i += x_ij·w_j for the dense columns in order, then z_i += T_g[byte]
//   for the groups in order, T_g[v] = T_g[v without its lowest bit] + w(lowest bit);
//   the loss and each gradient entry are summed in two lanes, even rows and odd rows, each
//   in row order, and the two lanes added at the end; for an indicator column each lane is
//   the histogram's bins (in row order) summed over the byte values with its bit, ascending.
export function logisticLossGrad(
  xPtr: usize, n: i32, d: i32, block: i32, yPtr: usize, swPtr: usize, k: i32,
  wPtr: usize, gradPtr: usize, scratchPtr: usize,
  densePtr: usize, nDense: i32, bytesPtr: usize, nGroups: i32, groupPtr: usize,
): f64 {
  const rowBytes = <usize>(d + 1) << 3;
  const blockBytes = <usize>block << 3;
  const zBuf = scratchPtr;
  const rBuf = zBuf + <usize>k * blockBytes;
  const eBuf = rBuf + <usize>k * blockBytes;
  const iBuf = eBuf + blockBytes;
  const acc = iBuf + blockBytes;
  const accRow = <usize>(d + 1) << 4;
  const tables = acc + <usize>k * accRow;
  const hist = tables + (<usize>nGroups << 11);
  memory.fill(acc, 0, <usize>k * accRow);
  if (nGroups > 0) {
    memory.fill(hist, 0, <usize>nGroups << 12);
    // T_g[v] = sum of the weights of the columns whose bits are set in v, built from the
    // entry without v's lowest bit: T[v] = T[v - low(v)] + w[column of low(v)]
    for (let g = 0; g < nGroups; g++) {
      const t = tables + (<usize>g << 11);
      store<f64>(t, 0);
      for (let v = 1; v < 256; v++) {
        const bit = ctz(v);
        const col = load<i32>(groupPtr + (<usize>(g * 8 + bit) << 2));
        const w: f64 = col >= 0 ? load<f64>(wPtr + (<usize>col << 3)) : 0;
        store<f64>(t + (<usize>v << 3), load<f64>(t + (<usize>(v & (v - 1)) << 3)) + w);
      }
    }
  }
  let lossAcc = f64x2.splat(0);
  const one = f64x2.splat(1.0);
  const zero = f64x2.splat(0);
  for (let r0: i32 = 0; r0 < n; r0 += block) {
    const m = min(block, n - r0);
    const pairBytes = <usize>((m + 1) >> 1) << 4;
    const xb = xPtr + <usize>r0 * <usize>d * 8;
    const yb = yPtr + (<usize>r0 << 3);
    const swb = swPtr != 0 ? swPtr + (<usize>r0 << 3) : 0;
    // scores of the block, per class
    for (let c = 0; c < k; c++) {
      const wRow = wPtr + <usize>c * rowBytes;
      const zc = zBuf + <usize>c * blockBytes;
      const b = f64x2.splat(load<f64>(wRow + (<usize>d << 3)));
      for (let o: usize = 0; o < pairBytes; o += 16) v128.store(zc + o, b);
      let j: i32 = 0;
      for (; j + 4 <= nDense; j += 4) {
        const dj = densePtr + (<usize>j << 2);
        const c0 = <usize>load<i32>(dj), c1 = <usize>load<i32>(dj, 4), c2 = <usize>load<i32>(dj, 8), c3 = <usize>load<i32>(dj, 12);
        const x0 = xb + c0 * blockBytes, x1 = xb + c1 * blockBytes, x2 = xb + c2 * blockBytes, x3 = xb + c3 * blockBytes;
        const w0 = f64x2.splat(load<f64>(wRow + (c0 << 3))), w1 = f64x2.splat(load<f64>(wRow + (c1 << 3)));
        const w2 = f64x2.splat(load<f64>(wRow + (c2 << 3))), w3 = f64x2.splat(load<f64>(wRow + (c3 << 3)));
        for (let o: usize = 0; o < pairBytes; o += 16) {
          let z = v128.load(zc + o);
          z = f64x2.add(z, f64x2.mul(v128.load(x0 + o), w0));
          z = f64x2.add(z, f64x2.mul(v128.load(x1 + o), w1));
          z = f64x2.add(z, f64x2.mul(v128.load(x2 + o), w2));
          z = f64x2.add(z, f64x2.mul(v128.load(x3 + o), w3));
          v128.store(zc + o, z);
        }
      }
      for (; j < nDense; j++) {
        const c0 = <usize>load<i32>(densePtr + (<usize>j << 2));
        const x0 = xb + c0 * blockBytes;
        const w0 = f64x2.splat(load<f64>(wRow + (c0 << 3)));
        for (let o: usize = 0; o < pairBytes; o += 16) {
          v128.store(zc + o, f64x2.add(v128.load(zc + o), f64x2.mul(v128.load(x0 + o), w0)));
        }
      }
    }
    // indicator groups (k = 1): z_i += T_g[byte_g(i)] for each group in order
    const bb = bytesPtr + <usize>(r0 / block) * <usize>nGroups * <usize>block;
    for (let g = 0; g < nGroups; g++) {
      const t = tables + (<usize>g << 11);
      const bg = bb + <usize>g * <usize>block;
      for (let o: usize = 0, i: usize = 0; o < pairBytes; o += 16, i += 2) {
        const pair = f64x2.replace_lane(f64x2.splat(load<f64>(t + (<usize>load<u8>(bg + i) << 3))), 1, load<f64>(t + (<usize>load<u8>(bg + i + 1) << 3)));
        v128.store(zBuf + o, f64x2.add(v128.load(zBuf + o), pair));
      }
    }
    // loss and residuals r = sw·(p - onehot(y)), two rows per step; in the last pair of an
    // odd block the padding row is masked out (its terms become +0)
    const tail = (m & 1) != 0 ? pairBytes - 16 : pairBytes;
    if (k == 1) {
      // two passes: exp, expit and residuals, then log1p and the loss. In one loop the
      // exp -> log1p chain of a row pair is so long that the processor overlaps few pairs;
      // split, it overlaps many (e and 1 / (1 + e) wait in cache between the passes).
      for (let o: usize = 0; o < pairBytes; o += 16) {
        const z = v128.load(zBuf + o);
        const y = v128.load(yb + o);
        const sw = swb != 0 ? v128.load(swb + o) : one;
        // one exp serves both log(1 + e^z) and expit(z)
        const e = expNeg(f64x2.neg(f64x2.abs(z)));
        // expit(z) = 1 / (1 + e) for z >= 0, e / (1 + e) below
        const inv = f64x2.div(one, f64x2.add(one, e));
        const p = f64x2.mul(v128.bitselect(one, e, f64x2.ge(z, zero)), inv);
        let r = f64x2.mul(sw, f64x2.sub(p, y));
        if (o == tail) r = v128.and(r, i64x2(-1, 0));
        v128.store(rBuf + o, r);
        v128.store(eBuf + o, e);
        v128.store(iBuf + o, inv);
      }
      for (let o: usize = 0; o < pairBytes; o += 16) {
        const z = v128.load(zBuf + o);
        const y = v128.load(yb + o);
        const sw = swb != 0 ? v128.load(swb + o) : one;
        // pmax(0, z) = z > 0 ? z : 0 (one instruction; a NaN z still makes l NaN through y·z)
        const l = f64x2.sub(f64x2.add(f64x2.pmax(zero, z), log1pUnit(v128.load(eBuf + o), v128.load(iBuf + o))), f64x2.mul(y, z));
        let t = f64x2.mul(sw, l);
        if (o == tail) t = v128.and(t, i64x2(-1, 0));
        lossAcc = f64x2.add(lossAcc, t);
      }
    } else {
      for (let o: usize = 0; o < pairBytes; o += 16) {
        const mask = o == tail ? i64x2(-1, 0) : i64x2(-1, -1);
        const y = v128.load(yb + o);
        const sw = swb != 0 ? v128.load(swb + o) : one;
        let zmax = v128.load(zBuf + o);
        // pmax(m, z) = m < z ? z : m; a NaN score still makes its row's loss NaN
        for (let c = 1; c < k; c++) zmax = f64x2.pmax(zmax, v128.load(zBuf + <usize>c * blockBytes + o));
        let sum = expNeg(f64x2.sub(v128.load(zBuf + o), zmax));
        for (let c = 1; c < k; c++) sum = f64x2.add(sum, expNeg(f64x2.sub(v128.load(zBuf + <usize>c * blockBytes + o), zmax)));
        const lse = f64x2.add(zmax, logPos(sum));
        const y0 = <usize>(<i32>f64x2.extract_lane(y, 0)), y1 = <usize>(<i32>f64x2.extract_lane(y, 1));
        const zy = f64x2.replace_lane(f64x2.splat(load<f64>(zBuf + y0 * blockBytes + o)), 1, load<f64>(zBuf + y1 * blockBytes + o + 8));
        lossAcc = f64x2.add(lossAcc, v128.and(f64x2.mul(sw, f64x2.sub(lse, zy)), mask));
        for (let c = 0; c < k; c++) {
          const zo = <usize>c * blockBytes + o;
          const p = expNeg(f64x2.sub(v128.load(zBuf + zo), lse));
          const ind = v128.and(f64x2.eq(y, f64x2.splat(<f64>c)), one);
          v128.store(rBuf + zo, v128.and(f64x2.mul(sw, f64x2.sub(p, ind)), mask));
        }
      }
    }
    // gradient: acc[c][j] += x_j·r_c (four columns per pass over r), acc[c][d] += r_c
    for (let c = 0; c < k; c++) {
      const rc = rBuf + <usize>c * blockBytes;
      const ac = acc + <usize>c * accRow;
      let j: i32 = 0;
      for (; j + 4 <= nDense; j += 4) {
        const dj = densePtr + (<usize>j << 2);
        const c0 = <usize>load<i32>(dj), c1 = <usize>load<i32>(dj, 4), c2 = <usize>load<i32>(dj, 8), c3 = <usize>load<i32>(dj, 12);
        const x0 = xb + c0 * blockBytes, x1 = xb + c1 * blockBytes, x2 = xb + c2 * blockBytes, x3 = xb + c3 * blockBytes;
        const p0 = ac + (c0 << 4), p1 = ac + (c1 << 4), p2 = ac + (c2 << 4), p3 = ac + (c3 << 4);
        let a0 = v128.load(p0), a1 = v128.load(p1), a2 = v128.load(p2), a3 = v128.load(p3);
        for (let o: usize = 0; o < pairBytes; o += 16) {
          const r = v128.load(rc + o);
          a0 = f64x2.add(a0, f64x2.mul(v128.load(x0 + o), r));
          a1 = f64x2.add(a1, f64x2.mul(v128.load(x1 + o), r));
          a2 = f64x2.add(a2, f64x2.mul(v128.load(x2 + o), r));
          a3 = f64x2.add(a3, f64x2.mul(v128.load(x3 + o), r));
        }
        v128.store(p0, a0); v128.store(p1, a1); v128.store(p2, a2); v128.store(p3, a3);
      }
      for (; j < nDense; j++) {
        const c0 = <usize>load<i32>(densePtr + (<usize>j << 2));
        const x0 = xb + c0 * blockBytes;
        const aj = ac + (c0 << 4);
        let a = v128.load(aj);
        for (let o: usize = 0; o < pairBytes; o += 16) a = f64x2.add(a, f64x2.mul(v128.load(x0 + o), v128.load(rc + o)));
        v128.store(aj, a);
      }
      const ad = ac + (<usize>d << 4);
      let a = v128.load(ad);
      for (let o: usize = 0; o < pairBytes; o += 16) a = f64x2.add(a, v128.load(rc + o));
      v128.store(ad, a);
    }
    // indicator groups: the residuals of the rows with byte value v summed in bin v, one
    // histogram for even rows and one for odd rows (the two lanes)
    for (let g = 0; g < nGroups; g++) {
      const he = hist + (<usize>g << 12), ho = he + 2048;
      const bg = bb + <usize>g * <usize>block;
      for (let o: usize = 0, i: usize = 0; o < pairBytes; o += 16, i += 2) {
        const pe = he + (<usize>load<u8>(bg + i) << 3), po = ho + (<usize>load<u8>(bg + i + 1) << 3);
        store<f64>(pe, load<f64>(pe) + load<f64>(rBuf + o));
        store<f64>(po, load<f64>(po) + load<f64>(rBuf + o, 8));
      }
    }
  }
  // gradient of an indicator column: the bins whose byte has its bit, in bin order, per lane
  for (let g = 0; g < nGroups; g++) {
    const he = hist + (<usize>g << 12), ho = he + 2048;
    for (let bit = 0; bit < 8; bit++) {
      const col = load<i32>(groupPtr + (<usize>(g * 8 + bit) << 2));
      if (col < 0) continue;
      let se: f64 = 0, so: f64 = 0;
      for (let v = 0; v < 256; v++) {
        if ((v >> bit) & 1) { se += load<f64>(he + (<usize>v << 3)); so += load<f64>(ho + (<usize>v << 3)); }
      }
      v128.store(acc + (<usize>col << 4), f64x2.replace_lane(f64x2.splat(se), 1, so));
    }
  }
  const cnt = k * (d + 1);
  for (let t = 0; t < cnt; t++) {
    const a = v128.load(acc + (<usize>t << 4));
    store<f64>(gradPtr + (<usize>t << 3), f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  }
  return f64x2.extract_lane(lossAcc, 0) + f64x2.extract_lane(lossAcc, 1);
}

/** Packs groups of up to 8 indicator columns into one byte per row: bit t of group g's
 *  byte is x == 1 in column groupPtr[8g + t] (i32; -1 = unused bit). Layout: block b,
 *  group g at bytesPtr + (b·nGroups + g)·block; padding rows get 0. */
export function packIndicators(xPtr: usize, n: i32, d: i32, block: i32, groupPtr: usize, nGroups: i32, bytesPtr: usize): void {
  const blockBytes = <usize>block << 3;
  const one = f64x2.splat(1.0);
  for (let r0: i32 = 0, b: usize = 0; r0 < n; r0 += block, b++) {
    const xb = xPtr + <usize>r0 * <usize>d * 8;
    const pairBytes = <usize>((min(block, n - r0) + 1) >> 1) << 4;
    for (let g = 0; g < nGroups; g++) {
      const out = bytesPtr + (b * <usize>nGroups + <usize>g) * <usize>block;
      memory.fill(out, 0, <usize>block);
      // two rows per step: bit t is (x == 1) of the group's column t (padding rows are 0)
      for (let o: usize = 0, i: usize = 0; o < pairBytes; o += 16, i += 2) {
        let bits = i64x2.splat(0);
        for (let bit = 0; bit < 8; bit++) {
          const col = load<i32>(groupPtr + (<usize>(g * 8 + bit) << 2));
          if (col < 0) break;
          bits = v128.or(bits, v128.and(f64x2.eq(v128.load(xb + <usize>col * blockBytes + o), one), i64x2.splat(<i64>1 << bit)));
        }
        store<u8>(out + i, <u8>i64x2.extract_lane(bits, 0));
        store<u8>(out + i + 1, <u8>i64x2.extract_lane(bits, 1));
      }
    }
  }
}

/** Per column of a design matrix in the row-block layout above: the sum of squares
 *  (ssPtr: d f64), summed in two lanes (even and odd rows, row order) added at the end
 *  (the zero padding adds nothing; a NaN or infinite value makes the sum non-finite), and
 *  whether all values are 0 or 1 (flagPtr: d u8; indicator columns: one-hot and binary
 *  features). One pass over the columns for both. */
export function blockedColumnStats(xPtr: usize, n: i32, d: i32, block: i32, ssPtr: usize, flagPtr: usize): void {
  const blockBytes = <usize>block << 3;
  const one = f64x2.splat(1.0), zero = f64x2.splat(0);
  for (let j = 0; j < d; j++) {
    let a = f64x2.splat(0);
    let ok = i64x2.splat(-1);
    for (let r0: i32 = 0; r0 < n; r0 += block) {
      const pairBytes = <usize>((min(block, n - r0) + 1) >> 1) << 4;
      const x = xPtr + <usize>r0 * <usize>d * 8 + <usize>j * blockBytes;
      for (let o: usize = 0; o < pairBytes; o += 16) {
        const v = v128.load(x + o);
        a = f64x2.add(a, f64x2.mul(v, v));
        ok = v128.and(ok, v128.or(f64x2.eq(v, zero), f64x2.eq(v, one)));
      }
    }
    store<f64>(ssPtr + (<usize>j << 3), f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
    store<u8>(flagPtr + <usize>j, i64x2.all_true(ok) ? 1 : 0);
  }
}

// @ts-ignore: decorator
@inline
function dotRow(xRow: usize, wRow: usize, d: i32): f64 {
  let s0 = f64x2.splat(0);
  let j: i32 = 0;
  for (; j + 2 <= d; j += 2) {
    const off = <usize>j << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(xRow + off), v128.load(wRow + off)));
  }
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; j < d; j++) {
    const off = <usize>j << 3;
    s += load<f64>(xRow + off) * load<f64>(wRow + off);
  }
  return s;
}

/** Decision function: out (n x k, row-major) = X W^T + b for the W layout above. */
export function linearDecision(xPtr: usize, n: i32, d: i32, wPtr: usize, k: i32, outPtr: usize): void {
  const rowBytes = <usize>(d + 1) << 3;
  const xStride = <usize>d << 3;
  for (let i = 0; i < n; i++) {
    const xRow = xPtr + <usize>i * xStride;
    for (let c = 0; c < k; c++) {
      const wRow = wPtr + <usize>c * rowBytes;
      store<f64>(outPtr + ((<usize>i * <usize>k + <usize>c) << 3), dotRow(xRow, wRow, d) + load<f64>(wRow + xStride));
    }
  }
}

/** Probabilities from decision values, as scikit-learn: k = 1 writes n x 2 rows
 *  [1 - expit(z), expit(z)]; k > 1 writes the softmax of each row (max subtracted). */
export function probaFromDecision(zPtr: usize, n: i32, k: i32, outPtr: usize): void {
  if (k == 1) {
    for (let i = 0; i < n; i++) {
      const z = load<f64>(zPtr + (<usize>i << 3));
      const p = z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
      const o = outPtr + (<usize>i << 4);
      store<f64>(o, 1.0 - p);
      store<f64>(o, p, 8);
    }
    return;
  }
  const rowBytes = <usize>k << 3;
  for (let i = 0; i < n; i++) {
    const zr = zPtr + <usize>i * rowBytes;
    const orow = outPtr + <usize>i * rowBytes;
    let m: f64 = -Infinity;
    for (let c = 0; c < k; c++) { const z = load<f64>(zr + (<usize>c << 3)); if (z > m) m = z; }
    let s: f64 = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(load<f64>(zr + (<usize>c << 3)) - m);
      store<f64>(orow + (<usize>c << 3), e);
      s += e;
    }
    for (let c = 0; c < k; c++) store<f64>(orow + (<usize>c << 3), load<f64>(orow + (<usize>c << 3)) / s);
  }
}
