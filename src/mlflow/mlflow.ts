/**
 * MLflow model directories (the `MLmodel` file of `mlflow.sklearn.log_model`) and
 * `runs:/` / `models:/` URIs resolved against a local MLflow file store (`mlruns/`).
 *
 * Store layout read here (MLflow 2.x file stores):
 * `mlruns/<experiment_id>/<run_id>/artifacts/<artifact path>/MLmodel`, and the registry
 * `mlruns/models/<name>/version-<n>/meta.yaml` (`source:`, `run_id:`, `current_stage:`) with
 * aliases in `mlruns/models/<name>/aliases/<alias>` (file content: the version).
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { WasmlearnError, show } from '../core/errors.js';
import { pickleToDocument } from './sklearn.js';
import type { ColumnSpec, ColumnType, ModelDocument, PickleOptions } from './types.js';

/** Options of {@link readMlflowModel}. */
export interface MlflowReadOptions extends PickleOptions {
  /** The local MLflow file store (`mlruns/`) that `runs:/` and `models:/` URIs resolve against. */
  trackingDir?: string;
}

/** What {@link readMlflowModel} returns. */
export interface MlflowModel {
  /** The model document built from the pickle, with the MLmodel signature as its input schema. */
  document: ModelDocument;
  /** The parsed MLmodel file. */
  mlmodel: Record<string, unknown>;
  /** The parsed `input_example.json`, when the model has one. */
  inputExample?: unknown;
  /** `flavors.python_function.predict_fn` (default `"predict"`). */
  predictFn: string;
  /** The model directory that was read. */
  dir: string;
}

const NAME = /^[A-Za-z0-9_.\- ]+$/;

function notFound(what: string, details: Record<string, unknown> = {}): WasmlearnError {
  return new WasmlearnError('INVALID_INPUT', what, { field: 'model', ...details });
}

function invalid(field: string, problem: string): WasmlearnError {
  return new WasmlearnError('INVALID_MODEL', `Invalid MLflow model at ${field}: ${problem}.`, { field });
}

async function exists(p: string): Promise<boolean> {
  try { await stat(p); return true; } catch { return false; }
}

/** `p` resolved through symlinks, refused when it leaves `root`. */
async function confined(root: string, p: string, what: string): Promise<string> {
  const lexical = relative(resolve(root), resolve(p));
  if (lexical === '..' || lexical.startsWith('..' + sep) || isAbsolute(lexical)) {
    throw new WasmlearnError('INVALID_INPUT', `${what} leads outside ${show(resolve(root))}; paths may not leave the store or model directory.`, { field: 'model' });
  }
  const realRoot = await realpath(root);
  let real: string;
  try { real = await realpath(p); } catch {
    throw notFound(`${what} does not exist: ${show(p)}.`);
  }
  const rel = relative(realRoot, real);
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
    throw new WasmlearnError('INVALID_INPUT', `${what} resolves to ${show(real)}, outside ${show(realRoot)}; paths may not leave the store or model directory.`, { field: 'model' });
  }
  return real;
}

function segment(v: string, what: string): string {
  if (!v || v === '.' || v === '..' || !NAME.test(v)) throw notFound(`Invalid ${what} ${show(v)} in a model URI.`);
  return v;
}

async function yamlFile(path: string, field: string): Promise<Record<string, unknown>> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch { throw notFound(`${field} not found: ${show(path)}.`); }
  let v: unknown;
  try { v = parseYaml(text); } catch (cause) {
    throw new WasmlearnError('INVALID_MODEL', `Invalid MLflow model at ${field}: not valid YAML (${(cause as Error).message}).`, { field }, { cause });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(field, 'expected a YAML mapping');
  return v as Record<string, unknown>;
}

async function runArtifacts(store: string, runId: string, artifactPath: string): Promise<string> {
  segment(runId, 'run id');
  for (const exp of await readdir(store)) {
    if (exp === 'models' || exp.startsWith('.')) continue;
    const runDir = join(store, exp, runId);
    if (await exists(join(runDir, 'meta.yaml')) || await exists(join(runDir, 'artifacts'))) {
      return confined(store, join(runDir, 'artifacts', artifactPath), `runs:/${runId}/${artifactPath}`);
    }
  }
  throw notFound(`Run ${show(runId)} was not found in the MLflow store ${show(store)}.`, { run: runId });
}

async function versionDir(store: string, name: string, ref: string): Promise<string> {
  const regDir = join(store, 'models', segment(name, 'registered model name'));
  if (!(await exists(regDir))) throw notFound(`Registered model ${show(name)} was not found in ${show(join(store, 'models'))}.`);
  if (/^\d+$/.test(ref)) {
    const d = join(regDir, `version-${ref}`);
    if (!(await exists(d))) throw notFound(`Registered model ${show(name)} has no version ${ref}.`);
    return d;
  }
  const versions: { v: number; stage: string; dir: string }[] = [];
  for (const e of await readdir(regDir)) {
    const m = /^version-(\d+)$/.exec(e);
    if (!m) continue;
    const meta = await yamlFile(join(regDir, e, 'meta.yaml'), `models/${name}/${e}/meta.yaml`);
    const stage = String(meta.current_stage ?? 'None');
    if (stage === 'Deleted_Internal') continue;
    versions.push({ v: Number(m[1]), stage, dir: join(regDir, e) });
  }
  const pick = ref.toLowerCase() === 'latest' ? versions : versions.filter((x) => x.stage.toLowerCase() === ref.toLowerCase());
  if (pick.length === 0) throw notFound(`Registered model ${show(name)} has no version ${ref.toLowerCase() === 'latest' ? '' : `in stage ${show(ref)}`}.`);
  return pick.sort((a, b) => b.v - a.v)[0].dir;
}

/**
 * Resolves a model location to a local model directory: a directory path, a `runs:/<run_id>/<path>`,
 * `models:/<name>/<version>` (also `latest` or a stage name) or `models:/<name>@<alias>` URI.
 * URIs need `trackingDir`; every path they lead to must stay inside the store.
 *
 * @param uriOrDir Directory or URI.
 * @param trackingDir The MLflow file store (`mlruns/`).
 * @returns The absolute path of the model directory.
 * @throws WasmlearnError `INVALID_INPUT` when the run, model, version or alias does not exist or a path leaves the store.
 * @example
 * await resolveModelUri('models:/heart-classifier@champion', 'mlruns') // => '/…/mlruns/1/0a1b…/artifacts/model'
 */
export async function resolveModelUri(uriOrDir: string, trackingDir?: string, depth = 0): Promise<string> {
  if (depth > 4) throw notFound(`Model URI ${show(uriOrDir)} refers to itself.`);
  const isRuns = uriOrDir.startsWith('runs:/');
  const isModels = uriOrDir.startsWith('models:/');
  if (!isRuns && !isModels) return resolve(uriOrDir.startsWith('file://') ? fileURLToPath(uriOrDir) : uriOrDir);
  if (!trackingDir) {
    throw new WasmlearnError('INVALID_INPUT', `${show(uriOrDir)} needs the MLflow store: pass trackingDir (CLI: --tracking-dir mlruns).`, { field: 'trackingDir' });
  }
  const store = resolve(trackingDir);
  if (isRuns) {
    const m = /^runs:\/+([^/]+)\/?(.*)$/.exec(uriOrDir);
    if (!m) throw notFound(`Invalid runs URI ${show(uriOrDir)}; expected runs:/<run_id>/<artifact path>.`);
    return runArtifacts(store, m[1], m[2]);
  }
  const m = /^models:\/+([^/@]+)(?:\/([^/]+)|@([^/]+))\/?$/.exec(uriOrDir);
  if (!m) throw notFound(`Invalid models URI ${show(uriOrDir)}; expected models:/<name>/<version|latest|stage> or models:/<name>@<alias>.`);
  const name = m[1];
  let ref = m[2];
  if (m[3] !== undefined) {
    const aliasFile = join(store, 'models', segment(name, 'registered model name'), 'aliases', segment(m[3], 'alias'));
    let v: string;
    try { v = (await readFile(aliasFile, 'utf8')).trim(); } catch { throw notFound(`Registered model ${show(name)} has no alias ${show(m[3])}.`); }
    if (!/^\d+$/.test(v)) throw invalid(`models/${name}/aliases/${m[3]}`, `expected a version number, got ${show(v)}`);
    ref = v;
  }
  const vdir = await versionDir(store, name, ref);
  const meta = await yamlFile(join(vdir, 'meta.yaml'), `models/${name}/${vdir.split(sep).pop()}/meta.yaml`);
  const source = String(meta.storage_location ?? meta.source ?? '');
  const runId = typeof meta.run_id === 'string' ? meta.run_id : '';
  if (source.startsWith('runs:/') || source.startsWith('models:/')) return resolveModelUri(source, store, depth + 1);
  const path = source.startsWith('file://') ? fileURLToPath(source) : source;
  if (path && isAbsolute(path)) {
    const rel = relative(store, path);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return confined(store, path, `source of ${uriOrDir}`);
    // Logged on another machine: re-anchor …/<run_id>/artifacts/<path> inside this store.
    const parts = path.split(/[\\/]/);
    const i = runId ? parts.lastIndexOf(runId) : -1;
    if (i >= 0 && parts[i + 1] === 'artifacts') return runArtifacts(store, runId, parts.slice(i + 2).join('/'));
  }
  throw notFound(`The source ${show(source)} of ${show(uriOrDir)} is not in the MLflow store ${show(store)}.`);
}

const TYPES: Record<string, ColumnType> = { double: 'double', float: 'double', long: 'long', integer: 'long', string: 'string', boolean: 'boolean' };

function signatureInputs(raw: unknown): ColumnSpec[] | null {
  if (raw === undefined || raw === null) return null;
  let spec: unknown;
  try { spec = typeof raw === 'string' ? JSON.parse(raw) : raw; } catch { throw invalid('MLmodel signature.inputs', 'not valid JSON'); }
  if (!Array.isArray(spec)) throw invalid('MLmodel signature.inputs', 'expected a JSON array');
  if (spec.some((c) => c && typeof c === 'object' && (c as { type?: unknown }).type === 'tensor')) return null;
  return spec.map((c, i) => {
    const e = c as { name?: unknown; type?: unknown };
    if (typeof e?.name !== 'string') throw invalid(`MLmodel signature.inputs[${i}].name`, 'expected a column name');
    const t = TYPES[String(e.type)];
    if (!t) {
      throw new WasmlearnError('UNSUPPORTED', `MLmodel signature column ${show(e.name)} has type ${show(e.type)}; wasmlearn supports ${Object.keys(TYPES).join(', ')}.`, { field: `signature.inputs[${i}]`, column: e.name });
    }
    return { name: e.name, type: t };
  });
}

/**
 * Reads an MLflow sklearn model: the MLmodel file, the pickle beside it (pickle or
 * cloudpickle), the signature (its inputs become the document's input schema) and
 * `input_example.json`.
 *
 * @param uriOrDir A model directory, `runs:/…` or `models:/…` (see {@link resolveModelUri}).
 * @param options `trackingDir` for URIs; `functions` / `classes` as for `pickleToDocument`.
 * @returns The document, the parsed MLmodel, the input example and `predictFn`.
 * @throws WasmlearnError `INVALID_INPUT` for a missing directory or URI target; `INVALID_MODEL` for a bad MLmodel;
 *   `UNSUPPORTED` for a model without the sklearn flavor; the errors of `pickleToDocument`.
 * @example
 * const { document, predictFn } = await readMlflowModel('runs:/f9e8…/model', { trackingDir: 'mlruns', functions: { ratio } });
 * predictFn // => 'predict'
 */
export async function readMlflowModel(uriOrDir: string, options: MlflowReadOptions = {}): Promise<MlflowModel> {
  const dir = await resolveModelUri(uriOrDir, options.trackingDir);
  const mlmodel = await yamlFile(join(dir, 'MLmodel'), 'MLmodel');
  const flavors = (mlmodel.flavors ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const sk = flavors.sklearn;
  const pyfunc = flavors.python_function;
  const pickled = (sk?.pickled_model ?? (pyfunc?.loader_module === 'mlflow.sklearn' ? pyfunc.model_path : undefined)) as unknown;
  if (typeof pickled !== 'string') {
    throw new WasmlearnError('UNSUPPORTED',
      `MLmodel in ${show(dir)} has no sklearn flavor (flavors: ${Object.keys(flavors).join(', ') || 'none'}); wasmlearn loads models logged with mlflow.sklearn.`, { field: 'flavors' });
  }
  const format = String(sk?.serialization_format ?? 'cloudpickle');
  if (format !== 'pickle' && format !== 'cloudpickle') {
    throw new WasmlearnError('UNSUPPORTED', `MLmodel serialization_format ${show(format)} is not supported; use pickle or cloudpickle.`, { field: 'flavors.sklearn.serialization_format' });
  }
  const pklPath = await confined(dir, join(dir, pickled), `flavors.sklearn.pickled_model ${show(pickled)}`);
  const doc = pickleToDocument(new Uint8Array(await readFile(pklPath)), options);
  const sig = (mlmodel.signature ?? null) as Record<string, unknown> | null;
  const inputs = signatureInputs(sig?.inputs);
  if (inputs) doc.signature = { ...doc.signature, inputs };
  const predictFn = typeof pyfunc?.predict_fn === 'string' ? pyfunc.predict_fn : 'predict';
  const meta: Record<string, string> = { ...doc.metadata, source: 'mlflow', predictFn, serializationFormat: format };
  for (const [k, key] of [['run_id', 'runId'], ['mlflow_version', 'mlflowVersion'], ['model_uuid', 'modelUuid'], ['utc_time_created', 'utcTimeCreated'], ['artifact_path', 'artifactPath']] as const) {
    if (mlmodel[k] !== undefined && mlmodel[k] !== null && mlmodel[k] !== '') meta[key] = String(mlmodel[k]);
  }
  if (typeof sk?.sklearn_version === 'string') meta.sklearnVersion = sk.sklearn_version;
  doc.metadata = meta;
  const info = mlmodel.saved_input_example_info as { artifact_path?: unknown } | undefined;
  const exName = typeof info?.artifact_path === 'string' ? info.artifact_path : 'input_example.json';
  let inputExample: unknown;
  if (await exists(join(dir, exName))) {
    const p = await confined(dir, join(dir, exName), 'input example');
    try { inputExample = JSON.parse(await readFile(p, 'utf8')); } catch { throw invalid(exName, 'not valid JSON'); }
  }
  return { document: doc, mlmodel, ...(inputExample !== undefined ? { inputExample } : {}), predictFn, dir };
}
