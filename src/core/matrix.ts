import { errors } from './errors.js';

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
