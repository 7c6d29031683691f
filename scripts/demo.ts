/**
 * Demo: trains the classic MLflow tutorial pipeline on synthetic heart-disease data,
 * reports validation metrics, saves the model document, reloads it and scores rows.
 * Run with `npm run demo`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ColumnTransformer, FunctionTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler,
  loadModel, makeHeart, saveModel, registerFunction, type FunctionColumns,
} from '../src/index.js';

const ratio = ({ thalach, trestbps }: FunctionColumns) => thalach.map((v, i) => v / trestbps[i]);
registerFunction('ratio', ratio);

const data = makeHeart({ nRows: 5000, seed: 42 });
const nTrain = 4000;
const slice = (a: Float64Array, s: number, e: number) => a.subarray(s, e);
// features only: `num` is the diagnosis the target is derived from
const cols = (s: number, e: number) => Object.fromEntries(Object.entries(data.columns).filter(([k]) => k !== 'num').map(([k, v]) => [k, slice(v, s, e)]));
const train = cols(0, nTrain), valid = cols(nTrain, data.nRows);
const yTrain = data.target.subarray(0, nTrain), yValid = data.target.subarray(nTrain);

const pre = new ColumnTransformer([
  ['num', new Pipeline([['imputer', new SimpleImputer({ strategy: 'median' })], ['scaler', new StandardScaler()]]),
    ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']],
  ['cat', new Pipeline([['imputer', new SimpleImputer({ strategy: 'constant', fillValue: 0 })], ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })]]),
    ['cp', 'restecg', 'ca', 'thal', 'slope']],
  ['binary', new SimpleImputer({ strategy: 'constant', fillValue: 0 }), ['sex', 'fbs', 'exang']],
  ['new', new FunctionTransformer({ name: 'ratio', func: ratio }), ['thalach', 'trestbps']],
]);
const clf = new Pipeline([['preprocessor', pre], ['classifier', new LogisticRegression()]]);

const t0 = performance.now();
clf.fit(train, yTrain);
const fitMs = performance.now() - t0;

const pred = clf.predict(valid);
let tp = 0, fp = 0, fn = 0, correct = 0;
pred.forEach((p, i) => {
  const y = yValid[i];
  if (p === y) correct++;
  if (p === 1 && y === 1) tp++;
  if (p === 1 && y === 0) fp++;
  if (p === 0 && y === 1) fn++;
});
console.log(`Trained on ${nTrain} rows in ${fitMs.toFixed(1)} ms (lbfgs, ${(clf.namedSteps.classifier as LogisticRegression).nIter_[0]} iterations)`);
console.log(`Validation (${yValid.length} rows): accuracy ${(correct / yValid.length).toFixed(3)}, precision ${(tp / (tp + fp)).toFixed(3)}, recall ${(tp / (tp + fn)).toFixed(3)}`);
console.log(`Scoring plan compiled to WebAssembly: ${clf.isCompiled}`);
console.log(`Features out: ${clf.slice(0, -1).getFeatureNamesOut().length} (${clf.slice(0, -1).getFeatureNamesOut().slice(0, 6).join(', ')}, ...)`);

const outDir = join(process.cwd(), 'demo-out');
mkdirSync(outDir, { recursive: true });
const docPath = join(outDir, 'heart-model.json');
writeFileSync(docPath, JSON.stringify(saveModel(clf, { metadata: { dataset: 'synthetic heart, seed 42' } })));
console.log(`Model document written to ${docPath}`);

const again = loadModel(JSON.stringify(saveModel(clf)));
const rows = [0, 1, 2].map((i) => Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, v[i]])));
const p = again.predictProba(rows);
rows.forEach((r, i) => console.log(`row ${i}: age=${r.age} cp=${r.cp} thalach=${r.thalach} -> P(disease)=${p.get(i, 1).toFixed(4)} label=${again.predict([r])[0]}`));
const same = clf.predictProba(rows).data.every((v, i) => v === p.data[i]);
console.log(`Reloaded model gives identical probabilities: ${same}`);
console.log(`Single-row path: predictProbaRow(row 0) = [${Array.from(again.predictProbaRow(rows[0])).map((v) => v.toFixed(4)).join(', ')}]`);

// ---- Monitoring: training profile vs. production data whose distribution moved ----
import('../src/index.js').then(({ Profile, driftReport }) => {
  const reference = Profile.fromFrame({ ...train, target: yTrain, proba_1: clf.predictProba(train).column(1) }, { overrides: { cp: 'categorical', restecg: 'categorical', ca: 'categorical', thal: 'categorical', slope: 'categorical', sex: 'categorical', fbs: 'categorical', exang: 'categorical' } });
  const prod = makeHeart({ nRows: 2000, seed: 7, drift: 1 });
  const { num: _num, ...prodX } = prod.columns;
  const proba = clf.predictProba(prodX);
  const t1 = performance.now();
  const report = driftReport(reference, { ...prodX, target: prod.target, proba_1: proba.column(1) }, { target: 'target', prediction: 'proba_1', retraining: { newLabels: 2000, minNewLabels: 5000 } });
  const driftMs = performance.now() - t1;
  console.log(`\nDrift: training data (${nTrain} rows) vs production sample (${prod.nRows} rows, drift knob 1), ${driftMs.toFixed(1)} ms`);
  console.log('| column | type | method | statistic | p-value | threshold | drifted |');
  console.log('|---|---|---|---|---|---|---|');
  for (const c of report.columns) {
    const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v < 1e-4 && v > 0 ? v.toExponential(2) : v.toFixed(4));
    console.log(`| ${c.column} | ${c.type} | ${c.method} | ${fmt(c.statistic)} | ${fmt(c.pvalue)} | ${c.threshold} | ${c.drifted ? '**yes**' : 'no'} |`);
  }
  const d = report.dataset;
  console.log(`Dataset drift: ${d.drifted ? 'YES' : 'no'} (${d.nDrifted} of ${d.nColumns} columns drifted, share ${d.share.toFixed(2)} vs threshold ${d.driftShare}); drifted: ${d.driftedColumns.join(', ')}`);
  if (report.target) console.log(`Target drift (${report.target.method}): ${report.target.drifted ? 'yes' : 'no'}`);
  for (const p of report.prediction ?? []) console.log(`Prediction drift on ${p.column} (${p.method} ${p.statistic?.toFixed(4)}): ${p.drifted ? 'yes' : 'no'}`);
  console.log(`Mean predicted P(disease) in production: ${(proba.column(1).reduce((a, b) => a + b, 0) / proba.rows).toFixed(3)}`);
  if (report.retraining) {
    console.log(`Retrain: ${report.retraining.retrain ? 'RECOMMENDED' : 'not needed'}`);
    for (const r of report.retraining.reasons) console.log(`  - ${r.rule}: ${r.fired ? 'fired' : 'no'} (${r.detail})`);
  }
});
