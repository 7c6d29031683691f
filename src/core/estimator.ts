/**
 * The estimator contract (scikit-learn's, minus its machinery). Constructors store
 * options only; `fit` validates, learns, sets state in one statement and returns
 * `this`; fitted state is read through a guard that throws NOT_FITTED.
 */
import type { Category, Frame, FrameInput } from './frame.js';
import type { Matrix } from './matrix.js';

/** Estimator document (docs/model-format.md). */
export interface EstimatorDocument {
  type: string;
  version: number;
  params: Record<string, unknown>;
  state: Record<string, unknown> | null;
}

/** Labels: an array of numbers or strings (or a typed array of numbers). */
export type Labels = ArrayLike<Category> | Float64Array | Int32Array;

export interface Estimator {
  readonly params: Readonly<Record<string, unknown>>;
  /** Learns from X (and y for supervised estimators); returns this. */
  fit(X: FrameInput, y?: Labels): this;
  /** True once fitted (or loaded fitted). */
  readonly isFitted: boolean;
  /** An unfitted copy with the same params. */
  clone(): Estimator;
  toJSON(): EstimatorDocument;
}

export interface Transformer extends Estimator {
  /** Transforms into a frame (keeps string columns, e.g. an imputer's output). */
  transformFrame(X: FrameInput): Frame;
  /** Transforms into a dense float64 matrix. */
  transform(X: FrameInput): Matrix;
  /** fit then transformFrame (composites override to avoid double work). */
  fitTransformFrame(X: FrameInput, y?: Labels): Frame;
  /** Output column names. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[];
  clone(): Transformer;
}

/** Options of predictProba / decisionFunction. */
export interface ScoreOptions {
  /**
   * Write the result into this array (row-major, exactly rows x columns values) instead
   * of allocating one; the returned Matrix wraps it. Saves the allocation per call in hot
   * loops. It must not share memory with the input columns.
   */
  out?: Float64Array;
}

export interface Classifier extends Estimator {
  readonly classes_: Category[];
  predict(X: FrameInput): Category[];
  predictProba(X: FrameInput, options?: ScoreOptions): Matrix;
  decisionFunction(X: FrameInput, options?: ScoreOptions): Matrix;
  clone(): Classifier;
}

export function isTransformer(e: unknown): e is Transformer {
  return typeof e === 'object' && e !== null && typeof (e as Transformer).fit === 'function' && typeof (e as Transformer).transformFrame === 'function';
}

export function isClassifier(e: unknown): e is Classifier {
  return typeof e === 'object' && e !== null && typeof (e as Classifier).predictProba === 'function';
}
