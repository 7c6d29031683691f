/**
 * The one error type of wasmlearn. Every public entry point throws a `WasmlearnError`
 * whose `code` is stable (switch on it) and whose message says what failed, where
 * (column / row / field) and how to fix it. All messages are built in this module.
 */
export type ErrorCode =
  | 'NOT_FITTED'
  | 'INVALID_INPUT'
  | 'EMPTY_INPUT'
  | 'MISSING_COLUMN'
  | 'COLUMN_TYPE'
  | 'LENGTH_MISMATCH'
  | 'FEATURE_MISMATCH'
  | 'UNKNOWN_CATEGORY'
  | 'NON_FINITE'
  | 'MISSING_VALUE'
  | 'INVALID_PARAM'
  | 'SINGLE_CLASS'
  | 'INVALID_MODEL'
  | 'UNSUPPORTED'
  | 'NOT_REGISTERED'
  | 'UNSAFE_PICKLE'
  | 'WASM_NOT_READY'
  | 'SCHEMA_MISMATCH'
  | 'INTERNAL';

export interface ErrorDetails {
  /** Column name at fault, when there is one. */
  column?: string;
  /** Zero-based row index at fault, when there is one. */
  row?: number;
  /** Field path in a document (`model.steps[1].state.coef_`), when there is one. */
  field?: string;
  /** Estimator or function that raised it. */
  estimator?: string;
  [key: string]: unknown;
}

export class WasmlearnError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WasmlearnError';
    this.code = code;
    this.details = details;
  }
}

/** Short, unambiguous rendering of a value in a message: strings quoted, NaN spelled. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.slice(0, 8).map(show).join(', ')}${v.length > 8 ? ', ...' : ''}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length})`;
  if (typeof v === 'object') return 'object';
  return String(v);
}

/** Message builders: one table, so wording stays consistent. */
export const errors = {
  notFitted: (estimator: string) =>
    new WasmlearnError('NOT_FITTED',
      `This ${estimator} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.`,
      { estimator }),
  missingColumn: (column: string, available: readonly string[], estimator?: string) =>
    new WasmlearnError('MISSING_COLUMN',
      `Column ${show(column)} is missing from the input${estimator ? ` of ${estimator}` : ''}; ` +
      `the input has ${available.length} columns: ${show([...available])}.`,
      { column, estimator }),
  notNumeric: (column: string, row: number, value: unknown, estimator?: string) =>
    new WasmlearnError('COLUMN_TYPE',
      `Column ${show(column)} must be numeric${estimator ? ` for ${estimator}` : ''}, but row ${row} holds ${show(value)}. ` +
      `Convert the column to numbers, or route it to an encoder.`,
      { column, row, estimator }),
  badValue: (column: string, row: number, value: unknown) =>
    new WasmlearnError('COLUMN_TYPE',
      `Column ${show(column)} row ${row} holds a value of unsupported type (${typeof value}); ` +
      `expected a number, a string, a boolean, or null/undefined/NaN for missing.`,
      { column, row }),
  lengthMismatch: (what: string, expected: number, got: number, details: ErrorDetails = {}) =>
    new WasmlearnError('LENGTH_MISMATCH', `${what} has length ${got}, expected ${expected}.`, details),
  emptyInput: (estimator: string, what = 'input') =>
    new WasmlearnError('EMPTY_INPUT', `Found ${what} with 0 rows, while a minimum of 1 is required by ${estimator}.`, { estimator }),
  featureCount: (estimator: string, expected: number, got: number) =>
    new WasmlearnError('FEATURE_MISMATCH',
      `X has ${got} features, but ${estimator} is expecting ${expected} features as input.`, { estimator }),
  featureNames: (estimator: string, expected: readonly string[], got: readonly string[]) =>
    new WasmlearnError('FEATURE_MISMATCH',
      `The feature names should match those that were passed during fit (${estimator}): ` +
      `expected ${show([...expected])}, got ${show([...got])}.`, { estimator }),
  nonFinite: (column: string, row: number, value: number, estimator: string) =>
    new WasmlearnError(Number.isNaN(value) ? 'MISSING_VALUE' : 'NON_FINITE',
      `Input contains ${Number.isNaN(value) ? 'NaN (a missing value)' : show(value)} in column ${show(column)} at row ${row}, ` +
      `which ${estimator} does not accept. ${Number.isNaN(value) ? 'Add a SimpleImputer before it, or drop the rows with missing values.' : 'Remove or clip infinite values.'}`,
      { column, row, estimator }),
  unknownCategory: (column: string, row: number, value: unknown, estimator = 'OneHotEncoder') =>
    new WasmlearnError('UNKNOWN_CATEGORY',
      `Found unknown category ${show(value)} in column ${show(column)} at row ${row} during transform. ` +
      `Use handleUnknown: 'ignore' to encode unknown categories as all zeros.`,
      { column, row, estimator }),
  invalidParam: (estimator: string, param: string, allowed: string, got: unknown) =>
    new WasmlearnError('INVALID_PARAM',
      `The '${param}' parameter of ${estimator} must be ${allowed}. Got ${show(got)} instead.`, { estimator, field: param }),
  invalidModel: (field: string, problem: string) =>
    new WasmlearnError('INVALID_MODEL', `Invalid model document at ${field}: ${problem}.`, { field }),
  unsupported: (what: string, details: ErrorDetails = {}) => new WasmlearnError('UNSUPPORTED', what, details),
};
