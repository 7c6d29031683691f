import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, expected, ratio, read } from './helpers.js';

const HAS_LOADER = existsSync(join(__dirname, '..', '..', 'src', 'model', 'load.ts'));
if (!HAS_LOADER) console.warn('test/mlflow/predict: src/model/load.ts is absent, prediction parity skipped');

const CASES: [string, string, Record<string, unknown>][] = [
  ...['heart_p2.pkl', 'heart_p4.pkl', 'heart_p5.pkl', 'heart_cloudpickle.pkl', 'heart.joblib'].map((f): [string, string, Record<string, unknown>] => [f, 'heart', { functions: { ratio } }]),
  ...['multiclass_p2.pkl', 'multiclass_p4.pkl', 'multiclass_p5.pkl', 'multiclass.joblib'].map((f): [string, string, Record<string, unknown>] => [f, 'multiclass', {}]),
  ['custom_class.pkl', 'custom', { classes: { 'custom_class.NewFeatureTransformer': ratio } }],
];

describe.skipIf(!HAS_LOADER)('loadPickle: predictions equal scikit-learn (1e-12)', () => {
  it.each(CASES)('%s', async (file, key, options) => {
    const { loadPickle } = await import('../../src/mlflow/index.js');
    const model = loadPickle(read(file), options as never);
    const e = expected[key];
    expect(model.classes_).toEqual(e.classes);
    const P = model.predictProba(e.input);
    expect([P.rows, P.cols]).toEqual([e.predict_proba.length, e.predict_proba[0].length]);
    e.predict_proba.forEach((row: unknown[], i: number) => row.forEach((v, j) => {
      expect(Math.abs(P.get(i, j) - decode(v)), `${file} proba[${i}][${j}]`).toBeLessThanOrEqual(1e-12);
    }));
    expect(model.predict(e.input)).toEqual(e.predict);
  });
});
