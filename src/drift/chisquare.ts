/**
 * Pearson chi-square tests, equal to scipy.stats.chisquare and
 * scipy.stats.chi2_contingency (scipy 1.10), with p-values from a Cephes-quality
 * chi-square survival function.
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';
import { driftKernels } from '../kernels/index.js';
import { chi2Sf } from './special.js';
import { nonEmpty, sameLength, toF64 } from './validate.js';
import type { TestResult } from './two-sample.js';

function nonNegativeFinite(fn: string, arg: string, x: Float64Array, positive = false): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(positive ? v > 0 : v >= 0) || v === Infinity) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: '${arg}'[${i}] is ${show(v)}; ${positive ? 'expected frequencies must be finite and > 0' : 'frequencies must be finite and non-negative'}.`,
        { estimator: fn, field: arg, row: i });
    }
  }
}

function pearson(obs: Float64Array, exp: Float64Array): number {
  const t = new Float64Array(obs.length);
  for (let i = 0; i < obs.length; i++) { const d = obs[i] - exp[i]; t[i] = (d * d) / exp[i]; }
  return driftKernels().pairwiseSum(t);
}

/**
 * One-way chi-square test, scipy.stats.chisquare: statistic Σ (o - e)² / e, p-value
 * chi2.sf(statistic, k - 1 - ddof). Without `expected` every category is expected
 * equally often (the mean of `observed`). With `expected`, its sum must equal the
 * observed sum within 1e-8 relative, as scipy requires.
 * @param observed - Observed frequencies per category (finite, non-negative).
 * @param expected - Optional expected frequencies (finite, > 0), same length.
 * @param options - `ddof`: delta degrees of freedom (default 0).
 * @returns `{ statistic, pvalue }`.
 * @throws WasmlearnError EMPTY_INPUT, INVALID_INPUT (negative values, sums that differ), LENGTH_MISMATCH, INVALID_PARAM (ddof leaving dof < 1).
 * @example
 * chisquare([16, 18, 16, 14, 12, 12]) // => { statistic: 2, pvalue: 0.8491450360846096 }
 */
export function chisquare(observed: ArrayLike<number>, expected?: ArrayLike<number> | null, options: { ddof?: number } = {}): TestResult {
  const fn = 'chisquare';
  const obs = toF64(fn, 'observed', observed);
  nonEmpty(fn, 'observed', obs);
  nonNegativeFinite(fn, 'observed', obs);
  const ddof = options.ddof ?? 0;
  if (!Number.isInteger(ddof) || ddof < 0) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: the 'ddof' option must be a non-negative integer. Got ${show(ddof)} instead.`, { estimator: fn, field: 'ddof' });
  }
  const k = driftKernels();
  let exp: Float64Array;
  if (expected == null) {
    const mean = k.pairwiseSum(obs) / obs.length;
    exp = new Float64Array(obs.length).fill(mean);
  } else {
    exp = toF64(fn, 'expected', expected);
    sameLength(fn, 'observed', obs, 'expected', exp);
    nonNegativeFinite(fn, 'expected', exp, true);
    const so = k.pairwiseSum(obs), se = k.pairwiseSum(exp);
    const rel = Math.abs(so - se) / Math.min(so, se);
    if (rel > 1e-8) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: the sums of 'observed' (${so}) and 'expected' (${se}) must agree to a relative tolerance of 1e-8, but the relative difference is ${rel}.`,
        { estimator: fn, field: 'expected' });
    }
  }
  const dof = obs.length - 1 - ddof;
  if (dof < 1) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: ${obs.length} categories with ddof = ${ddof} leave ${dof} degrees of freedom; at least 1 is needed.`, { estimator: fn, field: 'ddof' });
  }
  const statistic = pearson(obs, exp);
  return { statistic, pvalue: chi2Sf(statistic, dof) };
}

/** Result of {@link chi2Contingency}. */
export interface Chi2ContingencyResult extends TestResult {
  /** Degrees of freedom (rows - 1)(cols - 1). */
  dof: number;
  /** Expected frequencies under independence: rowSum · colSum / total. */
  expected: number[][];
}

/**
 * Chi-square test of independence on a contingency table, scipy.stats.chi2_contingency:
 * expected = outer(row sums, column sums) / total; with dof = 1 and `correction`
 * (default true) Yates' correction moves each observed value 0.5 towards its expected
 * value (never past it). dof = 0 gives statistic 0 and p-value 1. Typical drift use:
 * rows = reference / current, columns = category counts.
 * @param table - Rows of non-negative, finite counts, all rows the same length.
 * @param options - `correction`: Yates' continuity correction when dof = 1 (default true).
 * @returns `{ statistic, pvalue, dof, expected }`.
 * @throws WasmlearnError EMPTY_INPUT, LENGTH_MISMATCH (ragged rows), INVALID_INPUT (negative values, a zero expected frequency — an all-zero row or column — named by position).
 * @example
 * chi2Contingency([[10, 20], [20, 10]]).dof // => 1
 */
export function chi2Contingency(table: ArrayLike<ArrayLike<number>>, options: { correction?: boolean } = {}): Chi2ContingencyResult {
  const fn = 'chi2Contingency';
  const correction = options.correction ?? true;
  if (table == null || typeof table.length !== 'number' || table.length === 0) {
    throw new WasmlearnError('EMPTY_INPUT', `${fn}: 'table' is empty; at least one row is required.`, { estimator: fn, field: 'table' });
  }
  const rows = Array.from({ length: table.length }, (_, r) => toF64(fn, `table[${r}]`, table[r]));
  const nc = rows[0].length;
  if (nc === 0) throw new WasmlearnError('EMPTY_INPUT', `${fn}: 'table'[0] is empty; at least one column is required.`, { estimator: fn, field: 'table' });
  rows.forEach((row, r) => {
    sameLength(fn, 'table[0]', rows[0], `table[${r}]`, row);
    nonNegativeFinite(fn, `table[${r}]`, row);
  });
  const nr = rows.length;
  const k = driftKernels();
  const flat = new Float64Array(nr * nc);
  rows.forEach((row, r) => flat.set(row, r * nc));
  const rowSum = rows.map((row) => k.pairwiseSum(row));
  // numpy sums along axis 0 row by row (not pairwise)
  const colSum = Array.from({ length: nc }, (_, c) => rows.reduce((s, row) => s + row[c], 0));
  const total = k.pairwiseSum(flat);
  const expected = rows.map((_, r) => Array.from({ length: nc }, (_, c) => (rowSum[r] * colSum[c]) / total));
  for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) {
    if (expected[r][c] === 0) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: the table of expected frequencies has a zero element at (${r}, ${c}): row ${r} or column ${c} of 'table' sums to 0. Drop empty rows and columns.`,
        { estimator: fn, field: 'table', row: r, column: String(c) });
    }
  }
  const dof = nr * nc - (nr + nc) + 2 - 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, expected };
  const exp = Float64Array.from(expected.flat());
  let obs = flat;
  if (dof === 1 && correction) {
    obs = new Float64Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const diff = exp[i] - flat[i];
      obs[i] = flat[i] + Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
    }
  }
  const statistic = pearson(obs, exp);
  return { statistic, pvalue: chi2Sf(statistic, dof), dof, expected };
}
