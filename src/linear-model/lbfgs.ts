/**
 * Limited-memory BFGS for smooth unconstrained problems, with a strong-Wolfe line
 * search (Nocedal & Wright, Algorithms 7.4 and 3.5/3.6). Stopping rules follow
 * scipy's L-BFGS-B: max |gradient| <= gtol, or relative reduction of f <= ftol (0 turns
 * it off), or maxIter iterations; a line search that can no longer decrease f stops too. Written here because it is small and
 * is the part of fitting that runs in JS; the objective's O(n·d·k) work is a
 * WebAssembly kernel.
 */
export interface LbfgsOptions {
  maxIter: number;
  gtol: number;
  ftol: number;
  /** History size (scipy's maxcor), default 10. */
  m?: number;
  /** Maximum line-search evaluations per iteration (scipy's maxls), default 50. */
  maxLs?: number;
  /** Per-coordinate factors applied to the gradient in the gtol test (for preconditioned problems). */
  gradScale?: Float64Array;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  nIter: number;
  nEval: number;
  converged: boolean;
  message: string;
}

/** f(x) writing the gradient into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Gradient size below which a line search that cannot decrease f means "at the optimum". */
const FLOOR_GTOL = 1e-6;

const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };
const maxAbs = (a: Float64Array) => { let m = 0; for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > m) m = v; } return m; };

export function lbfgs(fun: Objective, x0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = opts.m ?? 10;
  const maxLs = opts.maxLs ?? 50;
  let x: Float64Array = x0.slice();
  let g: Float64Array = new Float64Array(n);
  let f = fun(x, g);
  let nEval = 1;
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  const gs = opts.gradScale;
  const gnorm = (v: Float64Array) => { if (!gs) return maxAbs(v); let mx = 0; for (let i = 0; i < v.length; i++) { const a = Math.abs(v[i] * gs[i]); if (a > mx) mx = a; } return mx; };
  if (gnorm(g) <= opts.gtol) return { x, f, nIter: 0, nEval, converged: true, message: 'CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL' };
  for (let iter = 1; iter <= opts.maxIter; iter++) {
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], d);
      for (let i = 0; i < n; i++) d[i] -= alpha[j] * Y[j][i];
    }
    if (k > 0) {
      const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const beta = rho[j] * dot(Y[j], d);
      for (let i = 0; i < n; i++) d[i] += S[j][i] * (alpha[j] - beta);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // not a descent direction: restart from steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      dg = dot(d, g);
    }
    const step0 = k === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
    const ls = wolfe(fun, x, f, g, d, dg, step0, maxLs);
    nEval += ls.nEval;
    if (!ls.ok) {
      // No step decreases f any more: at a tight gtol this is the floating-point floor near
      // the optimum (counted as converged when the gradient is already tiny), otherwise a failure.
      const floor = gnorm(g) <= FLOOR_GTOL;
      return { x, f, nIter: iter, nEval, converged: floor, message: floor ? 'CONVERGENCE: NO FURTHER DECREASE AT FLOATING-POINT PRECISION' : 'ABNORMAL_TERMINATION_IN_LNSRCH' };
    }
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = ls.x[i] - x[i]; y[i] = ls.g[i] - g[i]; }
    const fPrev = f;
    x = ls.x; g = ls.g; f = ls.f;
    const sy = dot(s, y);
    if (sy > Number.EPSILON * dot(y, y)) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    if (opts.ftol > 0 && (fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), 1) <= opts.ftol) {
      return { x, f, nIter: iter, nEval, converged: true, message: 'CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH' };
    }
    if (gnorm(g) <= opts.gtol) return { x, f, nIter: iter, nEval, converged: true, message: 'CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL' };
  }
  return { x, f, nIter: opts.maxIter, nEval, converged: false, message: 'STOP: TOTAL NO. of ITERATIONS REACHED LIMIT' };
}

interface LsResult { ok: boolean; x: Float64Array; f: number; g: Float64Array; nEval: number }

/** Strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) with cubic-interpolation zoom. */
function wolfe(fun: Objective, x: Float64Array, f0: number, g0: Float64Array, d: Float64Array, dg0: number, step0: number, maxLs: number): LsResult {
  const c1 = 1e-4, c2 = 0.9;
  const n = x.length;
  let nEval = 0;
  const evalAt = (a: number) => {
    const xa = new Float64Array(n);
    for (let i = 0; i < n; i++) xa[i] = x[i] + a * d[i];
    const ga = new Float64Array(n);
    const fa = fun(xa, ga);
    nEval++;
    return { a, x: xa, f: fa, g: ga, dg: dot(ga, d) };
  };
  // Hager–Zhang approximate Wolfe conditions: near the optimum f stops resolving
  // decreases (differences below a few ulps), so a step is also accepted when f did not
  // rise beyond rounding and the slope shrank: 0.9·φ'(0) <= φ'(a) <= -0.8·φ'(0).
  const fTol = 1e-12 * Math.max(1, Math.abs(f0));
  const approxOk = (c: { f: number; dg: number }) => c.f <= f0 + fTol && c.dg >= 0.9 * dg0 && c.dg <= -0.8 * dg0;
  let prev = { a: 0, x, f: f0, g: g0, dg: dg0 };
  let a = step0;
  for (let i = 0; i < maxLs; i++) {
    const cur = evalAt(a);
    if (approxOk(cur)) return { ok: true, x: cur.x, f: cur.f, g: cur.g, nEval };
    if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * a * dg0 || (i > 0 && cur.f >= prev.f)) {
      return zoom(prev, cur);
    }
    if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, x: cur.x, f: cur.f, g: cur.g, nEval };
    if (cur.dg >= 0) return zoom(cur, prev);
    prev = cur;
    a *= 2;
  }
  return { ok: false, x, f: f0, g: g0, nEval };

  function zoom(lo: typeof prev, hi: typeof prev): LsResult {
    for (let j = 0; j < maxLs; j++) {
      let a = cubicMin(lo.a, lo.f, lo.dg, hi.a, hi.f, hi.dg);
      const lo_ = Math.min(lo.a, hi.a), hi_ = Math.max(lo.a, hi.a), w = hi_ - lo_;
      if (!Number.isFinite(a) || a < lo_ + 0.1 * w || a > hi_ - 0.1 * w) a = (lo.a + hi.a) / 2;
      const cur = evalAt(a);
      if (approxOk(cur)) return { ok: true, x: cur.x, f: cur.f, g: cur.g, nEval };
      if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * a * dg0 || cur.f >= lo.f) hi = cur;
      else {
        if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, x: cur.x, f: cur.f, g: cur.g, nEval };
        if (cur.dg * (hi.a - lo.a) >= 0) hi = lo;
        lo = cur;
      }
      if (Math.abs(hi.a - lo.a) < 1e-16 * Math.max(1, Math.abs(lo.a))) break;
    }
    // accept the best point found if it decreased f
    if (lo.a > 0 && lo.f < f0) return { ok: true, x: lo.x, f: lo.f, g: lo.g, nEval };
    return { ok: false, x, f: f0, g: g0, nEval };
  }
}

function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const s = d1 * d1 - da * db;
  if (s < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(s);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}
