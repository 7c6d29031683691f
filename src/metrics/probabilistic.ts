/**
 * Metrics over scores and probabilities with scikit-learn 1.2 semantics: ROC AUC,
 * log loss and the Brier score.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import type { Category } from '../core/frame.js';
import {
  checkLabelList, checkLabels, checkProba, checkProbability, checkScores, uniqueLabels,
  type LabelArray, type ProbaInput,
} from './labels.js';

/** Options of {@link rocAucScore}. */
export interface RocAucOptions {
  /**
   * Multiclass strategy (default `'raise'`, as scikit-learn: a multiclass target then
   * throws). `'ovr'`: one-vs-rest AUC per class from the probability matrix, macro-averaged.
   */
  multiClass?: 'raise' | 'ovr';
  /** Classes, in the order of the probability matrix's columns (default: sorted labels of yTrue). */
  labels?: LabelArray;
}

/** ROC AUC of binary 0/1 truth `y` against scores `s`, via the ROC curve and the trapezoid rule (as scikit-learn). */
function binaryAuc(y: Uint8Array, s: Float64Array): number {
  const n = s.length;
  const order = Array.from({ length: n }, (_, i) => i);
  // descending score; ties keep input order like numpy's stable mergesort on -score
  order.sort((a, b) => s[b] - s[a] || a - b);
  // points at distinct thresholds
  const tps: number[] = [0], fps: number[] = [0];
  let tp = 0, fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (y[i]) tp++; else fp++;
    if (k === n - 1 || s[order[k + 1]] !== s[i]) { tps.push(tp); fps.push(fp); }
  }
  // drop_intermediate: keep only corners of the curve (same rounding as scikit-learn)
  const keepT: number[] = [tps[0]], keepF: number[] = [fps[0]];
  for (let k = 1; k < tps.length - 1; k++) {
    const d2f = fps[k + 1] - 2 * fps[k] + fps[k - 1];
    const d2t = tps[k + 1] - 2 * tps[k] + tps[k - 1];
    if (d2f !== 0 || d2t !== 0) { keepT.push(tps[k]); keepF.push(fps[k]); }
  }
  if (tps.length > 1) { keepT.push(tps[tps.length - 1]); keepF.push(fps[fps.length - 1]); }
  const tpMax = keepT[keepT.length - 1], fpMax = keepF[keepF.length - 1];
  let area = 0;
  for (let k = 1; k < keepT.length; k++) {
    const dx = keepF[k] / fpMax - keepF[k - 1] / fpMax;
    area += (dx * (keepT[k] / tpMax + keepT[k - 1] / tpMax)) / 2;
  }
  return area;
}

/**
 * Area under the ROC curve. scikit-learn: `roc_auc_score`.
 *
 * Binary targets: `yScore` is the score of the greater label (sorted order: 1 for 0/1,
 * `'yes'` for `'no'`/`'yes'`); a two-column probability matrix is also accepted and its
 * second column used (scikit-learn only takes the 1-D form). Multiclass targets need
 * `multiClass: 'ovr'` and a probability matrix whose rows sum to 1 (one column per
 * class, in sorted label order or the order of `labels`); the result is the unweighted
 * mean of the one-vs-rest AUCs. Ties count one half. Cost O(n log n) per class.
 * @param yTrue - true labels
 * @param yScore - scores (binary) or a probability matrix (n x classes)
 * @param options - {@link RocAucOptions}
 * @returns the AUC in [0, 1]
 * @throws WasmlearnError `INVALID_INPUT` when yTrue holds a single class, or a multiclass target
 *   without `multiClass: 'ovr'`, or probability rows not summing to 1; `LENGTH_MISMATCH`; `NON_FINITE` scores
 * @example
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.75
 */
export function rocAucScore(yTrue: LabelArray, yScore: ArrayLike<number> | ProbaInput, options: RocAucOptions = {}): number {
  const fn = 'rocAucScore';
  const t = checkLabels(yTrue, 'yTrue', fn);
  const n = t.values.length;
  const present = uniqueLabels(t.values);
  const isMatrix = Array.isArray(yScore) ? Array.isArray(yScore[0]) || ArrayBuffer.isView(yScore[0])
    : typeof (yScore as { rows?: unknown }).rows === 'number';
  const multiClass = options.multiClass ?? 'raise';
  if (multiClass !== 'raise' && multiClass !== 'ovr') {
    throw new WasmlearnError('INVALID_PARAM', `The 'multiClass' parameter of ${fn} must be one of 'raise', 'ovr'. Got ${show(multiClass)} instead.`, { estimator: fn, field: 'multiClass' });
  }
  if (present.length <= 2 && options.labels === undefined) {
    if (present.length < 2) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: Only one class present in yTrue (${show(present[0])}). ROC AUC score is not defined in that case.`, { estimator: fn, field: 'yTrue' });
    }
    let s: Float64Array;
    if (isMatrix) {
      const m = checkProba(yScore as ProbaInput, n, fn, 'yScore');
      if (m.cols !== 2) throw new WasmlearnError('INVALID_INPUT', `${fn}: yTrue is binary but yScore has ${m.cols} columns; pass the positive-class scores, or a matrix with 2 columns.`, { estimator: fn, field: 'yScore' });
      s = new Float64Array(n);
      for (let i = 0; i < n; i++) s[i] = m.data[i * 2 + 1];
    } else s = checkScores(yScore as ArrayLike<number>, n, fn, 'yScore');
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) y[i] = t.values[i] === present[1] ? 1 : 0;
    return binaryAuc(y, s);
  }
  if (multiClass === 'raise') {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: yTrue is multiclass (${present.length} classes); pass multiClass: 'ovr' with a probability matrix.`, { estimator: fn, field: 'multiClass' });
  }
  if (!isMatrix) throw new WasmlearnError('INVALID_INPUT', `${fn}: multiclass ROC AUC needs a probability matrix (n x classes) as yScore, got a 1-D array.`, { estimator: fn, field: 'yScore' });
  const m = checkProba(yScore as ProbaInput, n, fn, 'yScore');
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m.cols; j++) sum += m.data[i * m.cols + j];
    if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5)) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes; row ${i} sums to ${sum}.`, { estimator: fn, field: 'yScore', row: i });
    }
  }
  let classes: Category[];
  if (options.labels !== undefined) {
    classes = checkLabelList(options.labels, t.kind, fn);
    const set = new Set(classes);
    const unknown = present.find((v) => !set.has(v));
    if (unknown !== undefined) throw new WasmlearnError('INVALID_INPUT', `${fn}: yTrue contains ${show(unknown)}, which is not in labels ${show(classes)}.`, { estimator: fn, field: 'labels' });
  } else classes = present;
  if (classes.length !== m.cols) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: Number of classes in yTrue (${classes.length}) not equal to the number of columns in yScore (${m.cols}).`, { estimator: fn, field: 'yScore' });
  }
  let total = 0;
  for (let j = 0; j < classes.length; j++) {
    const y = new Uint8Array(n), s = new Float64Array(n);
    let pos = 0;
    for (let i = 0; i < n; i++) { y[i] = t.values[i] === classes[j] ? 1 : 0; pos += y[i]; s[i] = m.data[i * m.cols + j]; }
    if (pos === 0 || pos === n) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: class ${show(classes[j])} has ${pos === 0 ? 'no' : 'only'} rows in yTrue; its one-vs-rest ROC AUC is not defined.`, { estimator: fn, field: 'yTrue' });
    }
    total += binaryAuc(y, s);
  }
  return total / classes.length;
}

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** Classes in the order of the probability columns (default: sorted labels of yTrue). */
  labels?: LabelArray;
  /** Clipping: probabilities are clipped to [eps, 1 - eps] (default `'auto'` = float64 machine epsilon, 2.220446049250313e-16, as scikit-learn 1.2). */
  eps?: number | 'auto';
}

/**
 * Mean cross-entropy loss. scikit-learn: `log_loss` (1.2): probabilities are clipped to
 * [eps, 1 - eps], each row is renormalised to sum to 1, and the loss is the mean of
 * -ln p(true class). A 1-D `proba` is the probability of the greater label of a binary target.
 * @param yTrue - true labels
 * @param proba - probabilities: 1-D (binary) or a matrix n x classes
 * @param options - {@link LogLossOptions}
 * @returns the mean log loss (natural log)
 * @throws WasmlearnError `INVALID_INPUT` for probabilities outside [0, 1], a single class
 *   without `labels`, or a column count that differs from the classes; `NON_FINITE` / `MISSING_VALUE` for non-finite probabilities
 * @example
 * logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]); // => 0.21616…
 */
export function logLoss(yTrue: LabelArray, proba: ArrayLike<number> | ProbaInput, options: LogLossOptions = {}): number {
  const fn = 'logLoss';
  const t = checkLabels(yTrue, 'yTrue', fn);
  const n = t.values.length;
  const epsOpt = options.eps ?? 'auto';
  const eps = epsOpt === 'auto' ? Number.EPSILON : epsOpt;
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) {
    throw new WasmlearnError('INVALID_PARAM', `The 'eps' parameter of ${fn} must be 'auto' or a number in [0, 0.5). Got ${show(epsOpt)} instead.`, { estimator: fn, field: 'eps' });
  }
  const classes = options.labels === undefined ? uniqueLabels(t.values) : uniqueLabels(checkLabelList(options.labels, t.kind, fn));
  if (classes.length === 1) {
    throw new WasmlearnError('INVALID_INPUT', options.labels === undefined
      ? `${fn}: yTrue contains only one label (${show(classes[0])}). Please provide the true labels explicitly through the labels argument.`
      : `${fn}: The labels array needs to contain at least two labels for logLoss, got ${show(classes)}.`, { estimator: fn, field: 'labels' });
  }
  const isMatrix = Array.isArray(proba) ? Array.isArray(proba[0]) || ArrayBuffer.isView(proba[0])
    : typeof (proba as { rows?: unknown }).rows === 'number';
  let cols: number, data: Float64Array;
  if (isMatrix) {
    const m = checkProba(proba as ProbaInput, n, fn, 'proba');
    cols = m.cols; data = m.data;
  } else {
    const p = proba as ArrayLike<number>;
    if (p === null || typeof p !== 'object' || typeof p.length !== 'number') {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: proba must be an array of probabilities or a matrix; got ${show(p)}.`, { estimator: fn, field: 'proba' });
    }
    if (p.length !== n) throw errors.lengthMismatch(`${fn}: proba`, n, p.length, { estimator: fn, field: 'proba' });
    cols = 2; data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      checkProbability(p[i], fn, 'proba', i);
      // clip before forming 1 - p, as scikit-learn does
      const c = Math.min(Math.max(p[i], eps), 1 - eps);
      data[2 * i] = 1 - c; data[2 * i + 1] = c;
    }
  }
  if (cols === 1) {
    const d2 = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { const c = Math.min(Math.max(data[i], eps), 1 - eps); d2[2 * i] = 1 - c; d2[2 * i + 1] = c; }
    cols = 2; data = d2;
  }
  if (classes.length !== cols) {
    throw new WasmlearnError('INVALID_INPUT', options.labels === undefined
      ? `${fn}: yTrue and proba contain different number of classes ${classes.length}, ${cols}. Please provide the true labels explicitly through the labels argument. Classes found in yTrue: ${show(classes)}.`
      : `${fn}: The number of classes in labels is different from that in proba (${cols} columns). Classes found in labels: ${show(classes)}.`,
    { estimator: fn, field: 'proba' });
  }
  const idx = new Map<Category, number>();
  classes.forEach((c, j) => idx.set(c, j));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = idx.get(t.values[i]);
    if (k === undefined) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: yTrue holds ${show(t.values[i])} at row ${i}, which is not in labels ${show(classes)}.`, { estimator: fn, row: i, field: 'yTrue' });
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.min(Math.max(data[i * cols + j], eps), 1 - eps);
    const pk = Math.min(Math.max(data[i * cols + k], eps), 1 - eps) / sum;
    total += -Math.log(pk);
  }
  return total / n;
}

/**
 * Mean squared difference between the predicted probability of the positive class
 * and the 0/1 outcome. scikit-learn: `brier_score_loss`.
 * @param yTrue - binary true labels
 * @param probPos - probability of the positive class per row, in [0, 1]
 * @param options - `posLabel`: the positive class (default: 1 when labels are within {0, 1} or {-1, 1}, else the greater numeric label; required for strings)
 * @returns the Brier score in [0, 1]
 * @throws WasmlearnError `INVALID_INPUT` for more than two classes, probabilities outside
 *   [0, 1], string labels without `posLabel`; `LENGTH_MISMATCH`; `NON_FINITE`
 * @example
 * brierScoreLoss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]); // => 0.0375
 */
export function brierScoreLoss(yTrue: LabelArray, probPos: ArrayLike<number>, options: { posLabel?: Category } = {}): number {
  const fn = 'brierScoreLoss';
  const t = checkLabels(yTrue, 'yTrue', fn);
  const n = t.values.length;
  const p = checkScores(probPos, n, fn, 'probPos');
  const classes = uniqueLabels(t.values);
  if (classes.length > 2) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: Only binary classification is supported. yTrue holds ${classes.length} classes: ${show(classes)}.`, { estimator: fn, field: 'yTrue' });
  }
  for (let i = 0; i < n; i++) checkProbability(p[i], fn, 'probPos', i);
  let pos = options.posLabel;
  if (pos === undefined) {
    if (t.kind === 'string') {
      throw new WasmlearnError('INVALID_PARAM', `${fn}: yTrue takes values in ${show(classes)} and posLabel is not specified: either make yTrue take values in {0, 1} or {-1, 1} or pass posLabel explicitly.`, { estimator: fn, field: 'posLabel' });
    }
    const standard = classes.every((c) => c === 0 || c === 1) || classes.every((c) => c === -1 || c === 1);
    pos = standard ? 1 : classes[classes.length - 1];
  }
  let s = 0;
  for (let i = 0; i < n; i++) { const d = (t.values[i] === pos ? 1 : 0) - p[i]; s += d * d; }
  return s / n;
}
