/**
 * Files for the CLI tests: a fitted heart-disease model document and CSVs made by the
 * seeded generator, written to a temporary directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEART_COLUMNS, heartToCsv, makeHeart } from '../../src/datasets/heart.js';
import { Pipeline } from '../../src/compose/pipeline.js';
import { SimpleImputer } from '../../src/preprocessing/simple-imputer.js';
import { StandardScaler } from '../../src/preprocessing/standard-scaler.js';
import { LogisticRegression } from '../../src/linear-model/logistic-regression.js';
import { saveModel } from '../../src/model/load.js';

export const FEATURES = HEART_COLUMNS.filter((c) => c !== 'num');

export interface CliFixtures {
  dir: string;
  model: string;
  train: string;
  test: string;
  drifted: string;
  unlabelled: string;
  /** The fitted model, to compare the CLI's output with. */
  clf: Pipeline;
  testRows: Record<string, number | null>[];
}

export function makeFixtures(): CliFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-cli-'));
  const train = makeHeart({ nRows: 600, seed: 1 });
  const test = makeHeart({ nRows: 300, seed: 2 });
  const drifted = makeHeart({ nRows: 300, seed: 3, drift: 1 });
  const X: Record<string, Float64Array> = {};
  for (const c of FEATURES) X[c] = train.columns[c];
  const clf = new Pipeline([
    ['impute', new SimpleImputer({ strategy: 'median' })],
    ['scale', new StandardScaler()],
    ['lr', new LogisticRegression({ maxIter: 500 })],
  ]);
  clf.fit(X, train.target);
  const files = {
    model: join(dir, 'model.json'),
    train: join(dir, 'train.csv'),
    test: join(dir, 'test.csv'),
    drifted: join(dir, 'drifted.csv'),
    unlabelled: join(dir, 'unlabelled.csv'),
  };
  writeFileSync(files.model, JSON.stringify(saveModel(clf)));
  const strip = (csv: string) => csv.split('\n').map((l) => l.split(',').filter((_, j) => j !== HEART_COLUMNS.indexOf('num')).join(',')).join('\n');
  writeFileSync(files.train, strip(heartToCsv(train)));
  writeFileSync(files.test, strip(heartToCsv(test)));
  writeFileSync(files.drifted, strip(heartToCsv(drifted)));
  writeFileSync(files.unlabelled, strip(heartToCsv(test, false)));
  const testRows = Array.from({ length: test.nRows }, (_, i) =>
    Object.fromEntries(FEATURES.map((c) => [c, Number.isNaN(test.columns[c][i]) ? null : test.columns[c][i]])));
  return { dir, ...files, clf, testRows };
}
