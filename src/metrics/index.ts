/** Evaluation metrics with scikit-learn semantics. */
export {
  accuracyScore, precisionScore, recallScore, f1Score, fbetaScore, precisionRecallFscoreSupport, confusionMatrix,
  type Average, type PrfOptions, type PrfPerLabel, type ConfusionMatrix,
} from './classification.js';
export { rocAucScore, logLoss, brierScoreLoss, type RocAucOptions, type LogLossOptions } from './probabilistic.js';
export { classificationSummary, type ClassificationSummary } from './summary.js';
export type { LabelArray, ProbaInput } from './labels.js';
