/**
 * Evaluation and drift figures for the CLI: computing them from CSV files, and
 * flattening results into `snake_case` names that gates (`--min accuracy=0.8`) refer to.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { WasmlearnError, show } from '../core/errors.js';
import { Frame, type Scalar } from '../core/frame.js';
import { classificationSummary, type ClassificationSummary } from '../metrics/index.js';
import { Profile, driftReport, type DriftReport } from '../monitoring/index.js';
import { renderDriftReport } from '../report/index.js';
import { readCsv, readCsvChunks } from './csv-stream.js';
import { resolveModel, type ModelOptions } from './model-source.js';
import { scoreFrame } from './score.js';

/** `camelCase` → `snake_case`. */
export function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase();
}

/**
 * The numeric leaves of a result, by dotted `snake_case` path; arrays are skipped,
 * booleans become 0/1.
 *
 * @example
 * flattenFigures({ accuracy: 0.9, macro: { f1: 0.8 }, rocAuc: 0.95 });
 * // => { accuracy: 0.9, 'macro.f1': 0.8, roc_auc: 0.95 }
 */
export function flattenFigures(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix + snake(k);
    if (typeof v === 'number') out[key] = v;
    else if (typeof v === 'boolean') out[key] = v ? 1 : 0;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flattenFigures(v, `${key}.`, out);
  }
  return out;
}

/** Result of {@link evaluateCsv}. */
export interface Evaluation {
  summary: ClassificationSummary;
  figures: Record<string, number>;
}

/**
 * Scores a labelled CSV in chunks and computes the classification summary.
 *
 * @param modelSpec - what `--model` names
 * @param input - CSV path (or `-`)
 * @param target - name of the label column
 * @throws WasmlearnError MISSING_COLUMN - the target column is absent; INVALID_INPUT, model errors
 */
export async function evaluateCsv(modelSpec: string, input: string, target: string, options: ModelOptions = {}): Promise<Evaluation> {
  const { model } = await resolveModel(modelSpec, options);
  const yTrue: Scalar[] = [];
  const yPred: (number | string)[] = [];
  const hasProba = typeof model.predictProba === 'function';
  const probaRows: number[][] = [];
  for await (const chunk of readCsvChunks(input)) {
    if (!(target in chunk.columns)) {
      throw new WasmlearnError('MISSING_COLUMN', `The target column ${show(target)} is not in '${input}'; its columns are ${show(chunk.header)}.`, { column: target });
    }
    if (chunk.nRows === 0) break;
    const labels = chunk.columns[target];
    const missing = labels.findIndex((v) => v === null);
    if (missing >= 0) {
      throw new WasmlearnError('MISSING_VALUE', `The target column ${show(target)} is empty at data row ${chunk.offset + missing}.`, { column: target, row: chunk.offset + missing });
    }
    const features = { ...chunk.columns };
    delete features[target];
    const { labels: pred, proba } = scoreFrame(model, Frame.from(features), hasProba ? 'predict_proba' : 'predict', chunk.offset);
    for (const v of labels) yTrue.push(v);
    for (const p of pred) yPred.push(p);
    if (proba) for (let i = 0; i < proba.rows; i++) probaRows.push(Array.from({ length: proba.cols }, (_, j) => proba.data[i * proba.cols + j]));
  }
  if (yTrue.length === 0) throw new WasmlearnError('EMPTY_INPUT', `The CSV '${input}' has no data rows to evaluate.`);
  // Labels typed as strings in the CSV but numbers in the model (or the reverse) are aligned to the model's.
  const classes = model.classes_ ?? [];
  const numericClasses = classes.length > 0 && classes.every((c) => typeof c === 'number');
  const truth = yTrue.map((v) => (numericClasses && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v)
    : !numericClasses && classes.length > 0 && typeof v === 'number' ? String(v) : v)) as (number | string)[];
  const labelsOption = hasProba && classes.length > 0 ? { labels: [...classes] } : {};
  const summary = classificationSummary(truth, yPred, hasProba ? probaRows : undefined, labelsOption);
  return { summary, figures: flattenFigures(summary) };
}

/** Result of {@link driftCsv}. */
export interface DriftResult {
  report: DriftReport;
  /** The profiles compared (the HTML report draws their histograms). */
  reference: Profile;
  current: Profile;
  /** Flattened figures, plus the gate names `dataset_drift_share`, `dataset_drift` (0/1), `n_drifted_columns`. */
  figures: Record<string, number>;
}

/**
 * Drift between a reference and a current CSV, with `driftReport` of the monitoring module.
 * @throws WasmlearnError - unreadable CSVs, columns the report cannot compare
 */
export async function driftCsv(reference: string, current: string, options: { exclude?: string[] } = {}): Promise<DriftResult> {
  const ref = await readCsv(reference);
  const cur = await readCsv(current);
  const drop = (cols: Record<string, Scalar[]>) => {
    const out = { ...cols };
    for (const c of options.exclude ?? []) delete out[c];
    return out;
  };
  const rp = Profile.fromFrame(Frame.from(drop(ref.columns)));
  const cp = Profile.fromFrame(Frame.from(drop(cur.columns)), { reference: rp });
  const report = driftReport(rp, cp);
  const figures: Record<string, number> = {
    dataset_drift_share: report.dataset.share,
    dataset_drift: report.dataset.drifted ? 1 : 0,
    n_drifted_columns: report.dataset.nDrifted,
    ...flattenFigures(report),
  };
  return { report, reference: rp, current: cp, figures };
}

/** Writes a self-contained HTML drift report (tables and per-column histograms). */
export function writeDriftHtml(result: Pick<DriftResult, 'report' | 'reference' | 'current'>, path: string): void {
  writeFileSync(path, renderDriftReport(result.report, { reference: result.reference, current: result.current }));
}

/** Writes JSON to a file, or stdout for `-`. */
export function writeJson(value: unknown, path: string, stdout: { write(s: string): unknown }): void {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  if (path === '-') stdout.write(text);
  else writeFileSync(path, text);
}

/** A figure for display: up to 4 decimals. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  if (Number.isInteger(v)) return String(v);
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}
