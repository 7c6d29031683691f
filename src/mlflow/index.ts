/**
 * Loading models people already have: scikit-learn pickles (pickle, cloudpickle, joblib)
 * and MLflow model directories / `runs:/` / `models:/` URIs, without Python.
 * @packageDocumentation
 */
export { pickleToDocument } from './sklearn.js';
export { readMlflowModel, resolveModelUri, type MlflowModel, type MlflowReadOptions } from './mlflow.js';
export { loadPickle, loadMlflowModel, type LoadPickleOptions } from './loaders.js';
export type { PickleOptions } from './types.js';
