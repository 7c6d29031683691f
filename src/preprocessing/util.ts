import { WasmlearnError, show } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Matrix } from '../core/matrix.js';

/**
 * Dense row-major matrix of a frame whose columns are all numeric (or categorical
 * with numeric entries). Throws COLUMN_TYPE naming the first string column.
 */
export function frameToMatrix(frame: Frame, estimator: string): Matrix {
  const n = frame.nRows, d = frame.nCols;
  const out = new Float64Array(n * d);
  frame.columns.forEach((c, j) => {
    let v: Float64Array;
    if (c.kind === 'numeric') v = c.values;
    else {
      const bad = c.dictionary.findIndex((x) => typeof x !== 'number');
      if (bad >= 0) {
        throw new WasmlearnError('COLUMN_TYPE',
          `Output column ${show(c.name)} of ${estimator} holds strings (${show(c.dictionary[bad])}), so it cannot be returned as a numeric matrix; ` +
          `use transformFrame() or add an encoder.`, { column: c.name, estimator });
      }
      v = new Float64Array(n);
      for (let i = 0; i < n; i++) { const k = c.codes[i]; v[i] = k < 0 ? NaN : (c.dictionary[k] as number); }
    }
    for (let i = 0; i < n; i++) out[i * d + j] = v[i];
  });
  return new Matrix(n, d, out);
}
