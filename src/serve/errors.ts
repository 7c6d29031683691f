/**
 * Scoring errors, shaped as MLflow's scoring server shapes them: a JSON body
 * `{"error_code": …, "message": …}` with the HTTP status MLflow gives that code.
 * @packageDocumentation
 */
import { WasmlearnError } from '../core/errors.js';

/** MLflow error codes the server answers with (mlflow/protos/databricks.proto). */
export type MlflowErrorCode =
  | 'BAD_REQUEST'
  | 'MALFORMED_REQUEST'
  | 'INVALID_PARAMETER_VALUE'
  | 'ENDPOINT_NOT_FOUND'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** HTTP status per code, as `mlflow.exceptions.ERROR_CODE_TO_HTTP_STATUS`. */
export const MLFLOW_HTTP_STATUS: Readonly<Record<MlflowErrorCode, number>> = {
  BAD_REQUEST: 400,
  MALFORMED_REQUEST: 400,
  INVALID_PARAMETER_VALUE: 400,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 429,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

/**
 * An error answered to the client. `status` defaults to MLflow's status for `errorCode`;
 * a few transport errors override it (413 for a body over the limit).
 *
 * @example
 * throw new ScoringError('BAD_REQUEST', 'Invalid input. Received a list.');
 * // => HTTP 400 {"error_code":"BAD_REQUEST","message":"Invalid input. Received a list."}
 */
export class ScoringError extends Error {
  readonly errorCode: MlflowErrorCode;
  readonly status: number;
  constructor(errorCode: MlflowErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ScoringError';
    this.errorCode = errorCode;
    this.status = options.status ?? MLFLOW_HTTP_STATUS[errorCode];
  }
}

/**
 * A reply that is not JSON: MLflow answers content-type problems with 415 and a
 * plain-text body, not an error document.
 */
export class PlainReply extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'PlainReply';
    this.status = status;
  }
}

/** MLflow's prefix for input it could not parse (`MlflowInvalidInputException`). */
export function invalidInput(message: string, cause?: unknown): ScoringError {
  return new ScoringError('BAD_REQUEST', `Invalid input. ${message}`, { cause });
}

/** Which MLflow code a model-side `WasmlearnError` maps to: schema problems are
 *  INVALID_PARAMETER_VALUE (MLflow's schema enforcement), the rest BAD_REQUEST
 *  (MLflow's answer to any exception raised by the model). */
export function mlflowCodeFor(err: WasmlearnError): MlflowErrorCode {
  switch (err.code) {
    case 'MISSING_COLUMN':
    case 'SCHEMA_MISMATCH':
    case 'FEATURE_MISMATCH':
      return 'INVALID_PARAMETER_VALUE';
    case 'INTERNAL':
    case 'WASM_NOT_READY':
      return 'INTERNAL_ERROR';
    default:
      return 'BAD_REQUEST';
  }
}

/**
 * Turns anything thrown while scoring into the error answered to the client. A
 * `WasmlearnError` keeps its message (it names the column and row); anything else
 * gets MLflow's generic message, and its details go only to the stack trace.
 */
export function toScoringError(err: unknown): ScoringError {
  if (err instanceof ScoringError) return err;
  if (err instanceof WasmlearnError) {
    const code = mlflowCodeFor(err);
    const prefix = code === 'INTERNAL_ERROR' ? '' : 'Failed to predict data. Error: ';
    return new ScoringError(code, `${prefix}${err.message}`, { cause: err });
  }
  return new ScoringError('BAD_REQUEST',
    'Encountered an unexpected error while evaluating the model. Verify that the serialized ' +
    'input Dataframe is compatible with the model for inference.', { cause: err });
}

/** The JSON body of an error reply; `stack_trace` only when `debug`. */
export function errorBody(err: ScoringError, debug: boolean): string {
  const body: Record<string, string> = { error_code: err.errorCode, message: err.message };
  if (debug) {
    const cause = err.cause instanceof Error ? err.cause : err;
    body.stack_trace = cause.stack ?? String(cause);
  }
  return JSON.stringify(body);
}
