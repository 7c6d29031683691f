/**
 * Linear memory past 2 GiB: addresses from 2^31 up are negative as signed 32-bit integers,
 * so every pointer the TypeScript side turns into a typed-array index must be shifted
 * unsigned. A long run that loads thousands of models without disposing them got there
 * (`npm run fuzz`, test/fuzz/model-document.fuzz.test.ts at scale 50); here one large block
 * is reserved first (linear memory grows, its pages are never touched), so every later
 * allocation lies above 2 GiB, and each kernel family runs there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runtime } from '../../src/wasm/runtime.js';
import { driftReport, histogram, ks2samp, loadModel, Profile, quantileEdges, setBackend, wassersteinDistance } from '../../src/index.js';
import { HEART_ROW, heartModel } from '../fuzz/helpers.js';
import { heartData, heartPipeline } from '../helpers/heart.js';
import { expectError } from '../helpers/errors.js';

const heap = () => runtime().heap;
const { doc } = heartModel();
const { X, y } = heartData(5000, 31);
const Y = heartData(5000, 32, 1).X;

// the expected results from the plain-TypeScript kernels (equal to the WebAssembly ones bit
// for bit, see test/kernels and test/drift), so that WebAssembly memory has no freed holes
// below the block reserved next, and every later allocation lies above it
function results() {
  const m = loadModel(doc);
  const r = {
    proba: Array.from(m.predictProba(X).data),
    row: Array.from(m.predictProbaRow(HEART_ROW)),
    hist: histogram(X.chol, quantileEdges(Y.chol, 10)),
    ks: ks2samp(X.age, Y.age),
    w: wassersteinDistance(X.thalach, Y.thalach),
    report: driftReport(Profile.fromFrame(X), Y).columns.map((c) => [c.column, c.statistic, c.drifted] as const),
    fit: Array.from(heartPipeline(undefined, 'expr').fit(X, y).predictProba(X).data),
  };
  m.dispose();
  return r;
}
setBackend('reference');
const want = results();
setBackend('wasm');
const block = heap().alloc(2 ** 31 + 2 ** 24);
afterAll(() => heap().free(block));

describe('kernels with their buffers above 2 GiB of linear memory', () => {
  it('the reserved block pushes later allocations past 2^31', () => {
    const p = heap().alloc(64);
    expect(p).toBeGreaterThanOrEqual(2 ** 31);
    heap().free(p);
  });

  it('a scoring plan scores batches, rows and errors as below 2 GiB', () => {
    const m = loadModel(doc);
    expect(Array.from(m.predictProba(X).data)).toEqual(want.proba);
    expect(Array.from(m.predictProbaRow(HEART_ROW))).toEqual(want.row);
    const age = X.age.slice();
    age[123] = Infinity;
    expectError(() => m.predictProba({ ...X, age }), 'NON_FINITE', /"age" at row 123\b/);
    m.dispose();
  });

  it('fitting (the logistic objective kernel) gives the same model', () => {
    expect(Array.from(heartPipeline(undefined, 'expr').fit(X, y).predictProba(X).data)).toEqual(want.fit);
  });

  it('drift kernels (histogram, quantile edges, sorts, report) give the same results', () => {
    expect(histogram(X.chol, quantileEdges(Y.chol, 10))).toEqual(want.hist);
    expect(ks2samp(X.age, Y.age)).toEqual(want.ks);
    expect(wassersteinDistance(X.thalach, Y.thalach)).toBe(want.w);
    // the report's statistics equal the reference kernels' to rounding (pairwise sums)
    const got = driftReport(Profile.fromFrame(X), Y).columns;
    expect(got.map((c) => [c.column, c.drifted])).toEqual(want.report.map(([col, , d]) => [col, d]));
    got.forEach((c, i) => expect(Math.abs((c.statistic ?? 0) - (want.report[i][1] ?? 0))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(c.statistic ?? 0))));
  });
});
