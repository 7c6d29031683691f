import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, numericValues, type Category, type Column, type FrameInput } from '../core/frame.js';
import { Matrix, intoOut } from '../core/matrix.js';
import type { Classifier, EstimatorDocument, Labels, ScoreOptions } from '../core/estimator.js';
import { inputStateOf, requireRows, selectInput, sortedUnique, toLabels, type InputState } from '../core/base.js';
import { badField, decodeCategory, decodeF64, encodeCategory, expectArray, expectInt } from '../core/json.js';
import { kernels } from '../kernels/index.js';
import { lbfgs } from './lbfgs.js';
import { warnOnce } from '../core/warn.js';

export interface LogisticRegressionOptions {
  /** `'l2'` (default) or `'none'`. scikit-learn: `penalty`. */
  penalty?: 'l2' | 'none';
  /** Inverse regularisation strength, > 0 (default 1). scikit-learn: `C`. */
  C?: number;
  /** Fit an intercept (default true; never penalised). scikit-learn: `fit_intercept`. */
  fitIntercept?: boolean;
  /** Maximum L-BFGS iterations (default 100). scikit-learn: `max_iter`. */
  maxIter?: number;
  /** Stop when max |gradient| of the mean loss <= tol (default 1e-4). scikit-learn: `tol`. */
  tol?: number;
  /** `'auto'` (default: binary for 2 classes, multinomial otherwise), `'multinomial'`, or `'ovr'` (scoring of loaded models only). scikit-learn: `multi_class`. */
  multiClass?: 'auto' | 'multinomial' | 'ovr';
}

interface LrState extends InputState {
  classes: Category[];
  /** k x d, row-major; k = 1 for a binary model. */
  coef: Float64Array;
  intercept: Float64Array;
  k: number;
  nIter: number[];
  /** How probabilities are formed: logistic of one score, softmax, or one-vs-rest normalised. */
  link: 'binary' | 'softmax' | 'ovr';
}

/**
 * Logistic regression (binary and multinomial) with an L2 penalty, fitted with L-BFGS.
 *
 * Objective as scikit-learn ≥ 1.1 `lbfgs`: mean half log-loss + ‖W‖² / (2·C·n), intercept
 * not penalised; two classes use one score and the logistic function, more classes the
 * softmax over one score per class. The O(n·d·k) loss and gradient run in WebAssembly.
 *
 * Fitted state: `classes_`, `coef_` (k x d Matrix), `intercept_`, `nIter_`, `nFeaturesIn_`,
 * `featureNamesIn_`. A fit that hits `maxIter` warns once, as scikit-learn's
 * ConvergenceWarning, with the remedy.
 * scikit-learn: `sklearn.linear_model.LogisticRegression(solver='lbfgs')`.
 *
 * @example
 * const lr = new LogisticRegression().fit({ x: [0, 1, 2, 3] }, [0, 0, 1, 1]);
 * lr.predict({ x: [3] }); // => [1]
 */
export class LogisticRegression implements Classifier {
  readonly params: Readonly<Required<LogisticRegressionOptions>>;
  #state?: LrState;

  constructor(options: LogisticRegressionOptions = {}) {
    this.params = Object.freeze({ penalty: 'l2', C: 1, fitIntercept: true, maxIter: 100, tol: 1e-4, multiClass: 'auto', ...options }) as Readonly<Required<LogisticRegressionOptions>>;
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  get classes_(): Category[] { return [...this.#fitted().classes]; }
  /** Coefficients, k x nFeatures (k = 1 for two classes). */
  get coef_(): Matrix { const s = this.#fitted(); return new Matrix(s.k, s.nFeaturesIn, s.coef.slice()); }
  get intercept_(): Float64Array { return this.#fitted().intercept.slice(); }
  get nIter_(): number[] { return [...this.#fitted().nIter]; }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }

  #fitted(): LrState {
    if (!this.#state) throw errors.notFitted('LogisticRegression');
    return this.#state;
  }

  fit(X: FrameInput, y?: Labels): this {
    const { penalty, C, fitIntercept, maxIter, tol, multiClass } = this.params;
    if (penalty !== 'l2' && penalty !== 'none') throw errors.invalidParam('LogisticRegression', 'penalty', "'l2' or 'none'", penalty);
    if (typeof C !== 'number' || !(C > 0) || !Number.isFinite(C)) throw errors.invalidParam('LogisticRegression', 'C', 'a positive finite number', C);
    if (!Number.isInteger(maxIter) || maxIter < 0) throw errors.invalidParam('LogisticRegression', 'maxIter', 'a non-negative integer', maxIter);
    if (typeof tol !== 'number' || !(tol >= 0)) throw errors.invalidParam('LogisticRegression', 'tol', 'a non-negative number', tol);
    if (typeof fitIntercept !== 'boolean') throw errors.invalidParam('LogisticRegression', 'fitIntercept', 'a boolean', fitIntercept);
    if (multiClass === 'ovr') throw errors.unsupported("LogisticRegression multiClass: 'ovr' can be loaded and scored but not fitted; use 'auto' or 'multinomial'.", { estimator: 'LogisticRegression' });
    if (multiClass !== 'auto' && multiClass !== 'multinomial') throw errors.invalidParam('LogisticRegression', 'multiClass', "'auto', 'multinomial' or 'ovr'", multiClass);
    const frame = Frame.from(X);
    requireRows(frame, 'LogisticRegression');
    // finite numbers in a typed array are used as they are; anything else goes through
    // toLabels (validation, error messages, booleans)
    const labels = typedLabels(y, frame.nRows) ?? toLabels(y, frame.nRows, 'LogisticRegression');
    const { classes, codes: yv } = classCodes(labels);
    if (classes.length < 2) {
      throw new WasmlearnError('SINGLE_CLASS',
        `This solver needs samples of at least 2 classes in the data, but the data contains only one class: ${show(classes[0])}.`,
        { estimator: 'LogisticRegression', field: 'y' });
    }
    const n = frame.nRows, d = frame.nCols;
    const multinomial = classes.length > 2 || multiClass === 'multinomial';
    const k = multinomial ? classes.length : 1;
    // Diagonal preconditioning: optimise over w'_j = s_j·w_j, s_j = 2·sqrt(rms_j² / 4 + l2)
    // = sqrt(rms_j² + 4·l2): twice the square root of a bound on the Hessian's diagonal
    // (mean p(1-p)·x² <= rms²/4, plus the penalty), so ordinary columns behave as if they
    // had unit RMS. The problem and its optimum are the same — the penalty becomes
    // Σ (w'_j / s_j)² — but L-BFGS no longer stalls on unscaled columns (magnitudes
    // 1e-7..1e7). The data is never rescaled: the objective is evaluated at w = w' / s and
    // its gradient divided by s, O(d) work per evaluation. The stopping test is still
    // scikit-learn's: max |∂f/∂w| <= tol in the original scale.
    const l2 = penalty === 'l2' ? 1 / (C * n) : 0;
    const columns = frame.columns;
    const values = columns.map((c) => numericValues(c, 'LogisticRegression'));
    const obj = kernels().logisticObjective(values, n, yv, null, k);
    const w = d + 1;
    const scale = new Float64Array(d);
    let result;
    try {
      // the sums of squares give rms² and reveal NaN / ±Infinity (then the column is searched
      // for the first one, to name it)
      for (let j = 0; j < d; j++) {
        const ss = obj.sumSquares[j];
        if (!Number.isFinite(ss)) {
          const v = values[j];
          for (let i = 0; i < n; i++) if (v[i] - v[i] !== 0) throw errors.nonFinite(columns[j].name, i, v[i], 'LogisticRegression');
        }
        const s = Math.sqrt(ss / n + 4 * l2);
        scale[j] = s > 0 && Number.isFinite(s) ? s : 1;
      }
      // ∂f/∂w_j = s_j·∂f/∂w'_j: the gtol test on the original scale
      const gradScale = new Float64Array(k * w).fill(1);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) gradScale[c * w + j] = scale[j];
      const Wk = new Float64Array(k * w);
      result = lbfgs((W, g) => {
        for (let c = 0; c < k; c++) {
          for (let j = 0; j < d; j++) Wk[c * w + j] = W[c * w + j] / scale[j];
          if (!fitIntercept) W[c * w + d] = 0;
          Wk[c * w + d] = W[c * w + d];
        }
        let f = obj.evaluate(Wk, g) / n;
        for (let c = 0; c < k; c++) {
          for (let j = 0; j < d; j++) {
            const v = W[c * w + j], s = scale[j], r = l2 / (s * s);
            f += 0.5 * r * v * v;
            g[c * w + j] = g[c * w + j] / n / s + r * v;
          }
          g[c * w + d] = fitIntercept ? g[c * w + d] / n : 0;
        }
        return f;
        // ftol off: stop on the gradient (tol), as precisely as float64 allows for tight tol
      }, new Float64Array(k * w), { maxIter, gtol: tol, ftol: 0, gradScale });
    } finally {
      obj.dispose();
    }
    if (!result.converged) {
      warnOnce('lbfgs-convergence',
        `LogisticRegression: lbfgs failed to converge (${result.message}). Increase the number of iterations (maxIter) or scale the data.`);
    }
    const coef = new Float64Array(k * d), intercept = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) coef[c * d + j] = result.x[c * w + j] / scale[j];
      intercept[c] = fitIntercept ? result.x[c * w + d] : 0;
    }
    this.#state = { ...inputStateOf(frame), classes, coef, intercept, k, nIter: [result.nIter], link: multinomial ? 'softmax' : 'binary' };
    return this;
  }

  /** Decision values: n x 1 for two classes, n x k otherwise. */
  decisionFunction(X: FrameInput, options?: ScoreOptions): Matrix {
    if (options !== undefined) return intoOut(this.decisionFunction(X), options, 'LogisticRegression.decisionFunction');
    const st = this.#fitted();
    const frame = Frame.from(X);
    const n = frame.nRows, d = st.nFeaturesIn;
    const Xd = denseRows(selectInput(frame, st, 'LogisticRegression'), n, 'LogisticRegression');
    const W = new Float64Array(st.k * (d + 1));
    for (let c = 0; c < st.k; c++) {
      W.set(st.coef.subarray(c * d, (c + 1) * d), c * (d + 1));
      W[c * (d + 1) + d] = st.intercept[c];
    }
    return new Matrix(n, st.k, kernels().linearDecision(Xd, n, d, W, st.k));
  }

  /** Class probabilities, n x max(k, 2); `options.out`: a Float64Array of that size to write into. */
  predictProba(X: FrameInput, options?: ScoreOptions): Matrix {
    const st = this.#fitted();
    const z = this.decisionFunction(X);
    return intoOut(new Matrix(z.rows, Math.max(st.k, 2), probaFromScores(z.data, z.rows, st.k, st.link)), options, 'LogisticRegression.predictProba');
  }

  predict(X: FrameInput): Category[] {
    const st = this.#fitted();
    return labelsFromScores(this.decisionFunction(X).data, st.k, st.classes);
  }

  clone(): LogisticRegression { return new LogisticRegression(this.params); }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    const d = st?.nFeaturesIn ?? 0;
    return {
      type: 'LogisticRegression', version: 1, params: { ...this.params },
      state: st ? {
        classes: st.classes.map(encodeCategory),
        coef: Array.from({ length: st.k }, (_, c) => Array.from(st.coef.subarray(c * d, (c + 1) * d))),
        intercept: Array.from(st.intercept), nIter: st.nIter,
        nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn,
      } : null,
    };
  }

  /** @internal Fitted coefficients for compiling a scoring plan. */
  get _model(): Readonly<LrState> { return this.#fitted(); }

  /** @internal */
  static fromState(params: LogisticRegressionOptions, state: LrState): LogisticRegression {
    const e = new LogisticRegression(params);
    e.#state = state;
    return e;
  }

  static parseState(s: Record<string, unknown>, field: string, input: InputState, params: LogisticRegressionOptions): LrState {
    const rawClasses = expectArray(s.classes, `${field}.classes`);
    if (rawClasses.length < 2) throw badField(`${field}.classes`, 'expected at least 2 classes');
    const classes = rawClasses.map((v, i) => decodeCategory(v, `${field}.classes[${i}]`));
    expectArray(s.coef, `${field}.coef`);
    if (!Array.isArray(s.coef)) throw badField(`${field}.coef`, 'expected an array of rows');
    const multinomial = classes.length > 2 || params.multiClass === 'multinomial';
    const k = classes.length === 2 && !multinomial ? 1 : classes.length;
    if (s.coef.length !== k) throw badField(`${field}.coef`, `expected ${k} rows for ${classes.length} classes, got ${s.coef.length}`);
    const d = input.nFeaturesIn;
    const coef = new Float64Array(k * d);
    s.coef.forEach((row, c) => coef.set(decodeF64(row, `${field}.coef[${c}]`, d), c * d));
    const intercept = decodeF64(s.intercept, `${field}.intercept`, k);
    const nIter = Array.isArray(s.nIter) ? expectArray(s.nIter, `${field}.nIter`, undefined, 1000).map((v, i) => expectInt(v, `${field}.nIter[${i}]`)) : [];
    const link = k === 1 ? 'binary' : params.multiClass === 'ovr' ? 'ovr' : 'softmax';
    return { ...input, classes, coef, intercept, k, nIter, link };
  }
}

/** y itself when it is a typed array of n finite numbers (no copy into a label array), else null. */
function typedLabels(y: Labels | undefined, n: number): ArrayLike<number> | null {
  if (!ArrayBuffer.isView(y) || y instanceof DataView) return null;
  const a = y as unknown as ArrayLike<unknown>;
  if (a.length !== n) return null;
  for (let i = 0; i < n; i++) { const v = a[i]; if (typeof v !== 'number' || !Number.isFinite(v)) return null; }
  return a as ArrayLike<number>;
}

/** Labels below this that are non-negative integers are counted in a table, not a Set / Map. */
const SMALL_LABEL = 1024;

/**
 * Sorted classes (as sortedUnique) and each row's class index. Integer labels 0..1023
 * (the usual 0/1 or 0..K-1 targets) are found through a table; others through a Set and
 * a Map, far slower per row.
 */
function classCodes(labels: ArrayLike<Category>): { classes: Category[]; codes: Float64Array } {
  const n = labels.length;
  const seen = new Uint8Array(SMALL_LABEL);
  let others: Set<Category> | null = null;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < SMALL_LABEL) seen[v] = 1;
    else (others ??= new Set()).add(v);
  }
  const distinct: Category[] = [];
  for (let v = 0; v < SMALL_LABEL; v++) if (seen[v]) distinct.push(v);
  if (others) for (const v of others) distinct.push(v);
  const classes = sortedUnique(distinct, 'y', 'LogisticRegression');
  const table = new Float64Array(SMALL_LABEL);
  const index = new Map<Category, number>();
  classes.forEach((c, i) => { if (typeof c === 'number' && (c | 0) === c && c >= 0 && c < SMALL_LABEL) table[c] = i; else index.set(c, i); });
  const codes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    codes[i] = typeof v === 'number' && (v | 0) === v && v >= 0 && v < SMALL_LABEL ? table[v] : index.get(v)!;
  }
  return { classes, codes };
}

/** Row-major n x d float64 matrix from numeric columns; rejects NaN / ±Infinity naming column and row. */
export function denseRows(cols: readonly Column[], n: number, estimator: string): Float64Array {
  const d = cols.length;
  const out = new Float64Array(n * d);
  cols.forEach((c, j) => {
    const v = numericValues(c, estimator);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x - x !== 0) throw errors.nonFinite(c.name, i, x, estimator);
      out[i * d + j] = x;
    }
  });
  return out;
}

/** Probabilities from decision values (scikit-learn's `_predict_proba_lr` for ovr). */
export function probaFromScores(z: Float64Array, n: number, k: number, link: 'binary' | 'softmax' | 'ovr'): Float64Array {
  if (link !== 'ovr') return kernels().probaFromDecision(z, n, k);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) { const v = z[i * k + c]; const p = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); out[i * k + c] = p; s += p; }
    for (let c = 0; c < k; c++) out[i * k + c] /= s;
  }
  return out;
}

/** Class labels from decision values: score > 0 for binary, first argmax otherwise. */
export function labelsFromScores(z: Float64Array, k: number, classes: readonly Category[]): Category[] {
  const n = z.length / k;
  const out: Category[] = new Array(n);
  if (k === 1) { for (let i = 0; i < n; i++) out[i] = classes[z[i] > 0 ? 1 : 0]; return out; }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
    out[i] = classes[best];
  }
  return out;
}
