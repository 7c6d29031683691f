/**
 * The retraining signal: a small rule set over a drift report that says whether to
 * retrain and which rule fired.
 */
import { WasmlearnError, show } from '../core/errors.js';
import type { DriftReport } from './report.js';

/** Options of {@link retrainingSignal}. */
export interface RetrainingOptions {
  /** Share of drifted feature columns that fires the feature rule (default: the report's `dataset.driftShare`, 0.5 unless changed). */
  driftShare?: number;
  /** Fire when the target column drifted (default true; needs the report's `target` option). */
  targetDrift?: boolean;
  /** Fire when any prediction column drifted (default true; needs the report's `prediction` option). */
  predictionDrift?: boolean;
  /** Labelled rows that arrived since the model's training data was collected (default: unknown, the rule does not fire). */
  newLabels?: number;
  /** New labelled rows that fire the label rule (default: the reference row count, i.e. as many new labelled rows as the model was trained on). */
  minNewLabels?: number;
}

/** One rule of the signal. */
export interface RetrainingReason {
  /** `'featureDrift'`, `'targetDrift'`, `'predictionDrift'` or `'newLabels'`. */
  rule: string;
  fired: boolean;
  /** What was measured against what. */
  detail: string;
}

/** Result of {@link retrainingSignal}. */
export interface RetrainingSignal {
  /** True when any rule fired. */
  retrain: boolean;
  reasons: RetrainingReason[];
}

function checkNonNegative(v: unknown, field: string): void {
  if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
    throw new WasmlearnError('INVALID_PARAM', `The '${field}' option of retrainingSignal must be a finite number >= 0. Got ${show(v)} instead.`, { field, estimator: 'retrainingSignal' });
  }
}

/**
 * Recommends retraining when drift is high on the features, the target or the
 * predictions, or when enough new labelled data arrived since the model was trained.
 * Every rule is reported with whether it fired and why. Cost O(columns).
 * @param report - a {@link DriftReport}
 * @param options - {@link RetrainingOptions}
 * @returns `{ retrain, reasons }`
 * @throws WasmlearnError `INVALID_PARAM` for a negative or non-finite threshold or count
 * @example
 * retrainingSignal(report, { newLabels: 5000, minNewLabels: 1000 }).retrain; // => true
 */
export function retrainingSignal(report: DriftReport, options: RetrainingOptions = {}): RetrainingSignal {
  checkNonNegative(options.driftShare, 'driftShare');
  checkNonNegative(options.newLabels, 'newLabels');
  checkNonNegative(options.minNewLabels, 'minNewLabels');
  const reasons: RetrainingReason[] = [];
  const ds = report.dataset;
  const driftShare = options.driftShare ?? ds.driftShare;
  const featureFired = ds.nColumns > 0 && ds.share >= driftShare;
  reasons.push({
    rule: 'featureDrift', fired: featureFired,
    detail: `${ds.nDrifted} of ${ds.nColumns} feature columns drifted (share ${round(ds.share)}; fires at >= ${driftShare})` +
      (ds.driftedColumns.length ? `: ${ds.driftedColumns.join(', ')}` : ''),
  });
  const t = report.target;
  const targetOn = options.targetDrift ?? true;
  reasons.push({
    rule: 'targetDrift', fired: targetOn && !!t && t.drifted,
    detail: !t ? 'no target column in the report' : !targetOn ? 'rule disabled'
      : `target ${JSON.stringify(t.column)}: ${t.method ?? 'not compared'} ${describe(t)}`,
  });
  const preds = report.prediction ?? [];
  const predOn = options.predictionDrift ?? true;
  const driftedPreds = preds.filter((p) => p.drifted).map((p) => p.column);
  reasons.push({
    rule: 'predictionDrift', fired: predOn && driftedPreds.length > 0,
    detail: preds.length === 0 ? 'no prediction columns in the report' : !predOn ? 'rule disabled'
      : driftedPreds.length ? `drifted prediction columns: ${driftedPreds.join(', ')}` : `none of ${preds.length} prediction columns drifted`,
  });
  const minNew = options.minNewLabels ?? report.reference.rows;
  const newLabels = options.newLabels;
  reasons.push({
    rule: 'newLabels', fired: newLabels !== undefined && newLabels >= minNew,
    detail: newLabels === undefined ? 'number of new labelled rows not given' : `${newLabels} new labelled rows (fires at >= ${minNew})`,
  });
  return { retrain: reasons.some((r) => r.fired), reasons };
}

function round(x: number): number { return Math.round(x * 1e4) / 1e4; }

function describe(c: { statistic: number | null; pvalue: number | null; threshold: number | null; drifted: boolean; status: string }): string {
  if (c.status !== 'ok') return `(status ${c.status})`;
  const v = c.pvalue !== null ? `p-value ${c.pvalue.toPrecision(4)}` : `statistic ${c.statistic === null ? 'Infinity' : c.statistic.toPrecision(4)}`;
  return `${v}, threshold ${c.threshold}: ${c.drifted ? 'drifted' : 'no drift'}`;
}
