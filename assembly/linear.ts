// Logistic-regression objective for the L-BFGS optimiser (the optimiser itself runs in
// TypeScript; this is the O(n·d·k) part). Layouts:
//   X: row-major f64, n x d.  y: f64 class index per row (0..K-1).  sw: f64 per row or 0 (all 1).
//   W: f64, k rows of (d + 1): [w_c0 .. w_c(d-1), b_c].  k = 1 binary, k = K multinomial.
//   grad: same layout as W.  scratch: at least k f64.
// Returns the sample-weighted sum of the half log-loss (no penalty): binary
// log(1 + e^z) - y z, multinomial logsumexp(z) - z_y, as scikit-learn's HalfBinomialLoss /
// HalfMultinomialLoss.

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

// @ts-ignore: decorator
@inline
function axpyRow(g: f64, xRow: usize, gRow: usize, d: i32): void {
  const vg = f64x2.splat(g);
  let j: i32 = 0;
  for (; j + 2 <= d; j += 2) {
    const off = <usize>j << 3;
    v128.store(gRow + off, f64x2.add(v128.load(gRow + off), f64x2.mul(vg, v128.load(xRow + off))));
  }
  for (; j < d; j++) {
    const off = <usize>j << 3;
    store<f64>(gRow + off, load<f64>(gRow + off) + g * load<f64>(xRow + off));
  }
}

export function logisticLossGrad(
  xPtr: usize, n: i32, d: i32, yPtr: usize, swPtr: usize, k: i32,
  wPtr: usize, gradPtr: usize, scratchPtr: usize,
): f64 {
  const rowBytes = <usize>(d + 1) << 3;
  memory.fill(gradPtr, 0, <usize>k * rowBytes);
  let loss: f64 = 0;
  const xStride = <usize>d << 3;
  for (let i = 0; i < n; i++) {
    const xRow = xPtr + <usize>i * xStride;
    const y = load<f64>(yPtr + (<usize>i << 3));
    const sw: f64 = swPtr != 0 ? load<f64>(swPtr + (<usize>i << 3)) : 1.0;
    if (k == 1) {
      const z = dotRow(xRow, wPtr, d) + load<f64>(wPtr + xStride);
      // one exp serves both log(1 + e^z) and expit(z)
      const e = Math.exp(-Math.abs(z));
      loss += sw * ((z > 0 ? z : 0.0) + Math.log1p(e) - y * z);
      const p = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      const g = sw * (p - y);
      axpyRow(g, xRow, gradPtr, d);
      store<f64>(gradPtr + xStride, load<f64>(gradPtr + xStride) + g);
    } else {
      let zmax: f64 = -Infinity;
      for (let c = 0; c < k; c++) {
        const wRow = wPtr + <usize>c * rowBytes;
        const z = dotRow(xRow, wRow, d) + load<f64>(wRow + xStride);
        store<f64>(scratchPtr + (<usize>c << 3), z);
        if (z > zmax) zmax = z;
      }
      let sum: f64 = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(load<f64>(scratchPtr + (<usize>c << 3)) - zmax);
      const lse = zmax + Math.log(sum);
      const yi = <i32>y;
      loss += sw * (lse - load<f64>(scratchPtr + (<usize>yi << 3)));
      for (let c = 0; c < k; c++) {
        const p = Math.exp(load<f64>(scratchPtr + (<usize>c << 3)) - lse);
        const g = sw * (p - (c == yi ? 1.0 : 0.0));
        const gRow = gradPtr + <usize>c * rowBytes;
        axpyRow(g, xRow, gRow, d);
        store<f64>(gRow + xStride, load<f64>(gRow + xStride) + g);
      }
    }
  }
  return loss;
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
