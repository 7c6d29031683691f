import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, type Category, type ColumnsInput, type FrameInput, type Scalar } from '../core/frame.js';
import { Matrix, checkOut, intoOut } from '../core/matrix.js';
import { isClassifier, isTransformer, type Classifier, type Estimator, type EstimatorDocument, type Labels, type ScoreOptions, type Transformer } from '../core/estimator.js';
import { checkStepNames, requireRows } from '../core/base.js';
import { frameToMatrix } from '../preprocessing/util.js';
import { LogisticRegression, labelsFromScores } from '../linear-model/logistic-regression.js';
import { ScoringPlan } from './plan.js';

export type StepSpec = Estimator | 'passthrough';
export type Step = readonly [name: string, estimator: StepSpec];

/** Input columns and types a fitted model reads (MLflow's column-based signature). */
export interface Signature {
  inputs: { name: string; type: 'double' | 'long' | 'string' | 'boolean' }[];
}

/**
 * A chain of transformers ending in any estimator: `fit` fits each step on the output
 * of the previous one; `predict` / `predictProba` transform through the chain and ask
 * the last step.
 *
 * Once fitted (or loaded), a pipeline whose steps are the built-in preprocessing
 * estimators followed by LogisticRegression is compiled into one fused WebAssembly
 * scoring plan: imputation, scaling, one-hot lookup and the linear model run per row
 * in one pass, with no one-hot matrix and no per-row JS allocation. Results equal the
 * step-by-step path. `predictProbaRow(row)` is the cheap single-row path.
 *
 * Steps are fitted in place (`namedSteps` holds them), as scikit-learn.
 * Fitted state: `classes_`, `signature_`, `nFeaturesIn_`, `featureNamesIn_`.
 * scikit-learn: `sklearn.pipeline.Pipeline`.
 *
 * @example
 * const clf = new Pipeline([['scaler', new StandardScaler()], ['lr', new LogisticRegression()]]);
 * clf.fit({ x: [0, 1, 2, 3] }, [0, 0, 1, 1]).predict({ x: [3] }); // => [1]
 */
export class Pipeline implements Transformer, Classifier {
  readonly params: Readonly<{ steps: readonly Step[] }>;
  #signature: Signature | null = null;
  #fittedFlag = false;
  #plan: ScoringPlan | null | undefined;

  constructor(steps: readonly Step[] = []) {
    this.params = Object.freeze({ steps });
  }

  /** Steps by name. */
  get namedSteps(): Record<string, StepSpec> { return Object.fromEntries(this.params.steps.map(([n, e]) => [n, e])); }
  get steps(): readonly Step[] { return this.params.steps; }
  get isFitted(): boolean {
    return this.#fittedFlag || (this.params.steps.length > 0 && this.params.steps.every(([, e]) => e === 'passthrough' || e.isFitted));
  }
  /** The input signature recorded at fit (or loaded), or null. */
  get signature_(): Signature | null { return this.#signature; }
  get classes_(): Category[] { return this.#final('classes_').classes_; }
  get nFeaturesIn_(): number { return (this.#first() as unknown as { nFeaturesIn_: number }).nFeaturesIn_; }
  get featureNamesIn_(): string[] | null { return (this.#first() as unknown as { featureNamesIn_: string[] | null }).featureNamesIn_; }

  #validate(): void {
    const steps = this.params.steps;
    if (!Array.isArray(steps) || steps.length === 0) throw errors.invalidParam('Pipeline', 'steps', 'a non-empty array of [name, estimator]', steps);
    steps.forEach((s, i) => { if (!Array.isArray(s) || s.length !== 2) throw errors.invalidParam('Pipeline', `steps[${i}]`, 'a [name, estimator] pair', s); });
    checkStepNames(steps.map((s) => s[0]), 'Pipeline');
    steps.slice(0, -1).forEach(([name, e]) => {
      if (e !== 'passthrough' && !isTransformer(e)) {
        throw new WasmlearnError('INVALID_PARAM',
          `All intermediate steps should be transformers and implement fit and transform or be 'passthrough': ${show(name)} doesn't.`, { estimator: 'Pipeline', field: name });
      }
    });
    const last = steps[steps.length - 1][1];
    if (last !== 'passthrough' && (typeof last !== 'object' || typeof last.fit !== 'function')) {
      throw new WasmlearnError('INVALID_PARAM', `The last step of a Pipeline must implement fit or be 'passthrough'; ${show(steps[steps.length - 1][0])} doesn't.`, { estimator: 'Pipeline' });
    }
  }

  #first(): Estimator {
    const e = this.params.steps.find(([, s]) => s !== 'passthrough');
    if (!e || !this.isFitted) throw errors.notFitted('Pipeline');
    return e[1] as Estimator;
  }

  #final<K extends string>(what: K): Classifier {
    if (!this.isFitted) throw errors.notFitted('Pipeline');
    const last = this.params.steps[this.params.steps.length - 1][1];
    if (!isClassifier(last)) throw new WasmlearnError('UNSUPPORTED', `The last step of this Pipeline has no ${what}.`, { estimator: 'Pipeline' });
    return last;
  }

  /** @internal Non-passthrough steps (for plan compilation). */
  get _activeSteps(): [string, Transformer | 'passthrough'][] {
    return this.params.steps.map(([n, e]) => [n, e as Transformer | 'passthrough']);
  }

  fit(X: FrameInput, y?: Labels): this {
    this.#validate();
    this.#dropPlan();
    const frame = Frame.from(X);
    requireRows(frame, 'Pipeline');
    let cur = frame;
    const steps = this.params.steps;
    for (let i = 0; i < steps.length - 1; i++) {
      const e = steps[i][1];
      if (e !== 'passthrough') cur = (e as Transformer).fitTransformFrame(cur, y);
    }
    const last = steps[steps.length - 1][1];
    if (last !== 'passthrough') last.fit(cur, y);
    this.#signature = signatureOf(frame);
    this.#fittedFlag = true;
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    this.fit(X, y);
    return this.transformFrame(X);
  }

  #transformUntil(frame: Frame, end: number): Frame {
    let cur = frame;
    for (let i = 0; i < end; i++) {
      const e = this.params.steps[i][1];
      if (e !== 'passthrough') cur = (e as Transformer).transformFrame(cur);
    }
    return cur;
  }

  /** Runs every step's transform (the last step must be a transformer or 'passthrough'). */
  transformFrame(X: FrameInput): Frame {
    if (!this.isFitted) throw errors.notFitted('Pipeline');
    const last = this.params.steps[this.params.steps.length - 1][1];
    if (last !== 'passthrough' && !isTransformer(last)) {
      throw new WasmlearnError('UNSUPPORTED', `The last step of this Pipeline (${show(this.params.steps[this.params.steps.length - 1][0])}) has no transform; use pipeline.slice(0, -1).transform(X) for the preprocessed features.`, { estimator: 'Pipeline' });
    }
    return this.#transformUntil(Frame.from(X), this.params.steps.length);
  }

  transform(X: FrameInput): Matrix { return frameToMatrix(this.transformFrame(X), 'Pipeline'); }

  /** A pipeline of steps [start, end) sharing the fitted steps (scikit-learn's `pipeline[:-1]`). */
  slice(start: number, end?: number): Pipeline {
    const p = new Pipeline(this.params.steps.slice(start, end));
    if (this.isFitted) p.#fittedFlag = true;
    return p;
  }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    let names = inputFeatures ? [...inputFeatures] : undefined;
    for (const [, e] of this.params.steps) {
      if (e === 'passthrough') continue;
      if (!isTransformer(e)) break;
      names = e.getFeatureNamesOut(names);
    }
    if (!names) throw errors.notFitted('Pipeline');
    return names;
  }

  #getPlan(): ScoringPlan | null {
    if (this.#plan !== undefined) return this.#plan;
    const steps = this.params.steps;
    const last = steps[steps.length - 1][1];
    const first = this.#first() as unknown as { featureNamesIn_: string[] | null };
    // A lone classifier scores directly; the plan pays off (and is used) when there is preprocessing to fuse.
    this.#plan = last instanceof LogisticRegression && first.featureNamesIn_ && steps.length > 1
      ? ScoringPlan.compile(steps.slice(0, -1).map(([, e]) => e as Transformer | 'passthrough'), last, first.featureNamesIn_)
      : null;
    return this.#plan;
  }

  #dropPlan(): void {
    this.#plan?.dispose();
    this.#plan = undefined;
  }

  /** The input as a frame; row objects scored by a compiled plan skip the generic conversion. */
  #frame(X: FrameInput): Frame {
    if (Array.isArray(X) && X.length > 0 && !Array.isArray(X[0]) && !ArrayBuffer.isView(X[0])) {
      const f = this.#getPlan()?.rowsFrame(X);
      if (f) return f;
    }
    return Frame.from(X);
  }

  /** Scores an object of Float64Array columns straight through the plan (see ScoringPlan.runColumns); null: take the general path. */
  #columnsFast(X: FrameInput, output: 'proba' | 'decision', options: ScoreOptions | undefined, where: string): Matrix | null {
    if (X === null || typeof X !== 'object' || Array.isArray(X) || X instanceof Frame) return null;
    const plan = this.#getPlan();
    if (!plan) return null;
    return plan.runColumns(X as ColumnsInput, output, (n) => checkOut(options, n, output === 'proba' ? plan.nOut : plan.k, where));
  }

  /** Whether scoring uses the fused WebAssembly plan (true for the built-in estimators + LogisticRegression). */
  get isCompiled(): boolean { return this.#getPlan() !== null; }

  /**
   * Class probabilities, n x max(k, 2) in `classes_` order. `options.out`: a Float64Array
   * of exactly that size to write into (no allocation per call).
   */
  predictProba(X: FrameInput, options?: ScoreOptions): Matrix {
    const final = this.#final('predictProba');
    const direct = this.#columnsFast(X, 'proba', options, 'Pipeline.predictProba');
    if (direct) return direct;
    const frame = this.#frame(X);
    const plan = frame.hasNames ? this.#getPlan() : null;
    if (plan) return plan.run(frame, 'proba', checkOut(options, frame.nRows, plan.nOut, 'Pipeline.predictProba'));
    return intoOut(final.predictProba(this.#transformUntil(frame, this.params.steps.length - 1)), options, 'Pipeline.predictProba');
  }

  /** Decision values, n x 1 for two classes, n x k otherwise; `options.out` as predictProba. */
  decisionFunction(X: FrameInput, options?: ScoreOptions): Matrix {
    const final = this.#final('decisionFunction');
    const direct = this.#columnsFast(X, 'decision', options, 'Pipeline.decisionFunction');
    if (direct) return direct;
    const frame = this.#frame(X);
    const plan = frame.hasNames ? this.#getPlan() : null;
    if (plan) return plan.run(frame, 'decision', checkOut(options, frame.nRows, plan.k, 'Pipeline.decisionFunction'));
    return intoOut(final.decisionFunction(this.#transformUntil(frame, this.params.steps.length - 1)), options, 'Pipeline.decisionFunction');
  }

  predict(X: FrameInput): Category[] {
    const final = this.#final('predict');
    const frame = this.#frame(X);
    const plan = frame.hasNames ? this.#getPlan() : null;
    if (plan) return labelsFromScores(plan.run(frame, 'decision').data, plan.k, plan.classes);
    return final.predict(this.#transformUntil(frame, this.params.steps.length - 1));
  }

  /**
   * Probabilities for one row object, without building a frame: the documented cheap
   * single-row path. Returns a reused Float64Array of length max(k, 2) in `classes_`
   * order; copy it if you keep it. Falls back to `predictProba([row])` for pipelines
   * that do not compile.
   */
  predictProbaRow(row: Readonly<Record<string, Scalar>>): Float64Array {
    const final = this.#final('predictProba');
    if (row === null || typeof row !== 'object') throw new WasmlearnError('INVALID_INPUT', `predictProbaRow expects a row object; got ${show(row)}.`);
    const plan = this.#getPlan();
    if (plan) return plan.runRow(row, 'proba');
    return final.predictProba(this.#transformUntil(Frame.from([row as Record<string, Scalar>]), this.params.steps.length - 1)).data;
  }

  /** Class label for one row object (single-row path). */
  predictRow(row: Readonly<Record<string, Scalar>>): Category {
    const p = this.predictProbaRow(row);
    const classes = this.classes_;
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return classes[best];
  }

  /** Frees the compiled plan's WebAssembly memory (the pipeline stays usable; it recompiles on demand). */
  dispose(): void { this.#dropPlan(); }

  clone(): Pipeline {
    return new Pipeline(this.params.steps.map(([n, e]) => [n, e === 'passthrough' ? e : e.clone()] as Step));
  }

  toJSON(): EstimatorDocument {
    return {
      type: 'Pipeline', version: 1,
      params: { steps: this.params.steps.map(([n, e]) => [n, e === 'passthrough' ? e : e.toJSON()]) },
      state: this.isFitted ? { signature: this.#signature } : null,
    };
  }

  /** @internal */
  static fromState(steps: readonly Step[], signature: Signature | null): Pipeline {
    const p = new Pipeline(steps);
    p.#signature = signature;
    p.#fittedFlag = true;
    return p;
  }
}

/** Signature of a frame: numeric → double, string columns → string. */
export function signatureOf(frame: Frame): Signature | null {
  if (!frame.hasNames) return null;
  return {
    inputs: frame.columns.map((c) => ({
      name: c.name,
      type: c.kind === 'numeric' || c.dictionary.every((v) => typeof v === 'number') ? 'double' as const : 'string' as const,
    })),
  };
}
