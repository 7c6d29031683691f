/**
 * Drift reports: reference vs current, per column and for the data set, with
 * Evidently's default rules, target and prediction drift, and the retraining signal.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import type { FrameInput } from '../core/frame.js';
import {
  DEFAULT_THRESHOLDS, DRIFT_METHODS, isDrift, nUnique, runMethod,
  type DriftMethod, type MethodResult,
} from './methods.js';
import { Profile, summarize, type ColumnSummary, type ProfileOptions } from './profile.js';
import { retrainingSignal, type RetrainingOptions, type RetrainingSignal } from './retraining.js';

/** Per-column choice of method and threshold. */
export interface ColumnDriftOptions {
  /** Method (default: by the rules in {@link driftReport}). */
  method?: DriftMethod;
  /** Threshold (default: 0.05 for p-value methods, 0.1 for distances). */
  threshold?: number;
}

/** Options of {@link driftReport}. */
export interface DriftReportOptions {
  /** Per-column overrides, e.g. `{ age: { method: 'psi', threshold: 0.2 } }`. */
  columns?: Readonly<Record<string, ColumnDriftOptions>>;
  /** Feature columns to compare (default: every reference column except target and prediction columns). */
  features?: readonly string[];
  /** Share of drifted feature columns at which the data set counts as drifted (default 0.5). */
  driftShare?: number;
  /** Reference rows up to which the small-data rules apply (default 1000). */
  smallDataRows?: number;
  /** Report every applicable method per column in `metrics` (default false). */
  allMetrics?: boolean;
  /** Name of the target (label) column, reported as `target` (default: none). */
  target?: string;
  /** Prediction column(s): the predicted label, or one column per class probability; reported as `prediction`. */
  prediction?: string | readonly string[];
  /** Include the retraining signal (`true` for its defaults, or its options). */
  retraining?: boolean | RetrainingOptions;
  /** Profile options used when `reference` is a table (ignored for a Profile). */
  profile?: Omit<ProfileOptions, 'reference'>;
}

/** Drift of one column. */
export interface ColumnDrift {
  column: string;
  role: 'feature' | 'target' | 'prediction';
  type: 'numeric' | 'categorical';
  /**
   * `'ok'`: compared; `'missing'`: the column is absent from the current data; `'empty'`:
   * present but without a single non-missing value in the current data.
   */
  status: 'ok' | 'missing' | 'empty';
  /** Method used (null when not compared). */
  method: DriftMethod | null;
  /** Statistic: p-value methods give their test statistic, the others a distance; null when infinite or not compared (see `note`). */
  statistic: number | null;
  /** p-value for 'ks' and 'chisquare', else null. */
  pvalue: number | null;
  threshold: number | null;
  /** p-value < threshold, or statistic >= threshold. False when not compared. */
  drifted: boolean;
  reference: ColumnSummary;
  current: ColumnSummary;
  note?: string;
  /** With `allMetrics`: every applicable method's result, keyed by method. */
  metrics?: Partial<Record<DriftMethod, MethodResult & { drifted: boolean; threshold: number }>>;
}

/**
 * A drift report: a plain, JSON-serialisable object (every number finite; `null` where
 * undefined). Shape:
 * ```
 * { format: 'wasmlearn.driftReport', formatVersion: 1,
 *   reference: { rows }, current: { rows }, rules: 'small-data' | 'large-data',
 *   columns: ColumnDrift[],                       // features, in reference order
 *   dataset: { nColumns, nDrifted, share, driftShare, drifted, driftedColumns, missingColumns },
 *   target: ColumnDrift | null, prediction: ColumnDrift[] | null,
 *   retraining?: { retrain, reasons: [{ rule, fired, detail }] } }
 * ```
 */
export interface DriftReport {
  format: 'wasmlearn.driftReport';
  formatVersion: 1;
  reference: { rows: number };
  current: { rows: number };
  /** Which default rule set applied: reference rows <= smallDataRows → 'small-data'. */
  rules: 'small-data' | 'large-data';
  columns: ColumnDrift[];
  dataset: {
    /** Feature columns compared (status 'ok'). */
    nColumns: number;
    nDrifted: number;
    /** nDrifted / nColumns (0 when nothing was compared). */
    share: number;
    driftShare: number;
    /** share >= driftShare. */
    drifted: boolean;
    driftedColumns: string[];
    /** Feature columns absent from, or entirely missing in, the current data (not counted in nColumns). */
    missingColumns: string[];
  };
  target: ColumnDrift | null;
  prediction: ColumnDrift[] | null;
  retraining?: RetrainingSignal;
}

const FN = 'driftReport';

/** The default method for a column (Evidently's rules). @internal */
export function defaultMethod(ref: Profile, refCol: ReturnType<Profile['column']>, curCol: ReturnType<Profile['column']>, smallDataRows: number): DriftMethod {
  const small = ref.nRows <= smallDataRows;
  const fewValues = refCol.type === 'numeric' && nUnique(refCol, curCol) <= 5;
  if (refCol.type === 'categorical' || fewValues) return small ? 'chisquare' : 'jensenshannon';
  return small ? 'ks' : 'wasserstein';
}

function checkThreshold(v: unknown, column: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new WasmlearnError('INVALID_PARAM', `The threshold for column ${show(column)} must be a finite number >= 0. Got ${show(v)} instead.`, { column, field: 'threshold', estimator: FN });
  }
}

function compareColumn(ref: Profile, cur: Profile, name: string, role: ColumnDrift['role'], opts: DriftReportOptions, smallDataRows: number): ColumnDrift {
  const rc = ref.column(name), cc = cur.column(name);
  const o = opts.columns?.[name] ?? {};
  const base = { column: name, role, type: rc.type, reference: summarize(rc), current: summarize(cc) };
  if (cc.count === 0) {
    const absent = cc.absent === cur.nRows && cur.nRows > 0;
    return {
      ...base, status: absent ? 'missing' : 'empty', method: null, statistic: null, pvalue: null, threshold: null, drifted: false,
      note: absent ? `column ${JSON.stringify(name)} is absent from the current data` : `column ${JSON.stringify(name)} has no non-missing value in the current data (${cc.missing} missing)`,
    };
  }
  const method = o.method ?? defaultMethod(ref, rc, cc, smallDataRows);
  if (!DRIFT_METHODS.includes(method)) {
    throw new WasmlearnError('INVALID_PARAM', `Unknown drift method ${show(method)} for column ${show(name)}; expected one of ${DRIFT_METHODS.map((m) => `'${m}'`).join(', ')}.`, { column: name, field: 'method', estimator: FN });
  }
  const threshold = o.threshold ?? DEFAULT_THRESHOLDS[method];
  checkThreshold(threshold, name);
  const r = runMethod(method, rc, cc);
  const out: ColumnDrift = { ...base, status: 'ok', method, statistic: r.statistic, pvalue: r.pvalue, threshold, drifted: isDrift(method, r, threshold) };
  if (r.note) out.note = r.note;
  if (opts.allMetrics) {
    const metrics: NonNullable<ColumnDrift['metrics']> = {};
    for (const m of DRIFT_METHODS) {
      if ((m === 'ks' || m === 'wasserstein') && rc.type !== 'numeric') continue;
      const mr = m === method ? r : runMethod(m, rc, cc);
      const th = m === method ? threshold : DEFAULT_THRESHOLDS[m];
      metrics[m] = { ...mr, threshold: th, drifted: isDrift(m, mr, th) };
    }
    out.metrics = metrics;
  }
  return out;
}

/**
 * Compares current data with reference data, column by column, and gives the data
 * set's verdict from the share of drifted columns.
 *
 * Default rules (Evidently's documented defaults; override any column with `columns`):
 * - reference rows <= 1000: numeric columns with more than 5 distinct values (in both
 *   data sets together) → two-sample Kolmogorov–Smirnov test; other numeric and all
 *   categorical columns → chi-square test; drift when p < 0.05.
 * - more reference rows: numeric columns with more than 5 distinct values →
 *   Wasserstein distance divided by the reference std (drift when >= 0.1); others →
 *   Jensen–Shannon distance, natural log (drift when >= 0.1).
 * - data set drift when the share of drifted feature columns >= 0.5.
 *
 * A reference column absent from the current data is reported with status 'missing'
 * (not counted in the share); a profile of another schema is an error. Cost: one pass
 * over each table to profile it, then per column O(sample log sample) for KS/Wasserstein
 * and O(bins) for the others.
 * @param reference - reference data: a Profile, or a table (profiled with `options.profile`)
 * @param current - current data: a Profile built against the reference, or a table
 * @param options - {@link DriftReportOptions}
 * @returns a {@link DriftReport}
 * @throws WasmlearnError `EMPTY_INPUT` for a table without rows; `SCHEMA_MISMATCH` when a current
 *   profile was built on another schema; `MISSING_COLUMN` for a target, prediction, feature or
 *   override column absent from the reference; `INVALID_PARAM` for an unknown method, a method that
 *   does not fit the column type, or a bad threshold; errors of {@link Profile.fromFrame}
 * @example
 * const r = driftReport(makeHeart({ nRows: 2000 }).columns, makeHeart({ nRows: 2000, seed: 7, drift: 1 }).columns);
 * r.dataset.driftedColumns; // => ['age', 'cp', 'chol', 'thalach', 'oldpeak', 'num'] (num depends on the drifted columns)
 */
export function driftReport(reference: Profile | FrameInput, current: Profile | FrameInput, options: DriftReportOptions = {}): DriftReport {
  const driftShare = options.driftShare ?? 0.5;
  if (typeof driftShare !== 'number' || !(driftShare >= 0 && driftShare <= 1)) throw errors.invalidParam(FN, 'driftShare', 'a number in [0, 1]', driftShare);
  const smallDataRows = options.smallDataRows ?? 1000;
  if (typeof smallDataRows !== 'number' || !(smallDataRows >= 0)) throw errors.invalidParam(FN, 'smallDataRows', 'a number >= 0', smallDataRows);
  const ref = reference instanceof Profile ? reference : Profile.fromFrame(reference, options.profile ?? {});
  if (ref.nRows === 0) throw errors.emptyInput(FN, 'a reference profile');
  let cur: Profile;
  if (current instanceof Profile) {
    ref.assertSameSchema(current);
    cur = current;
  } else cur = Profile.fromFrame(current, { reference: ref });
  if (cur.nRows === 0) throw errors.emptyInput(FN, 'a current profile');

  const need = (name: string, what: string) => { if (!ref.has(name)) throw errors.missingColumn(name, ref.names, `${FN} (${what})`); };
  const target = options.target;
  if (target !== undefined) need(target, 'target');
  const predictions = options.prediction === undefined ? [] : typeof options.prediction === 'string' ? [options.prediction] : [...options.prediction];
  for (const p of predictions) need(p, 'prediction');
  for (const c of Object.keys(options.columns ?? {})) need(c, 'columns');
  const special = new Set([...(target !== undefined ? [target] : []), ...predictions]);
  const features = options.features ? [...options.features] : ref.names.filter((n) => !special.has(n));
  for (const f of features) need(f, 'features');

  const columns = features.map((n) => compareColumn(ref, cur, n, 'feature', options, smallDataRows));
  const compared = columns.filter((c) => c.status === 'ok');
  const driftedColumns = compared.filter((c) => c.drifted).map((c) => c.column);
  const share = compared.length ? driftedColumns.length / compared.length : 0;
  const report: DriftReport = {
    format: 'wasmlearn.driftReport', formatVersion: 1,
    reference: { rows: ref.nRows }, current: { rows: cur.nRows },
    rules: ref.nRows <= smallDataRows ? 'small-data' : 'large-data',
    columns,
    dataset: {
      nColumns: compared.length, nDrifted: driftedColumns.length, share, driftShare,
      drifted: compared.length > 0 && share >= driftShare, driftedColumns,
      missingColumns: columns.filter((c) => c.status !== 'ok').map((c) => c.column),
    },
    target: target !== undefined ? compareColumn(ref, cur, target, 'target', options, smallDataRows) : null,
    prediction: predictions.length ? predictions.map((p) => compareColumn(ref, cur, p, 'prediction', options, smallDataRows)) : null,
  };
  if (options.retraining) report.retraining = retrainingSignal(report, options.retraining === true ? {} : options.retraining);
  return report;
}

