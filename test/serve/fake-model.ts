/**
 * A small stand-in model with the interface of a loaded wasmlearn Pipeline, for
 * server tests that must not depend on the estimators: a fixed logistic model over
 * `age` (double), `sex` (string category), `cp` (long).
 */
import { WasmlearnError } from '../../src/core/errors.js';
import { Frame, type FrameInput } from '../../src/core/frame.js';
import { Matrix } from '../../src/core/matrix.js';
import type { ModelSignature, ScoringModel } from '../../src/serve/types.js';

export const FAKE_SIGNATURE: ModelSignature = {
  inputs: [
    { name: 'age', type: 'double' },
    { name: 'sex', type: 'string' },
    { name: 'cp', type: 'long' },
  ],
};

/** p(class 1) = sigmoid(0.1 (age - 50) + (sex == 'male' ? 0.5 : -0.5) + 0.2 cp). */
export class FakeModel implements ScoringModel {
  readonly classes_ = [0, 1];
  readonly signature_: ModelSignature | null;
  calls = 0;
  constructor(signature: ModelSignature | null = FAKE_SIGNATURE) {
    this.signature_ = signature;
  }
  predictProba(X: FrameInput): Matrix {
    this.calls++;
    const f = Frame.from(X);
    const age = f.numeric('age', 'FakeModel');
    const cp = f.numeric('cp', 'FakeModel');
    const sexCol = f.column('sex', 'FakeModel');
    const out = new Matrix(f.nRows, 2);
    for (let i = 0; i < f.nRows; i++) {
      if (Number.isNaN(age[i])) {
        throw new WasmlearnError('MISSING_VALUE', `Input contains NaN (a missing value) in column "age" at row ${i}.`, { column: 'age', row: i });
      }
      if (!Number.isFinite(age[i])) {
        throw new WasmlearnError('NON_FINITE', `Input contains ${age[i]} in column "age" at row ${i}.`, { column: 'age', row: i });
      }
      const sex = f.value(i, 'sex');
      if (sexCol.kind !== 'categorical' || (sex !== 'male' && sex !== 'female')) {
        throw new WasmlearnError('UNKNOWN_CATEGORY', `Found unknown category ${JSON.stringify(sex)} in column "sex" at row ${i} during transform.`, { column: 'sex', row: i });
      }
      const z = 0.1 * (age[i] - 50) + (sex === 'male' ? 0.5 : -0.5) + 0.2 * cp[i];
      const p = 1 / (1 + Math.exp(-z));
      out.data[2 * i] = 1 - p;
      out.data[2 * i + 1] = p;
    }
    return out;
  }
  predict(X: FrameInput): number[] {
    const p = this.predictProba(X);
    return Array.from({ length: p.rows }, (_, i) => (p.get(i, 1) > 0.5 ? 1 : 0));
  }
}

/** Expected labels for rows, computed independently of the server. */
export function expectedLabels(rows: { age: number; sex: string; cp: number }[]): number[] {
  return rows.map((r) => (0.1 * (r.age - 50) + (r.sex === 'male' ? 0.5 : -0.5) + 0.2 * r.cp > 0 ? 1 : 0));
}

export const ROWS = [
  { age: 63, sex: 'male', cp: 3 },
  { age: 37, sex: 'female', cp: 2 },
  { age: 41, sex: 'female', cp: 1 },
  { age: 56, sex: 'male', cp: 1 },
  { age: 45, sex: 'male', cp: 0 },
];
