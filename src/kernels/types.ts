/**
 * The numeric core as an interface, with two implementations: WebAssembly
 * (src/wasm/kernels.ts, the default) and plain TypeScript (reference.ts, the test
 * oracle and benchmark baseline). Estimators call kernels, never WebAssembly.
 * All arrays are caller-owned; kernels never keep references to them.
 */
export interface ColumnStats {
  /** Non-missing values. */
  count: number;
  /** Mean of the non-missing values (NaN when count = 0). */
  mean: number;
  /** Population variance (ddof = 0) of the non-missing values (NaN when count = 0). */
  variance: number;
}

/** Logistic-regression objective over data held by the kernels (copied in once). */
export interface LogisticObjective {
  /**
   * Sum of squares of each column of the design matrix (computed once, from the data
   * copied in); non-finite when the column holds NaN or ±Infinity (or when the sum overflows).
   */
  readonly sumSquares: Float64Array;
  /**
   * Sample-weighted sum of the half log-loss at W (k rows of d + 1: weights, then the
   * intercept); fills grad (same layout as W).
   */
  evaluate(W: Float64Array, grad: Float64Array): number;
  /** Frees the copied data. */
  dispose(): void;
}

/** One term of a fused scoring plan (see assembly/score.ts). */
export type PlanTerm =
  | {
      kind: 'numeric';
      /** Index of the input slot (a Float64Array column). */
      input: number;
      /** f = isNaN(x) ? nanValue : (x - sub) / div */
      sub: number;
      /**
       * A derived column: x is `input op input2` computed in the pass (a declared
       * FunctionTransformer expression). op: 0 div, 1 mul, 2 add, 3 sub.
       */
      expr?: { op: 0 | 1 | 2 | 3; input2: number };
      div: number;
      nanValue: number;
      /** k weights. */
      weights: Float64Array;
    }
  | {
      kind: 'categoryValues';
      /** Index of the input slot (a Float64Array column of category values). */
      input: number;
      /** Ascending, finite category values. */
      categories: Float64Array;
      /** Category index used for NaN input, or -1 for "unknown". */
      nanIndex: number;
      /** categories.length x k weights, row-major. */
      weights: Float64Array;
      unknownIsError: boolean;
    }
  | {
      kind: 'categoryCodes';
      /** Index of the input slot (an Int32Array of category indices; -1 = unknown). */
      input: number;
      nCategories: number;
      weights: Float64Array;
      unknownIsError: boolean;
    };

export interface PlanSpec {
  /** Number of input slots. */
  nInputs: number;
  /** Kind of each input slot. */
  inputKinds: ('f64' | 'i32')[];
  /** Number of decision values: 1 (binary) or the number of classes. */
  k: number;
  intercept: Float64Array;
  terms: PlanTerm[];
}

export type PlanFailure = { status: 'nonFinite'; row: number } | { status: 'unknownCategory'; row: number; term: number };

export interface CompiledPlan {
  /**
   * Scores nRows rows. `out` receives decision values (n x k) or probabilities
   * (n x max(k, 2)), row-major. Returns null on success, or where it stopped.
   */
  run(inputs: readonly (Float64Array | Int32Array)[], nRows: number, output: 'decision' | 'proba', out: Float64Array): PlanFailure | null;
  /**
   * Scores one row whose slot values are given in one array (i32 slots as numbers);
   * allocation-free, for the single-row path.
   */
  runOne(values: Float64Array, output: 'decision' | 'proba', out: Float64Array): PlanFailure | null;
  dispose(): void;
}

export interface Kernels {
  readonly name: 'wasm' | 'reference';
  colStats(x: Float64Array): ColumnStats;
  /** New array: missing (NaN) replaced by fill. */
  fillMissing(x: Float64Array, fill: number): Float64Array;
  /** New array: (x - sub) / div elementwise, in that order. */
  subDiv(x: Float64Array, sub: number, div: number): Float64Array;
  /** Index of each value in ascending `categories` (NaN allowed as the last entry), -1 if absent. */
  lookupSorted(x: Float64Array, categories: Float64Array): Int32Array;
  /**
   * Logistic-regression objective over the design matrix whose columns are `columns`
   * (n values each); y holds class indices, k = 1 (binary) or the number of classes.
   */
  logisticObjective(columns: readonly Float64Array[], n: number, y: Float64Array, sampleWeight: Float64Array | null, k: number): LogisticObjective;
  /** X (n x d) times W^T plus intercept, W as k rows of (d + 1). */
  linearDecision(X: Float64Array, n: number, d: number, W: Float64Array, k: number): Float64Array;
  /** Probabilities from decision values (k = 1: n x 2 via expit; else softmax). */
  probaFromDecision(z: Float64Array, n: number, k: number): Float64Array;
  compilePlan(spec: PlanSpec): CompiledPlan;
}
