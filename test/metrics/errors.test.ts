import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracyScore, brierScoreLoss, classificationSummary, confusionMatrix, f1Score, logLoss, precisionScore, rocAucScore,
} from '../../src/metrics/index.js';
import { expectError } from '../helpers/errors.js';


describe('metrics reject bad input with typed errors', () => {
  it('empty arrays', () => {
    expectError(() => accuracyScore([], []), 'EMPTY_INPUT', /Found yTrue with 0 rows, while a minimum of 1 is required by accuracyScore/);
  });
  it('mismatched lengths', () => {
    expectError(() => f1Score([0, 1, 1], [0, 1]), 'LENGTH_MISMATCH', /f1Score: yPred has length 2, expected 3/);
    expectError(() => rocAucScore([0, 1, 1], [0.2, 0.5]), 'LENGTH_MISMATCH', /rocAucScore: yScore has length 2, expected 3/);
  });
  it('missing and mixed labels', () => {
    expectError(() => accuracyScore([0, null as unknown as number], [0, 1]), 'MISSING_VALUE', /yTrue holds a missing value \(null\) at row 1/);
    expectError(() => accuracyScore([0, 1], ['a', 'b']), 'INVALID_INPUT', /Mix of label input types \(string and number\)/);
    expectError(() => accuracyScore([0, 0.5], [0, 1]), 'INVALID_INPUT', /yTrue holds 0.5 at row 1; numeric class labels must be integers/);
  });
  it('negative, above-one and non-finite probabilities', () => {
    expectError(() => logLoss([0, 1], [[0.5, 0.5], [-0.1, 1.1]]), 'INVALID_INPUT', /logLoss: proba holds -0.1 at row 1, column 0; probabilities must be finite and in \[0, 1\]/);
    expectError(() => brierScoreLoss([0, 1], [0.2, 1.5]), 'INVALID_INPUT', /brierScoreLoss: probPos holds 1.5 at row 1/);
    expectError(() => brierScoreLoss([0, 1], [0.2, Infinity]), 'NON_FINITE', /probPos holds Infinity at row 1/);
    expectError(() => logLoss([0, 1], [0.2, NaN]), 'MISSING_VALUE', /logLoss: proba holds NaN at row 1/);
  });
  it('binary averaging on a multiclass target, bad posLabel, single class', () => {
    expectError(() => precisionScore([0, 1, 2], [0, 1, 2]), 'INVALID_PARAM', /Target is multiclass \(labels \[0, 1, 2\]\) but average='binary'/);
    expectError(() => precisionScore(['a', 'b'], ['a', 'b']), 'INVALID_PARAM', /posLabel=1 is not a valid label. It should be one of \["a", "b"\]/);
    expectError(() => rocAucScore([1, 1], [0.2, 0.3]), 'INVALID_INPUT', /Only one class present in yTrue \(1\)/);
    expectError(() => rocAucScore([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 'INVALID_INPUT', /multiclass \(3 classes\); pass multiClass: 'ovr'/);
    expectError(() => logLoss([1, 1], [0.2, 0.3]), 'INVALID_INPUT', /yTrue contains only one label \(1\)/);
    expectError(() => confusionMatrix([0, 1], [0, 1], { labels: [5] }), 'INVALID_PARAM', /At least one label specified must be in yTrue/);
    expectError(() => f1Score([0, 1], [0, 1], { average: 'samples' as 'macro' }), 'INVALID_PARAM', /'average' parameter of f1Score must be one of/);
  });
});

describe('metric properties (fast-check)', () => {
  const labels = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 });
  it('confusion matrix sums to n and its trace / n is the accuracy (exact)', () => {
    fc.assert(fc.property(labels, (pairs) => {
      const t = pairs.map((p) => p[0]), p = pairs.map((q) => q[1]);
      const cm = confusionMatrix(t, p);
      const total = cm.matrix.flat().reduce((a, b) => a + b, 0);
      const trace = cm.matrix.reduce((a, r, i) => a + r[i], 0);
      expect(total).toBe(t.length);
      expect(trace / t.length).toBe(accuracyScore(t, p));
    }));
  });
  it('micro-averaged F1 equals accuracy for multiclass targets (tolerance 1e-12)', () => {
    fc.assert(fc.property(labels, (pairs) => {
      const t = pairs.map((p) => p[0]), p = pairs.map((q) => q[1]);
      expect(Math.abs(f1Score(t, p, { average: 'micro' }) - accuracyScore(t, p))).toBeLessThanOrEqual(1e-12);
    }));
  });
  it('ROC AUC of reversed scores is 1 - AUC (tolerance 1e-12)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { minLength: 2, maxLength: 80 }), (rows) => {
      const y = rows.map((r) => (r[0] ? 1 : 0));
      fc.pre(y.includes(0) && y.includes(1));
      const s = rows.map((r) => r[1] / 20);
      const a = rocAucScore(y, s), b = rocAucScore(y, s.map((v) => -v));
      expect(Math.abs(a + b - 1)).toBeLessThanOrEqual(1e-12);
    }));
  });
});

describe('classificationSummary', () => {
  it('collects every metric for a binary classifier', () => {
    const s = classificationSummary([0, 1, 1, 0], [0, 1, 0, 0], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]]);
    expect(s.accuracy).toBe(0.75);
    expect(s.binary).toEqual({ posLabel: 1, precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(s.confusionMatrix.matrix).toEqual([[2, 0], [1, 1]]);
    expect(s.rocAuc).toBe(1);
    expect(s.brier).toBeCloseTo((0.01 + 0.04 + 0.36 + 0.09) / 4, 12);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
