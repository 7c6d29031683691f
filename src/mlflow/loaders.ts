/** Pickle / MLflow → fitted wasmlearn model, through the model document. */
import type { Estimator } from '../core/estimator.js';
import type { Pipeline } from '../compose/pipeline.js';
import type { TransformerFunction } from '../preprocessing/function-transformer.js';
import { loadModel } from '../model/load.js';
import { readMlflowModel, type MlflowModel } from './mlflow.js';
import { pickleToDocument } from './sklearn.js';

/** Options of {@link loadPickle} and {@link loadMlflowModel}. */
export interface LoadPickleOptions {
  /** JS functions for FunctionTransformers, by name (`ratio` or `__main__.ratio`). */
  functions?: Record<string, TransformerFunction>;
  /** JS implementations of custom transformer classes, by qualified name (`custom_class.NewFeatureTransformer`). */
  classes?: Record<string, TransformerFunction>;
}

function bindings(options: LoadPickleOptions): Record<string, TransformerFunction> {
  return { ...(options.classes ?? {}), ...(options.functions ?? {}) };
}

/**
 * Loads a scikit-learn pickle (pickle protocols 2–5, cloudpickle, uncompressed joblib) as a
 * fitted wasmlearn model: `loadModel(pickleToDocument(bytes, options), options)`.
 *
 * @param bytes The pickle file's bytes.
 * @param options JS bindings for FunctionTransformers and custom classes.
 * @returns A fitted Pipeline (`predict`, `predictProba`, `classes_`).
 * @throws WasmlearnError as `pickleToDocument` and `loadModel` do.
 * @example
 * const model = loadPickle(readFileSync('model.pkl'), { functions: { ratio } });
 * model.predict(rows) // => [0, 1, …]
 */
export function loadPickle(bytes: Uint8Array, options: LoadPickleOptions = {}): Pipeline & Estimator {
  const functions = bindings(options);
  return loadModel(pickleToDocument(bytes, { functions, classes: options.classes }), { functions });
}

/**
 * Loads an MLflow sklearn model (directory, `runs:/…` or `models:/…` against `trackingDir`)
 * as a fitted wasmlearn model, with the MLmodel signature as its input schema.
 *
 * @param uriOrDir Model directory or URI.
 * @param options `trackingDir` and the JS bindings.
 * @returns The model plus what {@link readMlflowModel} read (`predictFn`, `inputExample`, …).
 * @throws WasmlearnError as `readMlflowModel` and `loadModel` do.
 * @example
 * const { model, predictFn } = await loadMlflowModel('models:/heart-classifier@champion', { trackingDir: 'mlruns', functions: { ratio } });
 */
export async function loadMlflowModel(uriOrDir: string, options: LoadPickleOptions & { trackingDir?: string } = {}): Promise<MlflowModel & { model: Pipeline & Estimator }> {
  const functions = bindings(options);
  const read = await readMlflowModel(uriOrDir, { trackingDir: options.trackingDir, functions, classes: options.classes });
  return { ...read, model: loadModel(read.document, { functions }) };
}
