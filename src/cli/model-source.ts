/**
 * Resolves `--model` to a loaded model: a `.json` model document, a `.pkl` pickle of a
 * scikit-learn estimator, an MLflow model directory (with an `MLmodel` file), or a
 * `runs:/<run_id>/<path>` / `models:/<name>/<version>` URI against a local MLflow store.
 * @packageDocumentation
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WasmlearnError } from '../core/errors.js';
import { loadModel } from '../model/load.js';
import { pickleToDocument, readMlflowModel } from '../mlflow/index.js';
import type { PredictFn, ScoringModel } from '../serve/types.js';
import { init } from '../wasm/runtime.js';

/** A model ready to score, with what its source says about serving it. */
export interface ResolvedModel {
  /** The loaded model. */
  model: ScoringModel;
  /** `predict_fn` from the MLmodel file, when it names one. */
  predictFn?: PredictFn;
  /** The model document (for its `profile`, `metadata`). */
  document: unknown;
  /** What was loaded, for messages. */
  source: string;
}

/** Options shared by the commands that load a model. */
export interface ModelOptions {
  /** The local MLflow store for `runs:/` and `models:/` URIs. */
  trackingDir?: string;
  /** Path of an ES module whose exports are the model's FunctionTransformer functions, by name (`--functions`). */
  functions?: string;
}

/** Help text of the shared `--functions` option. */
export const FUNCTIONS_HELP = '  --functions <module.mjs>  ES module exporting the model\'s FunctionTransformer functions by name';

/**
 * Imports the `--functions` module: its named exports that are functions (and the
 * functions of an object default export) become the functions FunctionTransformer steps
 * bind to, by name.
 * @throws WasmlearnError INVALID_INPUT - the module cannot be imported or exports no function
 */
export async function loadFunctions(path: string): Promise<Record<string, never>> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(resolve(path)).href) as Record<string, unknown>;
  } catch (e) {
    throw new WasmlearnError('INVALID_INPUT', `Cannot import the --functions module '${path}': ${(e as Error).message}`, {}, { cause: e });
  }
  const out: Record<string, unknown> = {};
  const def = mod.default;
  if (def && typeof def === 'object') for (const [k, v] of Object.entries(def)) if (typeof v === 'function') out[k] = v;
  for (const [k, v] of Object.entries(mod)) if (k !== 'default' && typeof v === 'function') out[k] = v;
  if (Object.keys(out).length === 0) throw new WasmlearnError('INVALID_INPUT', `The --functions module '${path}' exports no function.`);
  return out as Record<string, never>;
}

/**
 * Loads the model named on the command line.
 *
 * @param spec - path or URI given to `--model`
 * @param options - `trackingDir`: the local MLflow store for `runs:/` and `models:/` URIs; `functions`: the `--functions` module
 * @returns the model, its `predict_fn` (MLflow) and its document
 * @throws WasmlearnError INVALID_INPUT - nothing at that path, or a file of an unknown kind
 * @throws WasmlearnError - what the loader raises (INVALID_MODEL, UNSAFE_PICKLE, …)
 * @example
 * const { model } = await resolveModel('mlruns/0/abc/artifacts/model');
 */
export async function resolveModel(spec: string, options: ModelOptions = {}): Promise<ResolvedModel> {
  await init();
  const functions = options.functions ? await loadFunctions(options.functions) : undefined;
  if (/^(runs|models):\//.test(spec) || isMlflowDir(spec)) {
    const m = await readMlflowModel(spec, { trackingDir: options.trackingDir, functions });
    const model = loadModel(m.document, { functions });
    const fn = m.predictFn ?? undefined;
    return { model, document: m.document, source: spec, predictFn: fn === 'predict_proba' || fn === 'predict' ? fn : undefined };
  }
  if (!existsSync(spec)) {
    throw new WasmlearnError('INVALID_INPUT', `No model at '${spec}': give a .json model document, a .pkl pickle, ` +
      'an MLflow model directory (with an MLmodel file), or a runs:/ or models:/ URI.');
  }
  if (statSync(spec).isDirectory()) {
    throw new WasmlearnError('INVALID_INPUT', `The directory '${spec}' has no MLmodel file, so it is not an MLflow model directory.`);
  }
  if (/\.(pkl|pickle)$/i.test(spec)) {
    const document = pickleToDocument(readFileSync(spec), { functions });
    return { model: loadModel(document, { functions }), document, source: spec };
  }
  if (/\.json$/i.test(spec)) {
    const text = readFileSync(spec, 'utf8');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      throw new WasmlearnError('INVALID_MODEL', `The model file '${spec}' is not valid JSON: ${(e as Error).message}`, {}, { cause: e });
    }
    return { model: loadModel(document as Parameters<typeof loadModel>[0], { functions }), document, source: spec };
  }
  throw new WasmlearnError('INVALID_INPUT',
    `Cannot tell what kind of model '${spec}' is: expected a .json model document, a .pkl pickle or an MLflow model directory.`);
}

function isMlflowDir(p: string): boolean {
  try {
    return statSync(p).isDirectory() && existsSync(join(p, 'MLmodel'));
  } catch {
    return false;
  }
}
