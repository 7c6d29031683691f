/**
 * Types shared by the scoring handler, the server and the CLI.
 * @packageDocumentation
 */
import type { FrameInput } from '../core/frame.js';

/** One input column of a model signature (MLflow column-based signature). */
export interface SignatureInput {
  /** Column name. */
  name: string;
  /** MLflow data type: `double`, `long`, `string`, `boolean` (also `float`, `integer`). */
  type: string;
  /** False when the column may be absent (MLflow `required: false`); default `true`. */
  required?: boolean;
}

/** The input schema a model was saved with, or `null` when it has none. */
export interface ModelSignature {
  inputs: readonly SignatureInput[];
}

/** A row-major matrix of probabilities (`Matrix` from `src/core/matrix.ts` fits). */
export interface ProbaMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/**
 * What the server needs from a model: a fitted wasmlearn `Pipeline` (from `loadModel`)
 * satisfies it; so does any object with the same methods.
 */
export interface ScoringModel {
  /** Labels for each row. */
  predict(X: FrameInput): ArrayLike<number | string>;
  /** Class probabilities, one row per input row, columns in `classes_` order. */
  predictProba?(X: FrameInput): ProbaMatrix;
  /** Class labels of the final classifier (for `proba_<class>` columns). */
  readonly classes_?: readonly (number | string)[];
  /** Input schema enforced on every request, MLflow style; `null`/absent = none. */
  readonly signature_?: ModelSignature | null;
}

/** Which model method answers a scoring request (MLmodel `predict_fn`). */
export type PredictFn = 'predict' | 'predict_proba';

/**
 * A drift monitor attached to a server (`DriftMonitor` of the monitoring module fits):
 * `latest()` returns its most recent figures, whose numeric (and boolean) leaves are
 * published on `/metrics` as gauges; `observe(frame, predictions)`, when present, is
 * handed each scored batch (after signature enforcement) with its predicted labels or
 * probabilities. Neither may fail a request: failures are counted and ignored.
 */
export interface ScoringMonitor {
  /** The monitor's latest figures, e.g. `{ last: { driftShare: 0.1 } }` → `wasmlearn_monitor_last_drift_share`. */
  latest(): object;
  /** Receives each scored batch; optional. */
  observe?(X: FrameInput, predictions?: { labels?: ArrayLike<unknown>; proba?: ProbaMatrix }): void;
}

/** One access-log entry, written as one JSON line. */
export interface AccessLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytesIn: number;
  bytesOut: number;
  rows?: number;
  errorCode?: string;
  remote?: string;
}

/** Where access-log lines go: a writable stream, or a function receiving each entry. */
export type AccessLog = { write(line: string): unknown } | ((entry: AccessLogEntry) => void);
