/**
 * Seeded synthetic data with the schema of the Cleveland heart-disease data set (UCI),
 * which cannot be downloaded here. Marginals follow the published ranges; the target
 * depends on the features through a latent risk score, so a model has something to
 * learn. `drift` (0 = none, 1 = strong) moves a documented subset of columns.
 */
import { rng } from '../core/random.js';

/** Column names in the original order; `num` is the 0–4 diagnosis, `target` = num > 0. */
export const HEART_COLUMNS = ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal', 'num'] as const;
export const HEART_NUMERIC = ['age', 'trestbps', 'chol', 'thalach', 'oldpeak'] as const;
export const HEART_CATEGORICAL = ['cp', 'restecg', 'ca', 'thal', 'slope'] as const;
export const HEART_BINARY = ['sex', 'fbs', 'exang'] as const;
/** Columns that the drift knob moves (everything else keeps its distribution). */
export const HEART_DRIFTED = ['age', 'chol', 'thalach', 'cp', 'oldpeak'] as const;

export interface HeartOptions {
  /** Rows to generate (default 303, the size of the original data). */
  nRows?: number;
  /** PRNG seed (default 42). Same seed, same data. */
  seed?: number;
  /** Drift strength in [0, 1] (default 0): shifts age, chol, thalach, oldpeak and the cp mix; nothing else, not the target (a covariate shift). */
  drift?: number;
  /** Share of missing values in `ca` and `thal` (default 0.02). */
  missingRate?: number;
}

export interface HeartData {
  /** Feature columns plus `num`, as Float64Array (missing = NaN). */
  columns: Record<(typeof HEART_COLUMNS)[number], Float64Array>;
  /** Binary target num > 0, as 0/1. */
  target: Float64Array;
  nRows: number;
}

export { rng };

function normal(u: () => number): number {
  const a = Math.max(u(), 1e-12), b = u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
}

function pick(u: () => number, values: readonly number[], weights: readonly number[]): number {
  return pickU(u(), values, weights);
}

/** Inverse-CDF pick with a given uniform draw (the same draw with drifted weights moves few rows). */
function pickU(x: number, values: readonly number[], weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = x * total;
  for (let i = 0; i < values.length; i++) { r -= weights[i]; if (r < 0) return values[i]; }
  return values[values.length - 1];
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Generates a synthetic heart-disease table. */
export function makeHeart(options: HeartOptions = {}): HeartData {
  const n = options.nRows ?? 303;
  const d = clamp(options.drift ?? 0, 0, 1);
  const miss = options.missingRate ?? 0.02;
  const u = rng(options.seed ?? 42);
  const col = () => new Float64Array(n);
  const c = {
    age: col(), sex: col(), cp: col(), trestbps: col(), chol: col(), fbs: col(), restecg: col(),
    thalach: col(), exang: col(), oldpeak: col(), slope: col(), ca: col(), thal: col(), num: col(),
  };
  const target = col();
  for (let i = 0; i < n; i++) {
    // Drift is a covariate shift of HEART_DRIFTED only: the latent risk and every other
    // column are computed from the undrifted values, so nothing else changes distribution.
    const ageBase = Math.round(clamp(54.4 + 9 * normal(u), 29, 77));
    const age = Math.round(clamp(ageBase + 8 * d, 29, 77 + 10 * d));
    const sex = u() < 0.68 ? 1 : 0;
    const uCp = u();
    const cpBase = pickU(uCp, [1, 2, 3, 4], [0.08, 0.16, 0.28, 0.48]);
    const cp = pickU(uCp, [1, 2, 3, 4], [0.08, 0.16, 0.28 - 0.15 * d, 0.48 + 0.15 * d]);
    const trestbps = Math.round(clamp(131.7 + 17.6 * normal(u), 94, 200));
    const cholBase = Math.round(clamp(246.7 + 51.8 * normal(u), 126, 564));
    const chol = Math.round(clamp(cholBase + 40 * d, 126, 564 + 40 * d));
    const fbs = u() < 0.15 ? 1 : 0;
    const restecg = pick(u, [0, 1, 2], [0.5, 0.01, 0.49]);
    // latent risk drives thalach, exang, oldpeak, slope, ca, thal and the diagnosis
    const risk = 0.045 * (ageBase - 54) + 0.9 * sex + 0.8 * (cpBase === 4 ? 1 : 0) + 0.01 * (trestbps - 131) + 0.004 * (cholBase - 246) + 0.9 * normal(u);
    const thalachBase = Math.round(clamp(149.6 - 9 * risk + 18 * normal(u), 71, 202));
    const thalach = Math.round(clamp(thalachBase - 15 * d, 71, 202));
    const exang = u() < 1 / (1 + Math.exp(-(risk - 0.8))) ? 1 : 0;
    const oldpeakBase = Math.round(clamp(1.04 + 0.45 * risk + 0.9 * normal(u), 0, 6.2) * 10) / 10;
    const oldpeak = Math.round(clamp(oldpeakBase + 0.6 * d, 0, 6.2 + d) * 10) / 10;
    const slope = oldpeakBase < 0.5 ? pick(u, [1, 2, 3], [0.7, 0.25, 0.05]) : pick(u, [1, 2, 3], [0.2, 0.65, 0.15]);
    const ca = u() < miss ? NaN : pick(u, [0, 1, 2, 3], risk > 1 ? [0.35, 0.3, 0.2, 0.15] : [0.75, 0.15, 0.07, 0.03]);
    const thal = u() < miss ? NaN : pick(u, [3, 6, 7], risk > 1 ? [0.3, 0.1, 0.6] : [0.75, 0.05, 0.2]);
    const score = risk + 0.9 * (exang) + 0.35 * (Number.isNaN(ca) ? 0 : ca) + 0.8 * (thal === 7 ? 1 : 0) + 0.4 * oldpeakBase - 0.012 * (thalachBase - 150) - 2.9 + 0.6 * normal(u);
    const num = score <= 0 ? 0 : Math.min(4, 1 + Math.floor(score / 1.1));
    c.age[i] = age; c.sex[i] = sex; c.cp[i] = cp; c.trestbps[i] = trestbps; c.chol[i] = chol; c.fbs[i] = fbs;
    c.restecg[i] = restecg; c.thalach[i] = thalach; c.exang[i] = exang; c.oldpeak[i] = oldpeak; c.slope[i] = slope;
    c.ca[i] = ca; c.thal[i] = thal; c.num[i] = num; target[i] = num > 0 ? 1 : 0;
  }
  return { columns: c, target, nRows: n };
}

/** The table as CSV text (header row, empty cell = missing); `target` column appended when asked. */
export function heartToCsv(data: HeartData, withTarget = true): string {
  const names = [...HEART_COLUMNS, ...(withTarget ? ['target'] : [])];
  const cols = names.map((n) => (n === 'target' ? data.target : data.columns[n as keyof HeartData['columns']]));
  const lines = [names.join(',')];
  for (let i = 0; i < data.nRows; i++) lines.push(cols.map((c) => (Number.isNaN(c[i]) ? '' : String(c[i]))).join(','));
  return lines.join('\n') + '\n';
}
