/**
 * One call that computes every evaluation metric for a classifier's output, for
 * benchmark reports and CI gates.
 */
import type { Category } from '../core/frame.js';
import { accuracyScore, confusionMatrix, precisionRecallFscoreSupport, type ConfusionMatrix, type PrfPerLabel } from './classification.js';
import { checkPair, checkProba, uniqueLabels, type LabelArray, type ProbaInput } from './labels.js';
import { brierScoreLoss, logLoss, rocAucScore } from './probabilistic.js';

/** Result of {@link classificationSummary}: plain numbers and arrays, JSON-serialisable. */
export interface ClassificationSummary {
  /** Rows evaluated. */
  n: number;
  /** Classes (sorted union of yTrue and yPred, or the given labels). */
  labels: Category[];
  accuracy: number;
  /** Per-label precision, recall, F1 and support. */
  perLabel: PrfPerLabel;
  /** Macro, micro and weighted averages of precision, recall and F1. */
  macro: { precision: number; recall: number; f1: number };
  micro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  /** Binary targets only: the scores of the greater label as positive class. */
  binary: { posLabel: Category; precision: number; recall: number; f1: number } | null;
  confusionMatrix: ConfusionMatrix;
  /** With probabilities: ROC AUC (binary, or one-vs-rest macro), null when undefined (one class in yTrue). */
  rocAuc: number | null;
  /** With probabilities: log loss. */
  logLoss: number | null;
  /** With probabilities of a binary target: Brier score of the positive class. */
  brier: number | null;
}

/**
 * Accuracy, per-label and averaged precision / recall / F1, the confusion matrix and,
 * when probabilities are given, ROC AUC, log loss and the Brier score. Each figure has
 * the semantics of its scikit-learn function with default options (zeroDivision 0).
 * @param yTrue - true labels
 * @param yPred - predicted labels
 * @param proba - optional probability matrix (n x classes, columns in sorted label order, as `predictProba` returns)
 * @param options - `labels`: the classes in the order of the probability columns (default: sorted union of yTrue and yPred)
 * @returns a {@link ClassificationSummary}
 * @throws WasmlearnError as the individual metrics (empty input, mismatched lengths, invalid probabilities)
 * @example
 * classificationSummary([0, 1, 1, 0], [0, 1, 0, 0], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]]).accuracy; // => 0.75
 */
export function classificationSummary(yTrue: LabelArray, yPred: LabelArray, proba?: ProbaInput, options: { labels?: LabelArray } = {}): ClassificationSummary {
  const fn = 'classificationSummary';
  const [t, p] = checkPair(yTrue, yPred, fn);
  const labels = options.labels === undefined ? uniqueLabels(t.values, p.values) : Array.from(options.labels);
  const perLabel = precisionRecallFscoreSupport(t.values, p.values, { average: null, labels });
  const avg = (average: 'macro' | 'micro' | 'weighted') => {
    const r = precisionRecallFscoreSupport(t.values, p.values, { average, labels });
    return { precision: r.precision, recall: r.recall, f1: r.fScore };
  };
  let binary: ClassificationSummary['binary'] = null;
  if (labels.length === 2) {
    const r = precisionRecallFscoreSupport(t.values, p.values, { average: 'binary', posLabel: labels[1] });
    binary = { posLabel: labels[1], precision: r.precision, recall: r.recall, f1: r.fScore };
  }
  let rocAuc: number | null = null, ll: number | null = null, brier: number | null = null;
  if (proba !== undefined) {
    const m = checkProba(proba, t.values.length, fn, 'proba');
    const present = uniqueLabels(t.values);
    if (present.length >= 2) {
      rocAuc = labels.length === 2 && m.cols === 2
        ? rocAucScore(t.values, m.data.filter((_, i) => i % 2 === 1))
        : rocAucScore(t.values, m, { multiClass: 'ovr', labels: labels.length === m.cols ? labels : undefined });
    }
    ll = logLoss(t.values, m, { labels: labels.length === m.cols ? labels : undefined });
    if (labels.length === 2 && m.cols === 2) {
      brier = brierScoreLoss(t.values, m.data.filter((_, i) => i % 2 === 1), { posLabel: labels[1] });
    }
  }
  return {
    n: t.values.length, labels, accuracy: accuracyScore(t.values, p.values), perLabel,
    macro: avg('macro'), micro: avg('micro'), weighted: avg('weighted'), binary,
    confusionMatrix: confusionMatrix(t.values, p.values, { labels }), rocAuc, logLoss: ll, brier,
  };
}
