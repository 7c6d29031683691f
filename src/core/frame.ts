import { WasmlearnError, errors, show } from './errors.js';

/** A cell as users pass it. Missing: `null`, `undefined` or `NaN`. */
export type Scalar = number | string | boolean | null | undefined;
/** A category value: numbers and strings are kept apart (1 and "1" differ). */
export type Category = number | string;

/** Numeric column: float64 values, missing = NaN. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}
/** Dictionary-encoded column: `codes[i]` indexes `dictionary`, -1 = missing. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly Category[];
}
export type Column = NumericColumn | CategoricalColumn;

export type ColumnValues = ArrayLike<Scalar> | Float64Array | Float32Array | Int32Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | Int8Array;
/** Row objects (`[{ age: 63, cp: 1 }, …]`). */
export type RowsInput = readonly Record<string, Scalar>[];
/** Column object (`{ age: Float64Array, cp: [1, 2] }`). */
export type ColumnsInput = Readonly<Record<string, ColumnValues>>;
/** MLflow / pandas `orient='split'` form. */
export interface SplitInput { columns: readonly string[]; data: readonly (readonly Scalar[])[]; index?: readonly unknown[] }
/** Anything a public entry point accepts as a table. Positional rows (`number[][]`) get names x0, x1, … */
export type FrameInput = Frame | RowsInput | ColumnsInput | SplitInput | readonly (readonly Scalar[])[];

export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * A columnar table: the one shape every estimator works on. Numeric columns are
 * `Float64Array` (missing = NaN); string (or mixed) columns are dictionary-encoded.
 * Frames are immutable: estimators never write into a frame's arrays.
 */
export class Frame {
  readonly nRows: number;
  readonly columns: readonly Column[];
  readonly names: readonly string[];
  /** False when the input carried no column names (positional rows): names are x0, x1, … */
  readonly hasNames: boolean;
  #index: Map<string, number>;

  constructor(columns: readonly Column[], nRows: number, hasNames = true) {
    this.columns = columns;
    this.nRows = nRows;
    this.hasNames = hasNames;
    this.names = columns.map((c) => c.name);
    this.#index = new Map();
    columns.forEach((c, i) => {
      if (this.#index.has(c.name)) {
        throw new WasmlearnError('INVALID_INPUT', `Duplicate column name ${show(c.name)} in input.`, { column: c.name });
      }
      this.#index.set(c.name, i);
      const len = c.kind === 'numeric' ? c.values.length : c.codes.length;
      if (len !== nRows) throw errors.lengthMismatch(`Column ${show(c.name)}`, nRows, len, { column: c.name });
    });
  }

  get nCols(): number { return this.columns.length; }

  has(name: string): boolean { return this.#index.has(name); }

  indexOf(name: string): number { return this.#index.get(name) ?? -1; }

  /** The column named `name`; throws MISSING_COLUMN naming what is available. */
  column(name: string, estimator?: string): Column {
    const i = this.#index.get(name);
    if (i === undefined) throw errors.missingColumn(name, this.names, estimator);
    return this.columns[i];
  }

  /** Column values as float64. A categorical column converts when every entry is a
   *  number; otherwise COLUMN_TYPE names the first non-numeric row. */
  numeric(name: string, estimator?: string): Float64Array {
    return numericValues(this.column(name, estimator), estimator);
  }

  /** New frame with the named columns (in that order). */
  select(names: readonly string[], estimator?: string): Frame {
    return new Frame(names.map((n) => this.column(n, estimator)), this.nRows, this.hasNames);
  }

  /** New frame with the rows at `indices` (copies). */
  take(indices: ArrayLike<number>): Frame {
    const n = indices.length;
    const cols = this.columns.map((c): Column => {
      if (c.kind === 'numeric') {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = c.values[indices[i]];
        return { kind: 'numeric', name: c.name, values: v };
      }
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = c.codes[indices[i]];
      return { kind: 'categorical', name: c.name, codes, dictionary: c.dictionary };
    });
    return new Frame(cols, n, this.hasNames);
  }

  /** Rows [start, end) as a frame sharing memory with this one. */
  slice(start: number, end = this.nRows): Frame {
    const s = Math.max(0, start), e = Math.min(this.nRows, end);
    const cols = this.columns.map((c): Column => c.kind === 'numeric'
      ? { kind: 'numeric', name: c.name, values: c.values.subarray(s, e) }
      : { kind: 'categorical', name: c.name, codes: c.codes.subarray(s, e), dictionary: c.dictionary });
    return new Frame(cols, Math.max(0, e - s), this.hasNames);
  }

  /** Value of one cell as a plain JS value (`null` for missing). */
  value(row: number, name: string): Category | null {
    return cellValue(this.column(name), row);
  }

  /** Row objects (for display and tests; not a hot path). */
  toRows(): Record<string, Category | null>[] {
    const out: Record<string, Category | null>[] = [];
    for (let i = 0; i < this.nRows; i++) {
      const r: Record<string, Category | null> = {};
      for (const c of this.columns) r[c.name] = cellValue(c, i);
      out.push(r);
    }
    return out;
  }

  /** Normalises any accepted input into a frame. Frames pass through unchanged. */
  static from(input: FrameInput, what = 'X'): Frame {
    if (input instanceof Frame) return input;
    if (input === null || typeof input !== 'object') {
      throw new WasmlearnError('INVALID_INPUT',
        `${what} must be an array of row objects, an object of columns, or { columns, data }; got ${show(input)}.`);
    }
    if (Array.isArray(input)) {
      if (input.length === 0) return new Frame([], 0);
      if (Array.isArray(input[0]) || ArrayBuffer.isView(input[0])) return fromPositional(input as readonly (readonly Scalar[])[], what);
      return fromRows(input as RowsInput, what);
    }
    const o = input as Record<string, unknown>;
    if (Array.isArray(o.columns) && Array.isArray(o.data)) return fromSplit(o as unknown as SplitInput, what);
    return fromColumns(o as ColumnsInput, what);
  }
}

export function cellValue(c: Column, row: number): Category | null {
  if (c.kind === 'numeric') { const v = c.values[row]; return Number.isNaN(v) ? null : v; }
  const k = c.codes[row];
  return k < 0 ? null : c.dictionary[k];
}

export function numericValues(c: Column, estimator?: string): Float64Array {
  if (c.kind === 'numeric') return c.values;
  const d = c.dictionary;
  const asNum = new Float64Array(d.length);
  for (let j = 0; j < d.length; j++) {
    const v = d[j];
    if (typeof v !== 'number') {
      const row = c.codes.indexOf(j);
      throw errors.notNumeric(c.name, row, v, estimator);
    }
    asNum[j] = v;
  }
  const out = new Float64Array(c.codes.length);
  for (let i = 0; i < out.length; i++) { const k = c.codes[i]; out[i] = k < 0 ? NaN : asNum[k]; }
  return out;
}

/** Builds a column from loose values: all-number/boolean → numeric, otherwise dictionary-encoded. */
export function columnFromValues(name: string, values: ColumnValues): Column {
  if (values instanceof Float64Array) return { kind: 'numeric', name, values };
  if (ArrayBuffer.isView(values)) return { kind: 'numeric', name, values: Float64Array.from(values as ArrayLike<number>) };
  const n = values.length;
  const nums = new Float64Array(n);
  let i = 0;
  for (; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') nums[i] = v;
    else if (v === null || v === undefined) nums[i] = NaN;
    else if (typeof v === 'boolean') nums[i] = v ? 1 : 0;
    else break;
  }
  if (i === n) return { kind: 'numeric', name, values: nums };
  return encodeCategorical(name, values);
}

function encodeCategorical(name: string, values: ArrayLike<Scalar>): CategoricalColumn {
  const n = values.length;
  const codes = new Int32Array(n);
  const dictionary: Category[] = [];
  const strIdx = new Map<string, number>();
  const numIdx = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) { codes[i] = -1; continue; }
    let k: number | undefined;
    if (typeof v === 'string') {
      k = strIdx.get(v);
      if (k === undefined) { k = dictionary.length; dictionary.push(v); strIdx.set(v, k); }
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      k = numIdx.get(x);
      if (k === undefined) { k = dictionary.length; dictionary.push(x); numIdx.set(x, k); }
    } else {
      throw errors.badValue(name, i, v);
    }
    codes[i] = k;
  }
  return { kind: 'categorical', name, codes, dictionary };
}

function fromRows(rows: RowsInput, what: string): Frame {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new WasmlearnError('INVALID_INPUT', `${what} row ${i} must be an object of column values; got ${show(r)}.`, { row: i });
    }
    // Column set is the union over rows; a row without a key has a missing value there.
    for (const k in r) if (!seen.has(k)) { seen.add(k); names.push(k); }
  }
  const cols = names.map((name) => {
    const vals: Scalar[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) vals[i] = rows[i][name];
    return columnFromValues(name, vals);
  });
  return new Frame(cols, rows.length);
}

function fromColumns(o: ColumnsInput, what: string): Frame {
  const names = Object.keys(o);
  let n = -1;
  const cols = names.map((name) => {
    const v = o[name];
    if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
      throw new WasmlearnError('INVALID_INPUT', `${what} column ${show(name)} must be an array or typed array; got ${show(v)}.`, { column: name });
    }
    if (n < 0) n = v.length;
    else if (v.length !== n) throw errors.lengthMismatch(`${what} column ${show(name)}`, n, v.length, { column: name });
    return columnFromValues(name, v);
  });
  return new Frame(cols, Math.max(n, 0));
}

function fromSplit(s: SplitInput, what: string): Frame {
  const names = s.columns.map(String);
  const w = names.length;
  const colVals: Scalar[][] = names.map(() => new Array(s.data.length));
  for (let i = 0; i < s.data.length; i++) {
    const r = s.data[i];
    if (!Array.isArray(r)) throw new WasmlearnError('INVALID_INPUT', `${what}.data[${i}] must be an array; got ${show(r)}.`, { row: i, field: `data[${i}]` });
    if (r.length !== w) throw errors.lengthMismatch(`${what}.data[${i}]`, w, r.length, { row: i, field: `data[${i}]` });
    for (let j = 0; j < w; j++) colVals[j][i] = r[j];
  }
  return new Frame(names.map((name, j) => columnFromValues(name, colVals[j])), s.data.length);
}

function fromPositional(rows: readonly (readonly Scalar[])[], what: string): Frame {
  const w = rows[0].length;
  const colVals: Scalar[][] = Array.from({ length: w }, () => new Array(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length !== w) throw errors.lengthMismatch(`${what} row ${i}`, w, r.length, { row: i });
    for (let j = 0; j < w; j++) colVals[j][i] = r[j];
  }
  return new Frame(colVals.map((v, j) => columnFromValues(`x${j}`, v)), rows.length, false);
}
