/**
 * wasmlearn for Node: everything in `wasmlearn`, plus the MLflow-compatible scoring
 * server and loading of scikit-learn pickles and MLflow model directories.
 * @packageDocumentation
 */
export * from './index.js';
export * from './mlflow/index.js';
export * from './serve/index.js';
export * from './onnx/index.js';
