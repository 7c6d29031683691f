/**
 * Label handling shared by the evaluation metrics: validation of label arrays,
 * scikit-learn's `unique_labels` (sorted union) and probability checks.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import type { Category } from '../core/frame.js';

/** Labels as the metrics accept them: numbers or strings (not mixed), or a typed array of numbers. */
export type LabelArray = ArrayLike<Category>;

/** A probability matrix: the `Matrix` returned by `predictProba`, any `{ rows, cols, data }`, or nested arrays. */
export type ProbaInput = { rows: number; cols: number; data: ArrayLike<number> } | readonly (ArrayLike<number>)[];

/** Normalised, validated labels. */
export interface CheckedLabels {
  values: Category[];
  kind: 'number' | 'string';
}

/**
 * Validates a label array: non-empty (unless `allowEmpty`), no missing values, numbers
 * finite, numbers and strings not mixed. Booleans count as 0/1.
 * @internal
 */
export function checkLabels(y: LabelArray, name: string, fn: string): CheckedLabels {
  if (y === null || y === undefined || typeof (y as ArrayLike<unknown>).length !== 'number' || typeof y === 'string') {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: ${name} must be an array of labels (numbers or strings); got ${show(y)}.`, { estimator: fn, field: name });
  }
  const n = y.length;
  if (n === 0) throw errors.emptyInput(fn, `${name}`);
  const values: Category[] = new Array(n);
  let kind: 'number' | 'string' | undefined;
  for (let i = 0; i < n; i++) {
    let v = y[i] as unknown;
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw new WasmlearnError('MISSING_VALUE', `${fn}: ${name} holds a missing value (${show(v)}) at row ${i}; labels must not be missing.`, { estimator: fn, field: name, row: i });
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new WasmlearnError('NON_FINITE', `${fn}: ${name} holds ${show(v)} at row ${i}; numeric labels must be finite.`, { estimator: fn, field: name, row: i });
      if (!Number.isInteger(v)) {
        throw new WasmlearnError('INVALID_INPUT',
          `${fn}: ${name} holds ${show(v)} at row ${i}; numeric class labels must be integers (non-integer values make a continuous target, which classification metrics do not handle).`,
          { estimator: fn, field: name, row: i });
      }
    } else if (typeof v !== 'string') {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: ${name} holds a value of unsupported type (${typeof v}) at row ${i}; labels are numbers or strings.`, { estimator: fn, field: name, row: i });
    }
    const k = typeof v === 'number' ? 'number' : 'string';
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: Mix of label input types (string and number) in ${name}: row ${i} holds ${show(v)}.`, { estimator: fn, field: name, row: i });
    }
    values[i] = v as Category;
  }
  return { values, kind: kind! };
}

/** Validates a pair of label arrays: same length, same label type. @internal */
export function checkPair(yTrue: LabelArray, yPred: LabelArray, fn: string, predName = 'yPred'): [CheckedLabels, CheckedLabels] {
  const t = checkLabels(yTrue, 'yTrue', fn);
  const p = checkLabels(yPred, predName, fn);
  if (t.values.length !== p.values.length) {
    throw errors.lengthMismatch(`${fn}: ${predName}`, t.values.length, p.values.length, { estimator: fn, field: predName });
  }
  if (t.kind !== p.kind) {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: Mix of label input types (string and number): yTrue holds ${t.kind}s, ${predName} holds ${p.kind}s.`, { estimator: fn });
  }
  return [t, p];
}

/** Ascending order of labels: numbers numerically, strings by code unit (as numpy sorts). @internal */
export function compareLabels(a: Category, b: Category): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorted union of the labels in the arrays (scikit-learn `unique_labels`). @internal */
export function uniqueLabels(...ys: readonly (readonly Category[])[]): Category[] {
  const set = new Set<Category>();
  for (const y of ys) for (const v of y) set.add(v);
  return [...set].sort(compareLabels);
}

/** Validates user-given `labels`: non-empty, no duplicates, same type as the data. @internal */
export function checkLabelList(labels: LabelArray, kind: 'number' | 'string', fn: string): Category[] {
  const c = checkLabels(labels, 'labels', fn);
  if (c.kind !== kind) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: labels holds ${c.kind}s but the targets hold ${kind}s.`, { estimator: fn, field: 'labels' });
  }
  const seen = new Set<Category>();
  for (const v of c.values) {
    if (seen.has(v)) throw new WasmlearnError('INVALID_PARAM', `${fn}: labels holds ${show(v)} twice; labels must be unique.`, { estimator: fn, field: 'labels' });
    seen.add(v);
  }
  return c.values;
}

/**
 * Normalises a probability matrix to row-major float64, checking every entry is finite
 * and in [0, 1] (error names row and column).
 * @internal
 */
export function checkProba(p: ProbaInput, nRows: number, fn: string, name = 'proba'): { rows: number; cols: number; data: Float64Array } {
  let rows: number, cols: number, data: Float64Array;
  if (Array.isArray(p)) {
    rows = p.length;
    cols = rows > 0 ? (p[0] as ArrayLike<number>).length : 0;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = p[i] as ArrayLike<number>;
      if (r === null || typeof r !== 'object' || r.length !== cols) {
        throw errors.lengthMismatch(`${fn}: ${name} row ${i}`, cols, r && typeof r === 'object' ? r.length : 0, { estimator: fn, row: i });
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
    }
  } else if (p && typeof p === 'object' && typeof (p as { rows?: unknown }).rows === 'number') {
    const m = p as { rows: number; cols: number; data: ArrayLike<number> };
    rows = m.rows; cols = m.cols;
    if (m.data.length !== rows * cols) throw errors.lengthMismatch(`${fn}: ${name}.data`, rows * cols, m.data.length, { estimator: fn });
    data = Float64Array.from(m.data);
  } else {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: ${name} must be a matrix ({ rows, cols, data }) or an array of rows; got ${show(p)}.`, { estimator: fn, field: name });
  }
  if (rows !== nRows) throw errors.lengthMismatch(`${fn}: ${name}`, nRows, rows, { estimator: fn, field: name });
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) checkProbability(data[i * cols + j], fn, name, i, j);
  }
  return { rows, cols, data };
}

/** Throws unless v is a finite number in [0, 1]. @internal */
export function checkProbability(v: number, fn: string, name: string, row: number, col?: number): void {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    const where = col === undefined ? `row ${row}` : `row ${row}, column ${col}`;
    const code = typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'MISSING_VALUE' : 'NON_FINITE') : 'INVALID_INPUT';
    throw new WasmlearnError(code, `${fn}: ${name} holds ${show(v)} at ${where}; probabilities must be finite and in [0, 1].`, { estimator: fn, field: name, row });
  }
}

/** Validates a 1-D array of numbers of the given length (finite). @internal */
export function checkScores(s: ArrayLike<number>, n: number, fn: string, name: string): Float64Array {
  if (s === null || s === undefined || typeof s !== 'object' || typeof s.length !== 'number') {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: ${name} must be an array of numbers; got ${show(s)}.`, { estimator: fn, field: name });
  }
  if (s.length !== n) throw errors.lengthMismatch(`${fn}: ${name}`, n, s.length, { estimator: fn, field: name });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = s[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const code = typeof v === 'number' && Number.isNaN(v) ? 'MISSING_VALUE' : typeof v === 'number' ? 'NON_FINITE' : 'INVALID_INPUT';
      throw new WasmlearnError(code, `${fn}: ${name} holds ${show(v)} at row ${i}; scores must be finite numbers.`, { estimator: fn, field: name, row: i });
    }
    out[i] = v;
  }
  return out;
}
