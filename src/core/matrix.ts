import { WasmlearnError, errors, show } from './errors.js';
import type { ScoreOptions } from './estimator.js';

/** Dense row-major float64 matrix: what `transform`, `predictProba` and
 *  `decisionFunction` return. `data[i * cols + j]` is row i, column j. */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  constructor(rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)) {
    if (data.length !== rows * cols) throw errors.lengthMismatch('Matrix data', rows * cols, data.length);
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }
  get(i: number, j: number): number { return this.data[i * this.cols + j]; }
  /** Row i as a view (no copy). */
  row(i: number): Float64Array { return this.data.subarray(i * this.cols, (i + 1) * this.cols); }
  /** Column j as a new array. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }
  /** Nested arrays, `toArray()[i][j]`. */
  toArray(): number[][] {
    const out: number[][] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = Array.from(this.row(i));
    return out;
  }
}

/** The result in `options.out` when given (checked: a Float64Array of rows x cols values), else `m` itself. */
export function intoOut(m: Matrix, options: ScoreOptions | undefined, estimator: string): Matrix {
  const out = checkOut(options, m.rows, m.cols, estimator);
  if (!out) return m;
  out.set(m.data);
  return new Matrix(m.rows, m.cols, out);
}

/** `options.out` validated for a rows x cols result (undefined when not given). */
export function checkOut(options: ScoreOptions | undefined, rows: number, cols: number, estimator: string): Float64Array | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw new WasmlearnError('INVALID_INPUT', `${estimator}: options must be an object such as { out }; got ${show(options)}.`, { estimator, field: 'options' });
  const out = options.out;
  if (out === undefined) return undefined;
  if (!(out instanceof Float64Array)) throw new WasmlearnError('INVALID_INPUT', `${estimator}: out must be a Float64Array; got ${show(out)}.`, { estimator, field: 'out' });
  if (out.length !== rows * cols) throw errors.lengthMismatch(`${estimator}: out`, rows * cols, out.length, { estimator, field: 'out' });
  return out;
}
