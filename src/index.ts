/**
 * wasmlearn: scikit-learn-style pipelines and drift metrics with WebAssembly kernels.
 * This entry point runs anywhere (Node, browsers, workers, bundlers). Node-only parts —
 * the MLflow-compatible server and reading MLflow model directories — are in
 * `wasmlearn/node`.
 * @packageDocumentation
 */
export { WasmlearnError, type ErrorCode, type ErrorDetails } from './core/errors.js';
export { Frame, type FrameInput, type Column, type NumericColumn, type CategoricalColumn, type Scalar, type Category } from './core/frame.js';
export { Matrix } from './core/matrix.js';
export type { Estimator, Transformer, Classifier, EstimatorDocument, Labels, ScoreOptions } from './core/estimator.js';
export { init, isReady } from './wasm/runtime.js';
export { setBackend } from './kernels/index.js';
export { SimpleImputer, type SimpleImputerOptions, type ImputeStrategy } from './preprocessing/simple-imputer.js';
export { StandardScaler, type StandardScalerOptions } from './preprocessing/standard-scaler.js';
export { OneHotEncoder, type OneHotEncoderOptions } from './preprocessing/one-hot-encoder.js';
export { FunctionTransformer, registerFunction, registeredFunction, type FunctionTransformerOptions, type TransformerFunction, type FunctionColumns, type FunctionExpr, type ExprOp } from './preprocessing/function-transformer.js';
export { LogisticRegression, type LogisticRegressionOptions } from './linear-model/logistic-regression.js';
export { Pipeline, type Step, type StepSpec, type Signature } from './compose/pipeline.js';
export { ColumnTransformer, type ColumnTransformerOptions, type TransformerEntry, type ColumnSelector } from './compose/column-transformer.js';
export { loadModel, saveModel, estimatorFromJSON, type LoadOptions } from './model/load.js';
export { type ModelDocument, VERSION } from './model/document.js';
export { setWarningHandler } from './core/warn.js';
export { makeHeart, heartToCsv, HEART_COLUMNS, HEART_NUMERIC, HEART_CATEGORICAL, HEART_BINARY, HEART_DRIFTED, type HeartData, type HeartOptions } from './datasets/heart.js';
export * from './drift/index.js';
export * from './monitoring/index.js';
export * from './metrics/index.js';
export * from './report/index.js';
