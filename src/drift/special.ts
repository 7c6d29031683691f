/**
 * Special functions behind the drift p-values, ported from the algorithms scipy 1.10
 * uses: Cephes' regularised upper incomplete gamma (igamc: series / continued
 * fraction, selection as in scipy's igam.c), the two-sided Kolmogorov-Smirnov
 * distribution kstwo (Simard & L'Ecuyer's selection in scipy.stats._ksstats: Durbin
 * matrix, Pomeranz, Pelz-Good, Ruben-Gambino), the one-sided Smirnov distribution and
 * scipy.special.binom. Terms that are binomial probabilities are evaluated with
 * Loader's saddle-point form (stirlerr + bd0), which keeps ~1e-14 relative accuracy
 * where a naive lgamma difference loses digits, so scipy's double-double Smirnov sum is
 * matched well inside 1e-9 relative. Plain TS: these are O(1)–O(n) scalar loops, not
 * hot array code.
 * @packageDocumentation
 */

const LN_SQRT_2PI = 0.9189385332046727417803297;
const LN_2PI = 1.8378770664093454835606594;
const MACHEP = 1.11022302462515654042e-16;
const EPS = 2.220446049250313e-16;

// Stirling series coefficients B_2k / (2k (2k-1)), k = 1..8
const STIRLING = [
  1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400,
];

/** log Γ(x) for x > 0 (Stirling series after shifting x above 15; ~1e-15 absolute). */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  let prod = 1;
  while (x < 15) {
    prod *= x;
    x += 1;
    if (prod > 1e280) { shift += Math.log(prod); prod = 1; }
  }
  shift += Math.log(prod);
  const r = 1 / x, r2 = r * r;
  let s = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) s = s * r2 + STIRLING[k];
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + s * r - shift;
}

/** log(n!) - log(sqrt(2π n) (n/e)^n): the error of Stirling's formula (Loader 2000). */
export function stirlerr(n: number): number {
  const S0 = 1 / 12, S1 = 1 / 360, S2 = 1 / 1260, S3 = 1 / 1680, S4 = 1 / 1188;
  if (n <= 15) return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** Deviance term x log(x/np) + np - x, accurate when x ≈ np (Loader 2000). */
export function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** Binomial probability C(n, x) p^x q^(n-x) with q = 1 - p given separately (Loader's dbinom_raw). */
export function dbinomRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

// ---------------------------------------------------------------------------------
// Incomplete gamma (Cephes igam.c as in scipy 1.10)

/** x^a e^-x / Γ(a), as a · Poisson(a; x) in saddle-point form. */
function igamFac(a: number, x: number): number {
  return a * Math.exp(-stirlerr(a) - bd0(a, x)) / Math.sqrt(2 * Math.PI * a);
}

function igamSeries(a: number, x: number): number {
  const ax = igamFac(a, x);
  if (ax === 0) return 0;
  let r = a, c = 1, ans = 1;
  for (let i = 0; i < 2000; i++) {
    r += 1;
    c *= x / r;
    ans += c;
    if (c <= MACHEP * ans) break;
  }
  return (ans * ax) / a;
}

function igamcContinuedFraction(a: number, x: number): number {
  const big = 4.503599627370496e15, biginv = 2.22044604925031308085e-16;
  const ax = igamFac(a, x);
  if (ax === 0) return 0;
  let y = 1 - a, z = x + y + 1, c = 0;
  let pkm2 = 1, qkm2 = x, pkm1 = x + 1, qkm1 = z * x;
  let ans = pkm1 / qkm1;
  for (let i = 0; i < 2000; i++) {
    c += 1; y += 1; z += 2;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    let t: number;
    if (qk !== 0) { const r = pk / qk; t = Math.abs((ans - r) / r); ans = r; } else t = 1;
    pkm2 = pkm1; pkm1 = pk; qkm2 = qkm1; qkm1 = qk;
    if (Math.abs(pk) > big) { pkm2 *= biginv; pkm1 *= biginv; qkm2 *= biginv; qkm1 *= biginv; }
    if (t <= MACHEP) break;
  }
  return ans * ax;
}

function igamcSeries(a: number, x: number): number {
  let fac = 1, sum = 0;
  for (let n = 1; n < 2000; n++) {
    fac *= -x / n;
    const term = fac / (a + n);
    sum += term;
    if (Math.abs(term) <= MACHEP * Math.abs(sum)) break;
  }
  const logx = Math.log(x);
  const term = -Math.expm1(a * logx - lgamma(1 + a));
  return term - Math.exp(a * logx - lgamma(a)) * sum;
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a) (Cephes igamc). */
export function igamc(a: number, x: number): number {
  if (x < 0 || a < 0 || Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (a === 0) return x > 0 ? 0 : NaN;
  if (x === 0) return 1;
  if (a === Infinity) return x === Infinity ? NaN : 1;
  if (x === Infinity) return 0;
  if (x > 1.1) return x < a ? 1 - igamSeries(a, x) : igamcContinuedFraction(a, x);
  if (x <= 0.5) return -0.4 / Math.log(x) < a ? 1 - igamSeries(a, x) : igamcSeries(a, x);
  return x * 1.1 < a ? 1 - igamSeries(a, x) : igamcSeries(a, x);
}

/** Survival function of the chi-square distribution with k degrees of freedom (scipy chi2.sf = chdtrc). */
export function chi2Sf(x: number, k: number): number {
  if (x < 0) return 1;
  return igamc(k / 2, x / 2);
}

// ---------------------------------------------------------------------------------
// Binomial coefficient (scipy.special.binom)

/** scipy.special.binom for n >= 0 and integer 0 <= k: product formula for k < 20, otherwise 1/((n+1) B(n-k+1, k+1)). */
export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let kx = Math.floor(k);
  if (kx > n / 2 && n > 0) kx = n - kx;
  if (kx >= 0 && kx < 20) {
    let num = 1, den = 1;
    for (let i = 1; i <= kx; i++) {
      num *= i + n - kx;
      den *= i;
      if (Math.abs(num) > 1e50) { num /= den; den = 1; }
    }
    return num / den;
  }
  // log C(n, k) with Stirling corrections; the large terms cancel analytically
  const m = n - kx;
  const l = stirlerr(n) - stirlerr(kx) - stirlerr(m) + kx * Math.log(n / kx) + m * Math.log(n / m) + 0.5 * Math.log(n / (2 * Math.PI * kx * m));
  return Math.exp(l);
}

// ---------------------------------------------------------------------------------
// Smirnov one-sided distribution (scipy.special.smirnov: survival function)

/** Two-product: a * b = hi + lo exactly (Dekker). */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const split = (v: number): [number, number] => { const c = 134217729 * v; const h = c - (c - v); return [h, v - h]; };
  const [ah, al] = split(a), [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** P(D+_n >= x): the one-sided Smirnov survival function (scipy.special.smirnov). */
export function smirnov(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  // floor(n x) and the remainder, exactly
  const [nxHi, nxLo] = twoProd(n, x);
  let nxfl = Math.floor(nxHi);
  let alpha = nxHi - nxfl + nxLo;
  if (alpha < 0) { nxfl -= 1; alpha += 1; }
  if (alpha >= 1) { nxfl += 1; alpha -= 1; }
  const nx = nxHi + nxLo;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.pow(1 + x, n - 1);
    return clip01(1 - cdf);
  }
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (nxfl >= n - 1) return clip01(Math.pow(1 - x, n));
  if (n > 1000000) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp));
  }
  // lower sum: sf = x * sum_{v=0}^{N} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v),
  // each term a binomial probability divided by p = x + v/n
  const nTerms = n - nxfl; // v = 0 .. n - nxfl - 1
  if (n >= 10000) {
    const s = smirnovSumSampled(n, x, nx, nTerms);
    if (s > 0) return clip01(x * s);
  }
  let sum = 0, comp = 0;
  for (let v = 0; v < nTerms; v++) {
    const p = x + v / n;
    const nq = n - v - nx; // n (1 - p)
    const term = dbinomRaw(v, n, p, nq / n) / p;
    if (Number.isFinite(term) && term !== 0) {
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
      if (4 * (nTerms - v) * Math.abs(term) < EPS * (sum + comp) && v !== nTerms - 1) break;
    } else if (v > n / 2) break;
  }
  return clip01(x * (sum + comp));
}

/** Term v of the Smirnov lower sum: C(n,v) p^(v-1) q^(n-v), p = x + v/n, q = 1 - p. */
function smirnovTerm(v: number, n: number, x: number, nx: number): number {
  const p = x + v / n;
  return dbinomRaw(v, n, p, (n - v - nx) / n) / p;
}

/**
 * The Smirnov lower sum for large n from every h-th term: h * sum_j T(j h).
 * As a function of v the terms are a smooth (analytic) bell of width
 * sigma ~ n / (4 sqrt(n x^2)) that vanishes at both ends of [0, N], so this trapezoid
 * sum equals the unit-step sum up to an error of order exp(-2 pi^2 (c sigma)^2 / h^2)
 * (Poisson summation; c ~ 0.4 measured, the bell being skewed): with h ~ sigma / 24 the
 * error is far below rounding (at step 2h it is ~1e-13 at most), and a few
 * hundred terms replace ~n. The result is checked against the same sum at step 2h
 * (every other sampled term) and both end terms must be negligible; otherwise 0 is
 * returned and the caller sums every term.
 */
function smirnovSumSampled(n: number, x: number, nx: number, nTerms: number): number {
  const sigma = n / (4 * Math.sqrt(nx * x));
  const h = Math.floor(sigma / 24);
  if (h < 2) return 0;
  let even = 0, evenC = 0, odd = 0, oddC = 0;
  for (let j = 0, v = 0; v < nTerms; j++, v += h) {
    const t = smirnovTerm(v, n, x, nx);
    if (!Number.isFinite(t)) return 0;
    if (j & 1) { const s = odd + t; oddC += Math.abs(odd) >= t ? odd - s + t : t - s + odd; odd = s; }
    else { const s = even + t; evenC += Math.abs(even) >= t ? even - s + t : t - s + even; even = s; }
  }
  const sH = h * (even + evenC + (odd + oddC)), s2H = 2 * h * (even + evenC);
  // the discretisation error falls like exp(-k / h^2): 1e-10 at 2h means ~1e-40 at h
  if (!(sH > 0) || Math.abs(sH - s2H) > 1e-10 * sH) return 0;
  const ends = Math.max(smirnovTerm(0, n, x, nx), smirnovTerm(nTerms - 1, n, x, nx));
  if (!(ends <= 1e-20 * sH)) return 0;
  return sH;
}

function clip01(p: number): number { return p < 0 ? 0 : p > 1 ? 1 : p; }

// ---------------------------------------------------------------------------------
// Kolmogorov-Smirnov two-sided distribution (scipy.stats.kstwo), from _ksstats.py

const E128 = 2 ** 128, EM128 = 2 ** -128;

function logNfactorialDivNPowN(n: number): number {
  const C = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
    -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2];
  const rn = 1 / n;
  let pv = 0;
  const z = rn / n;
  for (const c of C) pv = pv * z + c;
  return Math.log(n) / 2 - n + LN_2PI / 2 + rn * pv;
}

function matmul(A: Float64Array, B: Float64Array, m: number): Float64Array {
  const C = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const a = A[i * m + k];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j] += a * B[k * m + j];
    }
  }
  return C;
}

/** Pr(D_n <= d), Durbin matrix algorithm (Marsaglia-Tsang-Wang). */
function kolmognDMTW(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m), w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - Math.pow(h, j);
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];
  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let nn = n, expnt = 0, Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) { P = matmul(P, H, m); expnt += Hexpnt; }
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < H.length; i++) H[i] /= E128;
      Hexpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) { p *= E128; expnt -= 128; }
  }
  if (expnt !== 0) p *= Math.pow(2, expnt);
  return clip01(p);
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number, j2: number;
  if (i === 0) { j1 = -ll - ceilf - 1; j2 = ll + ceilf - 1; }
  else {
    const ip1div2 = Math.floor((i + 1) / 2), ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) { j1 = n - ll - ceilf - 1; j2 = n + ll + ceilf - 1; }
      else { j1 = ip1div2 - 1 - ll - roundf - 1; j2 = ip1div2 + ll - 1 + ceilf - 1; }
    } else { j1 = ip1div2 - 1 - ll - 1; j2 = ip1div2 + ll + roundf - 1; }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n <= x), Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gp = new Float64Array(npwrs), tgp = new Float64Array(npwrs), omp = new Float64Array(npwrs);
  gp[0] = tgp[0] = omp[0] = 1;
  const gon = g / n, tgon = (2 * g) / n, omtgon = (1 - 2 * g) / n;
  for (let k = 1; k < npwrs; k++) {
    gp[k] = (gp[k - 1] * gon) / k;
    tgp[k] = (tgp[k - 1] * tgon) / k;
    omp[k] = (omp[k - 1] * omtgon) / k;
  }
  let V0: Float64Array = new Float64Array(npwrs), V1: Float64Array = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0, V1s = 0, expnt = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pw = i === 1 || i === 2 * n + 1 ? gp : i % 2 ? tgp : omp;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const off = k1 - V0s;
      const convStart = j1 - k1, convLen = j2 - j1 + 1;
      // full convolution of V0[off .. off+ln2) with pw[0 .. ln2), entries convStart .. convStart+convLen
      let mx = 0;
      for (let c = 0; c < convLen; c++) {
        const kk = convStart + c;
        let s = 0;
        for (let a = Math.max(0, kk - ln2 + 1); a <= Math.min(kk, ln2 - 1); a++) s += V0[off + a] * pw[kk - a];
        V1[c] = s;
        if (s > mx) mx = s;
      }
      if (mx > 0 && mx < EM128) { for (let c = 0; c < npwrs; c++) V1[c] *= E128; expnt -= 128; }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) { ans *= EM128; expnt += 128; }
    ans *= m;
  }
  if (expnt !== 0) ans *= Math.pow(2, expnt);
  return clip01(ans);
}

/** Pr(D_n <= x), Pelz-Good approximation. */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2, PI4 = Math.PI ** 4, PI6 = Math.PI ** 6, SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2, z3 = z ** 3, z4 = z ** 4, z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64, k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1, m2 = m ** 2, m4 = m ** 4, m6 = m ** 6;
    const qp = Math.pow(q, 8 * k);
    const co = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + co[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0, k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const ks2 = k * k, qpw = Math.pow(q, ks2), kspi = Math.PI * k;
    k2extra += ks2 * qpw;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qpw;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  for (let i = 1; i < 4; i++) K[i] /= Math.pow(n, i / 2);
  return K[0] + K[1] + K[2] + K[3];
}

/** Survival function of the two-sided one-sample KS statistic D_n (scipy.stats.kstwo.sf(x, n)). */
export function kstwoSf(n: number, x: number): number {
  if (!(n >= 1) || Math.floor(n) !== n || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) { prob = 1; for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1); }
    else prob = Math.exp(logNfactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip01(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - kolmognDMTW(n, x));
    if (nx2 <= 4) return clip01(1 - kolmognPomeranz(n, x));
    return clip01(2 * smirnov(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnov(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) cdf = kolmognDMTW(n, x);
  else cdf = kolmognPelzGood(n, x);
  return clip01(1 - clip01(cdf));
}
