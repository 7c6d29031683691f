import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracyScore, brierScoreLoss, confusionMatrix, f1Score, logLoss, precisionScore, recallScore, rocAucScore,
  type Average,
} from '../../src/metrics/index.js';
import type { Category } from '../../src/core/frame.js';

interface Case {
  kind: 'binary' | 'multiclass';
  yTrue: Category[]; yPred?: Category[]; score?: number[]; proba?: number[][];
  labels?: Category[]; posLabel?: Category; zeroDivision?: 0 | 1 | 'warn'; probaLabels?: Category[];
}
type Outputs = Record<string, number | number[][]>;

const fixture = JSON.parse(readFileSync(new URL('../fixtures/metrics/sklearn.json', import.meta.url), 'utf8')) as {
  versions: Record<string, string>; cases: { input: Case; output: Outputs }[];
};

/** Computes, with wasmlearn, every output key the generator writes for a case. */
function evaluate(c: Case): Outputs {
  const out: Outputs = {};
  if (c.yPred) {
    out.accuracy = accuracyScore(c.yTrue, c.yPred);
    out.confusion = confusionMatrix(c.yTrue, c.yPred, { labels: c.labels }).matrix;
    const averages: Average[] = c.kind === 'binary' ? ['binary', 'macro', 'micro', 'weighted'] : ['macro', 'micro', 'weighted'];
    for (const average of averages) {
      const opts = average === 'binary'
        ? { average, zeroDivision: c.zeroDivision, posLabel: c.posLabel ?? 1 }
        : { average, zeroDivision: c.zeroDivision, labels: c.labels };
      out[`precision_${average}`] = precisionScore(c.yTrue, c.yPred, opts);
      out[`recall_${average}`] = recallScore(c.yTrue, c.yPred, opts);
      out[`f1_${average}`] = f1Score(c.yTrue, c.yPred, opts);
    }
  }
  if (c.score) {
    out.rocAuc = rocAucScore(c.yTrue, c.score);
    out.brier = brierScoreLoss(c.yTrue, c.score, { posLabel: c.posLabel });
    out.logLoss1d = logLoss(c.yTrue, c.score);
  }
  if (c.proba) {
    out.logLoss = logLoss(c.yTrue, c.proba, { labels: c.probaLabels });
    if (c.kind === 'multiclass') out.rocAucOvr = rocAucScore(c.yTrue, c.proba, { multiClass: 'ovr', labels: c.probaLabels });
  }
  return out;
}

function expectClose(got: Outputs, want: Outputs, where: string): void {
  expect(Object.keys(got).sort(), where).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want)) {
    const w = want[k], g = got[k];
    if (typeof w === 'number') {
      expect(Math.abs((g as number) - w), `${where} ${k}: got ${g}, scikit-learn ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    } else expect(g, `${where} ${k}`).toEqual(w);
  }
}

describe(`metrics equal scikit-learn ${fixture.versions.sklearn} fixtures (tolerance 1e-12 relative, counts exact)`, () => {
  fixture.cases.forEach(({ input, output }, i) => {
    it(`case ${i} (${input.kind}, n = ${input.yTrue.length})`, () => {
      expectClose(evaluate(input), output, `case ${i}`);
    });
  });
});

const PY = '/usr/bin/python3';
function pythonHasSklearn(): boolean {
  if (!existsSync(PY)) return false;
  try { execFileSync(PY, ['-c', 'import sklearn, numpy, scipy'], { stdio: 'ignore' }); return true; } catch { return false; }
}
const havePy = pythonHasSklearn();

describe.skipIf(!havePy)('live cross-check against /usr/bin/python3 scikit-learn on fresh random inputs (tolerance 1e-12 relative)', () => {
  it('random binary and multiclass cases agree', () => {
    const seed = (Date.now() % 100000) | 0;
    let s = seed;
    const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
    const cases: Case[] = [];
    for (let c = 0; c < 12; c++) {
      const n = 10 + Math.floor(u() * 150);
      if (c % 2 === 0) {
        const yTrue = Array.from({ length: n }, (_, i) => (i < 2 ? i : u() < 0.4 ? 1 : 0));
        const score = yTrue.map((y) => Math.round((u() * 0.7 + 0.3 * y) * 100) / 100);
        cases.push({ kind: 'binary', yTrue, yPred: score.map((v) => (v > 0.5 ? 1 : 0)), score, zeroDivision: c % 4 === 0 ? 1 : 0 });
      } else {
        const k = 3 + (c % 3);
        const names = Array.from({ length: k }, (_, j) => `k${j}`);
        const yi = Array.from({ length: n }, (_, i) => (i < k ? i : Math.floor(u() * k)));
        const proba = yi.map((y) => {
          const w = Array.from({ length: k }, (_, j) => u() + (j === y ? 0.8 : 0));
          const t = w.reduce((a, b) => a + b, 0);
          return w.map((v) => v / t);
        });
        const yPred = proba.map((r) => names[r.indexOf(Math.max(...r))]);
        cases.push({ kind: 'multiclass', yTrue: yi.map((j) => names[j]), yPred, proba, zeroDivision: 'warn' });
      }
    }
    const res = execFileSync(PY, ['scripts/fixtures/gen_metrics_fixtures.py', '--stdin'], { input: JSON.stringify(cases), encoding: 'utf8' });
    const want = JSON.parse(res) as Outputs[];
    cases.forEach((c, i) => expectClose(evaluate(c), want[i], `seed ${seed} case ${i}`));
  });
});
if (!havePy) {
  describe('live scikit-learn cross-check', () => {
    it.skip(`skipped: ${PY} with scikit-learn, numpy and scipy is not available`, () => {});
  });
}
