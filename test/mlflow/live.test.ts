/**
 * Live cross-check: when /usr/bin/python3 has scikit-learn, fit fresh pipelines with a new seed,
 * pickle them in a temp dir (pickle 2/4/5, cloudpickle, joblib) and compare wasmlearn's
 * predictions with scikit-learn's. Skipped (with a message) otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, ratio } from './helpers.js';

const PY = '/usr/bin/python3';
const ROOT = join(__dirname, '..', '..');
const hasSklearn = existsSync(PY) && spawnSync(PY, ['-c', 'import sklearn, cloudpickle, joblib, pandas'], { stdio: 'ignore' }).status === 0;
const hasLoader = existsSync(join(ROOT, 'src', 'model', 'load.ts'));
if (!hasSklearn) console.warn('test/mlflow/live: /usr/bin/python3 with scikit-learn, pandas, joblib and cloudpickle not found, live cross-check skipped');
else if (!hasLoader) console.warn('test/mlflow/live: src/model/load.ts is absent, live cross-check skipped');

describe.skipIf(!hasSklearn || !hasLoader)('live cross-check against scikit-learn', () => {
  it('fresh pipelines pickled by Python score the same in wasmlearn (1e-12)', async () => {
    const { loadPickle } = await import('../../src/mlflow/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'wl-live-'));
    const seed = 1000 + (Date.now() % 9000);
    execFileSync(PY, [join(ROOT, 'scripts', 'fixtures', 'gen_pickles.py'), '--live', dir, '--seed', String(seed)], { cwd: ROOT, stdio: 'pipe' });
    const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const files: [string, string, object][] = [
      ...['heart_p2.pkl', 'heart_p4.pkl', 'heart_p5.pkl', 'heart_cloudpickle.pkl', 'heart.joblib'].map((f): [string, string, object] => [f, 'heart', { functions: { ratio } }]),
      ...['multiclass_p4.pkl', 'multiclass.joblib'].map((f): [string, string, object] => [f, 'multiclass', {}]),
      ['custom_class.pkl', 'custom', { classes: { 'custom_class.NewFeatureTransformer': ratio } }],
    ];
    for (const [f, key, options] of files) {
      const model = loadPickle(new Uint8Array(readFileSync(join(dir, f))), options as never);
      const e = exp[key];
      const P = model.predictProba(e.input);
      e.predict_proba.forEach((row: unknown[], i: number) => row.forEach((v, j) => {
        expect(Math.abs(P.get(i, j) - decode(v)), `seed ${seed} ${f} [${i}][${j}]`).toBeLessThanOrEqual(1e-12);
      }));
      expect(model.predict(e.input), `seed ${seed} ${f}`).toEqual(e.predict);
    }
  }, 120_000);
});
