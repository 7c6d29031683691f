/**
 * Classification metrics with scikit-learn 1.2 semantics: accuracy, precision, recall,
 * F-beta and the confusion matrix. Labels are numbers (integers) or strings.
 */
import { WasmlearnError, show } from '../core/errors.js';
import type { Category } from '../core/frame.js';
import { checkLabelList, checkPair, uniqueLabels, type LabelArray } from './labels.js';

/** How per-class scores are combined. scikit-learn: `average`. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

/** Options of {@link precisionScore}, {@link recallScore}, {@link f1Score} and {@link fbetaScore}. */
export interface PrfOptions {
  /**
   * `'binary'` (default): the score of `posLabel` only, and the targets must hold at most
   * two classes; `'macro'`: unweighted mean over labels; `'micro'`: from the summed
   * counts; `'weighted'`: mean weighted by each label's support.
   */
  average?: Average;
  /** The positive class for `average: 'binary'` (default `1`; give it for string labels). */
  posLabel?: Category;
  /** Labels to include when averaging (default: every label in yTrue or yPred, sorted). Ignored for `'binary'`. */
  labels?: LabelArray;
  /** Value for a 0/0 ratio (default `'warn'`, which acts as 0, as scikit-learn does without printing a warning). */
  zeroDivision?: 'warn' | 0 | 1;
}

/** Per-label precision, recall, F-beta and support. */
export interface PrfPerLabel {
  labels: Category[];
  precision: number[];
  recall: number[];
  fScore: number[];
  /** Number of true instances of each label. */
  support: number[];
}

const FN_ACC = 'accuracyScore';

/**
 * Share of rows where the prediction equals the true label. scikit-learn: `accuracy_score`.
 * Cost O(n).
 * @param yTrue - true labels (numbers or strings)
 * @param yPred - predicted labels, same length and label type
 * @returns accuracy in [0, 1]
 * @throws WasmlearnError `EMPTY_INPUT` for empty arrays, `LENGTH_MISMATCH` when lengths differ,
 *   `MISSING_VALUE` / `INVALID_INPUT` for missing, non-integer or mixed-type labels
 * @example
 * accuracyScore([0, 1, 1, 0], [0, 1, 0, 0]); // => 0.75
 */
export function accuracyScore(yTrue: LabelArray, yPred: LabelArray): number {
  const [t, p] = checkPair(yTrue, yPred, FN_ACC);
  let hits = 0;
  for (let i = 0; i < t.values.length; i++) if (t.values[i] === p.values[i]) hits++;
  return hits / t.values.length;
}

/**
 * Per-label true-positive, predicted and true counts, in the order of `labels`. @internal
 */
function countsPerLabel(t: readonly Category[], p: readonly Category[], labels: readonly Category[]) {
  const idx = new Map<Category, number>();
  labels.forEach((l, i) => idx.set(l, i));
  const k = labels.length;
  const tp = new Float64Array(k), predSum = new Float64Array(k), trueSum = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    const a = idx.get(t[i]), b = idx.get(p[i]);
    if (a !== undefined) trueSum[a]++;
    if (b !== undefined) predSum[b]++;
    if (a !== undefined && t[i] === p[i]) tp[a]++;
  }
  return { tp, predSum, trueSum };
}

function prfDivide(num: Float64Array, den: Float64Array, zero: number): Float64Array {
  const out = new Float64Array(num.length);
  for (let i = 0; i < num.length; i++) out[i] = den[i] === 0 ? zero : num[i] / den[i];
  return out;
}

function checkZeroDivision(z: unknown, fn: string): number {
  if (z === undefined || z === 'warn' || z === 0) return 0;
  if (z === 1) return 1;
  throw new WasmlearnError('INVALID_PARAM', `The 'zeroDivision' parameter of ${fn} must be one of 'warn', 0, 1. Got ${show(z)} instead.`, { estimator: fn, field: 'zeroDivision' });
}

/**
 * Precision, recall, F-beta and support per label (`average: null`) or averaged.
 * scikit-learn: `precision_recall_fscore_support` (1.2 semantics, including how
 * `zeroDivision` enters the F-score and the `'weighted'` all-zero-support case).
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param options - `average` (default `'binary'`; `null` for per-label arrays), `posLabel`, `labels`, `zeroDivision`, `beta` (default 1)
 * @returns the averaged scores, or per-label arrays when `average` is `null`
 * @throws WasmlearnError `INVALID_PARAM` for an unknown average, a multiclass target with
 *   `'binary'`, a `posLabel` absent from two present labels, `beta` < 0; input errors as {@link accuracyScore}
 * @example
 * precisionRecallFscoreSupport([0, 1, 1], [0, 1, 0]); // => { precision: 1, recall: 0.5, fScore: 0.666…, support: null }
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelArray, yPred: LabelArray, options: Omit<PrfOptions, 'average'> & { average: null; beta?: number },
): PrfPerLabel;
export function precisionRecallFscoreSupport(
  yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions & { beta?: number },
): { precision: number; recall: number; fScore: number; support: null };
export function precisionRecallFscoreSupport(
  yTrue: LabelArray, yPred: LabelArray,
  options: Omit<PrfOptions, 'average'> & { average?: Average | null; beta?: number } = {},
): PrfPerLabel | { precision: number; recall: number; fScore: number; support: null } {
  return prfs(yTrue, yPred, options, 'precisionRecallFscoreSupport');
}

type PrfsOptions = Omit<PrfOptions, 'average'> & { average?: Average | null; beta?: number };

function prfs(yTrue: LabelArray, yPred: LabelArray, options: PrfsOptions & { average: null }, fn: string): PrfPerLabel;
function prfs(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions & { beta?: number }, fn: string): { precision: number; recall: number; fScore: number; support: null };
function prfs(yTrue: LabelArray, yPred: LabelArray, options: PrfsOptions, fn: string): PrfPerLabel | { precision: number; recall: number; fScore: number; support: null };
function prfs(
  yTrue: LabelArray, yPred: LabelArray, options: PrfsOptions, fn: string,
): PrfPerLabel | { precision: number; recall: number; fScore: number; support: null } {
  const average = options.average === undefined ? 'binary' : options.average;
  const allowed = ['binary', 'macro', 'micro', 'weighted', null];
  if (!allowed.includes(average)) {
    throw new WasmlearnError('INVALID_PARAM', `The 'average' parameter of ${fn} must be one of 'binary', 'macro', 'micro', 'weighted', null. Got ${show(average)} instead.`, { estimator: fn, field: 'average' });
  }
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) {
    throw new WasmlearnError('INVALID_PARAM', `The 'beta' parameter of ${fn} must be a number >= 0. Got ${show(beta)} instead.`, { estimator: fn, field: 'beta' });
  }
  const zero = checkZeroDivision(options.zeroDivision, fn);
  const [t, p] = checkPair(yTrue, yPred, fn);
  const present = uniqueLabels(t.values, p.values);
  let labels: Category[];
  if (average === 'binary') {
    if (present.length > 2) {
      throw new WasmlearnError('INVALID_PARAM',
        `${fn}: Target is multiclass (labels ${show(present)}) but average='binary'. Please choose another average setting, one of 'macro', 'micro', 'weighted', null.`,
        { estimator: fn, field: 'average' });
    }
    const pos = options.posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) {
      throw new WasmlearnError('INVALID_PARAM', `${fn}: posLabel=${show(pos)} is not a valid label. It should be one of ${show(present)}.`, { estimator: fn, field: 'posLabel' });
    }
    labels = [pos];
  } else {
    labels = options.labels === undefined ? present : checkLabelList(options.labels, t.kind, fn);
  }
  const { tp, predSum, trueSum } = countsPerLabel(t.values, p.values, labels);
  let tpS = tp, predS = predSum, trueS = trueSum;
  if (average === 'micro') {
    const sum = (a: Float64Array) => Float64Array.of(a.reduce((s, v) => s + v, 0));
    tpS = sum(tp); predS = sum(predSum); trueS = sum(trueSum);
  }
  const precision = prfDivide(tpS, predS, zero);
  const recall = prfDivide(tpS, trueS, zero);
  const beta2 = beta * beta;
  const f = new Float64Array(precision.length);
  for (let i = 0; i < f.length; i++) {
    if (beta === Infinity) { f[i] = recall[i]; continue; }
    let den = beta2 * precision[i] + recall[i];
    if (den === 0) den = 1;
    f[i] = ((1 + beta2) * precision[i] * recall[i]) / den;
  }
  if (average === null) {
    return { labels, precision: Array.from(precision), recall: Array.from(recall), fScore: Array.from(f), support: Array.from(trueSum) };
  }
  let weights: Float64Array | null = null;
  if (average === 'weighted') {
    const total = trueS.reduce((s, v) => s + v, 0);
    if (total === 0) {
      const predTotal = predS.reduce((s, v) => s + v, 0);
      if (predTotal === 0) return { precision: zero, recall: zero, fScore: zero, support: null };
      return { precision: 0, recall: zero, fScore: 0, support: null };
    }
    weights = trueS;
  }
  const avg = (a: Float64Array): number => {
    let s = 0, w = 0;
    for (let i = 0; i < a.length; i++) { const wi = weights ? weights[i] : 1; s += a[i] * wi; w += wi; }
    return s / w;
  };
  return { precision: avg(precision), recall: avg(recall), fScore: avg(f), support: null };
}

/**
 * Precision tp / (tp + fp). scikit-learn: `precision_score`.
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param options - {@link PrfOptions}: `average` (default `'binary'`), `posLabel` (default 1), `labels`, `zeroDivision` (default `'warn'` = 0)
 * @returns the precision
 * @throws WasmlearnError as {@link precisionRecallFscoreSupport}
 * @example
 * precisionScore([0, 1, 1, 0], [1, 1, 0, 0]); // => 0.5
 */
export function precisionScore(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions = {}): number {
  return prfs(yTrue, yPred, options, 'precisionScore').precision;
}

/**
 * Recall tp / (tp + fn). scikit-learn: `recall_score`.
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param options - {@link PrfOptions}
 * @returns the recall
 * @throws WasmlearnError as {@link precisionRecallFscoreSupport}
 * @example
 * recallScore([0, 1, 1, 0], [1, 1, 0, 0]); // => 0.5
 */
export function recallScore(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions = {}): number {
  return prfs(yTrue, yPred, options, 'recallScore').recall;
}

/**
 * F1 score, the harmonic mean of precision and recall. scikit-learn: `f1_score`.
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param options - {@link PrfOptions}
 * @returns the F1 score
 * @throws WasmlearnError as {@link precisionRecallFscoreSupport}
 * @example
 * f1Score(['a', 'b', 'b'], ['a', 'b', 'a'], { average: 'macro' }); // => 0.666…
 */
export function f1Score(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions = {}): number {
  return prfs(yTrue, yPred, { ...options, beta: 1 }, 'f1Score').fScore;
}

/**
 * F-beta score: (1 + β²)·P·R / (β²·P + R). scikit-learn: `fbeta_score`.
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param beta - weight of recall (>= 0)
 * @param options - {@link PrfOptions}
 * @returns the F-beta score
 * @throws WasmlearnError as {@link precisionRecallFscoreSupport}
 * @example
 * fbetaScore([0, 1, 1, 0], [1, 1, 0, 0], 2); // => 0.5
 */
export function fbetaScore(yTrue: LabelArray, yPred: LabelArray, beta: number, options: PrfOptions = {}): number {
  return prfs(yTrue, yPred, { ...options, beta }, 'fbetaScore').fScore;
}

/** Result of {@link confusionMatrix}. */
export interface ConfusionMatrix {
  /** Row and column labels, in order. */
  labels: Category[];
  /** `matrix[i][j]`: rows whose true label is `labels[i]` and predicted label `labels[j]`. */
  matrix: number[][];
}

/**
 * Confusion matrix. scikit-learn: `confusion_matrix`. Rows whose true or predicted
 * label is not in `labels` are left out, as in scikit-learn.
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param options - `labels`: row/column order (default: sorted union of both arrays)
 * @returns `{ labels, matrix }` with counts
 * @throws WasmlearnError `INVALID_PARAM` when `labels` is empty or none of them is in yTrue; input errors as {@link accuracyScore}
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0]); // => { labels: [0, 1], matrix: [[1, 0], [1, 1]] }
 */
export function confusionMatrix(yTrue: LabelArray, yPred: LabelArray, options: { labels?: LabelArray } = {}): ConfusionMatrix {
  const fn = 'confusionMatrix';
  const [t, p] = checkPair(yTrue, yPred, fn);
  let labels: Category[];
  if (options.labels === undefined) labels = uniqueLabels(t.values, p.values);
  else {
    if (options.labels.length === 0) throw new WasmlearnError('INVALID_PARAM', `${fn}: 'labels' should contain at least one label.`, { estimator: fn, field: 'labels' });
    labels = checkLabelList(options.labels, t.kind, fn);
    const inTrue = new Set(t.values);
    if (!labels.some((l) => inTrue.has(l))) {
      throw new WasmlearnError('INVALID_PARAM', `${fn}: At least one label specified must be in yTrue; got labels ${show(labels)}.`, { estimator: fn, field: 'labels' });
    }
  }
  const idx = new Map<Category, number>();
  labels.forEach((l, i) => idx.set(l, i));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < t.values.length; i++) {
    const a = idx.get(t.values[i]), b = idx.get(p.values[i]);
    if (a !== undefined && b !== undefined) matrix[a][b]++;
  }
  return { labels, matrix };
}
