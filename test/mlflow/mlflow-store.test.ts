import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMlflowModel, resolveModelUri } from '../../src/mlflow/index.js';
import { FIXTURES, decode, expected, ratio } from './helpers.js';

const STORE = join(FIXTURES, 'mlruns');
const [RUN_WEAK, RUN_DEFAULT] = expected.runs as string[];
const HAS_LOADER = existsSync(join(__dirname, '..', '..', 'src', 'model', 'load.ts'));
const opts = { trackingDir: STORE, functions: { ratio } };

describe('readMlflowModel: an mlflow.sklearn.log_model directory', () => {
  it('reads MLmodel, the cloudpickled model, the signature and the input example', async () => {
    const m = await readMlflowModel(join(FIXTURES, 'mlflow_model'), { functions: { ratio } });
    expect(m.predictFn).toBe('predict');
    expect((m.mlmodel.flavors as Record<string, Record<string, unknown>>).sklearn.serialization_format).toBe('cloudpickle');
    expect(m.document.signature!.inputs).toEqual(expected.heart.input.columns.map((name: string) => ({ name, type: 'double' })));
    expect(m.document.metadata).toMatchObject({ source: 'mlflow', sklearnVersion: '1.2.1', mlflowVersion: '2.9.2', predictFn: 'predict' });
    expect(m.inputExample).toEqual({ columns: expected.heart.input.columns, data: expected.heart.input.data.slice(0, 5) });
    expect(m.document.estimator.type).toBe('Pipeline');
  });

  it('names what to register when the function is missing', async () => {
    await expect(readMlflowModel(join(FIXTURES, 'mlflow_model'))).rejects.toMatchObject({ code: 'NOT_REGISTERED' });
  });

  it('a missing directory is a clear error', async () => {
    await expect(readMlflowModel(join(FIXTURES, 'nope'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('MLmodel not found') });
  });
});

describe('runs:/ and models:/ against a local file store', () => {
  it.each([
    [`runs:/${RUN_DEFAULT}/model`, RUN_DEFAULT],
    [`runs:/${RUN_WEAK}/model`, RUN_WEAK],
    ['models:/heart-classifier/1', RUN_WEAK],
    ['models:/heart-classifier/2', RUN_DEFAULT],
    ['models:/heart-classifier/latest', RUN_DEFAULT],
    ['models:/heart-classifier/Production', RUN_WEAK],
    ['models:/heart-classifier@champion', RUN_WEAK],
  ])('%s → run %s', async (uri, run) => {
    expect(await resolveModelUri(uri, STORE)).toBe(join(STORE, '1', run, 'artifacts', 'model'));
  });

  it('URIs need the store', async () => {
    await expect(resolveModelUri(`runs:/${RUN_DEFAULT}/model`)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('trackingDir') });
  });

  it.each([
    [`runs:/${RUN_DEFAULT}/../../../../etc`, /outside/],
    ['runs:/../model', /Invalid run id/],
    ['models:/../1', /Invalid models URI|Invalid registered model name/],
    ['models:/heart-classifier@../../x', /Invalid models URI|Invalid alias/],
    ['models:/heart-classifier/7', /no version 7/],
    ['models:/heart-classifier@nope', /no alias "nope"/],
    ['models:/nope/1', /"nope" was not found/],
    ['runs:/0000/model', /Run "0000" was not found/],
  ])('%s is refused', async (uri, message) => {
    await expect(resolveModelUri(uri, STORE)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
  });

  it('a symlink that leaves the store is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-store-'));
    mkdirSync(join(dir, 'mlruns', '1', 'abc123', 'artifacts'), { recursive: true });
    symlinkSync(join(FIXTURES, 'mlflow_model'), join(dir, 'mlruns', '1', 'abc123', 'artifacts', 'model'));
    await expect(resolveModelUri('runs:/abc123/model', join(dir, 'mlruns'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('outside') });
  });

  it.skipIf(!HAS_LOADER)('loadMlflowModel scores like scikit-learn for each registered version (1e-12)', async () => {
    const { loadMlflowModel } = await import('../../src/mlflow/index.js');
    for (const [uri, key] of [['models:/heart-classifier/1', 'heart_weak'], ['models:/heart-classifier@champion', 'heart_weak'], ['models:/heart-classifier/latest', 'heart']]) {
      const { model } = await loadMlflowModel(uri, opts);
      const e = expected[key];
      const P = model.predictProba(e.input);
      e.predict_proba.forEach((row: unknown[], i: number) => row.forEach((v, j) => expect(Math.abs(P.get(i, j) - decode(v))).toBeLessThanOrEqual(1e-12)));
      expect(model.predict(e.input)).toEqual(e.predict);
    }
  });
});
