import { WasmlearnError, show } from '../core/errors.js';
import type { Estimator, EstimatorDocument, Transformer } from '../core/estimator.js';
import type { InputState } from '../core/base.js';
import { badField, encodeCategory, expectArray, expectInt, expectObject, expectOneOf, expectStringArray } from '../core/json.js';
import { SimpleImputer, parseImputerParams } from '../preprocessing/simple-imputer.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { OneHotEncoder } from '../preprocessing/one-hot-encoder.js';
import { FunctionTransformer, type TransformerFunction } from '../preprocessing/function-transformer.js';
import { LogisticRegression, type LogisticRegressionOptions } from '../linear-model/logistic-regression.js';
import { Pipeline, type Signature, type Step } from '../compose/pipeline.js';
import { ColumnTransformer, type FittedEntry, type TransformerEntry, type TransformerSpec } from '../compose/column-transformer.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, VERSION, type ModelDocument } from './document.js';

export interface LoadOptions {
  /** Functions for FunctionTransformer steps, by registered name (else the global registry is used). */
  functions?: Record<string, TransformerFunction>;
}

const MAX_DEPTH = 32;

/**
 * Rebuilds a model from a model document (or an estimator document, or their JSON text).
 * The whole document is validated first; nothing is built from a bad one.
 *
 * @param doc A `ModelDocument` from `saveModel`/the Python exporter, an estimator's `toJSON()`, or JSON text of either.
 * @returns The root estimator (usually a `Pipeline`), fitted.
 * @throws WasmlearnError `INVALID_MODEL` naming the field at fault; `NOT_REGISTERED` for an unbound FunctionTransformer.
 * @example
 * const again = loadModel(JSON.stringify(clf.toJSON()));
 * again.predictProba(rows); // same as clf.predictProba(rows), bit for bit
 */
export function loadModel(doc: ModelDocument | EstimatorDocument | string, options: LoadOptions = {}): Pipeline & Estimator {
  let parsed: unknown = doc;
  if (typeof doc === 'string') {
    try { parsed = JSON.parse(doc); } catch (cause) {
      throw new WasmlearnError('INVALID_MODEL', `Invalid model document: not JSON (${(cause as Error).message}).`, { field: '(root)' }, { cause });
    }
  }
  const root = expectObject(parsed, '(root)');
  let estimatorDoc: unknown = root;
  let path = 'estimator';
  let signature: Signature | null = null;
  if ('format' in root || 'formatVersion' in root) {
    if (root.format !== MODEL_FORMAT) throw badField('format', `expected ${JSON.stringify(MODEL_FORMAT)}, got ${show(root.format)}`);
    if (root.formatVersion !== MODEL_FORMAT_VERSION) {
      throw badField('formatVersion', `this version of wasmlearn reads format version ${MODEL_FORMAT_VERSION}, the document has ${show(root.formatVersion)}`);
    }
    estimatorDoc = root.estimator;
    signature = parseSignature(root.signature, 'signature');
  } else path = '(root)';
  const est = buildEstimator(estimatorDoc, path, options, 0, true);
  if (est instanceof Pipeline) {
    if (signature && !est.signature_) return Pipeline.fromState(est.steps, signature) as Pipeline & Estimator;
    return est as Pipeline & Estimator;
  }
  // A bare estimator is wrapped so every loaded model has the same surface.
  return Pipeline.fromState([[String((estimatorDoc as { type: string }).type).toLowerCase(), est]], signature) as Pipeline & Estimator;
}

/**
 * The model document of a fitted estimator, with its input signature and optional
 * training profile and metadata.
 */
export function saveModel(estimator: Estimator, extras: { profile?: unknown; metadata?: Record<string, string> } = {}): ModelDocument {
  if (!estimator.isFitted) throw new WasmlearnError('NOT_FITTED', 'saveModel needs a fitted estimator.');
  const sig = estimator instanceof Pipeline ? estimator.signature_ : null;
  const classes = (estimator as { classes_?: unknown[] }).classes_;
  return {
    format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION,
    producer: { name: 'wasmlearn', version: VERSION },
    signature: sig ? { ...sig, outputs: classes ? { classes: classes.map((c) => encodeCategory(c as number | string)) } : undefined } : null,
    estimator: estimator.toJSON(),
    profile: extras.profile ?? null,
    metadata: extras.metadata ?? {},
  };
}

/** Builds an estimator (fitted, or unfitted when `state` is null) from its document. */
export function estimatorFromJSON(doc: EstimatorDocument | unknown, options: LoadOptions = {}): Estimator {
  return buildEstimator(doc, '(root)', options, 0, false);
}

function parseSignature(v: unknown, field: string): Signature | null {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, field);
  return {
    inputs: expectArray(o.inputs, `${field}.inputs`).map((c, i) => {
      const e = expectObject(c, `${field}.inputs[${i}]`);
      if (typeof e.name !== 'string') throw badField(`${field}.inputs[${i}].name`, 'expected a string');
      return { name: e.name, type: expectOneOf(e.type, `${field}.inputs[${i}].type`, ['double', 'long', 'string', 'boolean'] as const) };
    }),
  };
}

function parseInput(s: Record<string, unknown>, field: string): InputState {
  const nFeaturesIn = expectInt(s.nFeaturesIn, `${field}.nFeaturesIn`, 0, 1_000_000);
  const featureNamesIn = s.featureNamesIn === null || s.featureNamesIn === undefined ? null : expectStringArray(s.featureNamesIn, `${field}.featureNamesIn`, nFeaturesIn);
  return { nFeaturesIn, featureNamesIn };
}

function buildEstimator(v: unknown, field: string, options: LoadOptions, depth: number, requireFitted: boolean): Estimator {
  if (depth > MAX_DEPTH) throw badField(field, `nesting deeper than ${MAX_DEPTH} levels`);
  const doc = expectObject(v, field);
  const type = doc.type;
  if (doc.version !== 1) throw badField(`${field}.version`, `expected 1 for ${show(type)}, got ${show(doc.version)}`);
  const params = expectObject(doc.params ?? {}, `${field}.params`);
  const stateRaw = doc.state;
  if (stateRaw !== null && stateRaw !== undefined) expectObject(stateRaw, `${field}.state`);
  const state = (stateRaw ?? null) as Record<string, unknown> | null;
  const needState = (t: string) => {
    if (!state && requireFitted) throw badField(`${field}.state`, `${t} is not fitted (state is null)`);
    return state;
  };
  switch (type) {
    case 'SimpleImputer': {
      const p = parseImputerParams(params, `${field}.params`);
      const s = needState('SimpleImputer');
      return s ? SimpleImputer.fromState(p, SimpleImputer.parseState(s, `${field}.state`, parseInput(s, `${field}.state`))) : new SimpleImputer(p);
    }
    case 'StandardScaler': {
      const p = { withMean: params.withMean !== false, withStd: params.withStd !== false };
      const s = needState('StandardScaler');
      return s ? StandardScaler.fromState(p, StandardScaler.parseState(s, `${field}.state`, parseInput(s, `${field}.state`), p)) : new StandardScaler(p);
    }
    case 'OneHotEncoder': {
      const p = OneHotEncoder.parseParams(params, `${field}.params`);
      const s = needState('OneHotEncoder');
      return s ? OneHotEncoder.fromState(p, OneHotEncoder.parseState(s, `${field}.state`, parseInput(s, `${field}.state`))) : new OneHotEncoder(p);
    }
    case 'FunctionTransformer': {
      const p = FunctionTransformer.parseParams(params, `${field}.params`, options.functions);
      const s = needState('FunctionTransformer');
      return s ? FunctionTransformer.fromState(p, FunctionTransformer.parseState(s, `${field}.state`, parseInput(s, `${field}.state`))) : new FunctionTransformer(p);
    }
    case 'LogisticRegression': {
      const p = parseLrParams(params, `${field}.params`);
      const s = needState('LogisticRegression');
      return s ? LogisticRegression.fromState(p, LogisticRegression.parseState(s, `${field}.state`, parseInput(s, `${field}.state`), p)) : new LogisticRegression(p);
    }
    case 'Pipeline': {
      const rawSteps = expectArray(params.steps, `${field}.params.steps`, undefined, 1000);
      if (rawSteps.length === 0) throw badField(`${field}.params.steps`, 'expected a non-empty array of [name, estimator]');
      const steps = rawSteps.map((st, i): Step => {
        const f = `${field}.params.steps[${i}]`;
        if (!Array.isArray(st) || st.length !== 2 || typeof st[0] !== 'string') throw badField(f, 'expected [name, estimator]');
        if (st[1] === 'passthrough') return [st[0], 'passthrough'];
        const e = buildEstimator(st[1], `${f}[1]`, options, depth + 1, requireFitted);
        if (i < rawSteps.length - 1 && typeof (e as Transformer).transformFrame !== 'function') {
          throw badField(`${f}[1]`, `${show((st[1] as { type?: unknown }).type)} cannot be an intermediate step: every step but the last must be a transformer`);
        }
        return [st[0], e];
      });
      // Each fitted step must accept what the step before it produces.
      for (let i = 1; i < steps.length; i++) {
        const prev = steps[i - 1][1], cur = steps[i][1];
        if (prev === 'passthrough' || cur === 'passthrough' || !prev.isFitted || !cur.isFitted) continue;
        const width = (prev as Transformer).getFeatureNamesOut().length;
        const want = (cur as unknown as { nFeaturesIn_: number }).nFeaturesIn_;
        if (width !== want) throw badField(`${field}.params.steps[${i}][1].state.nFeaturesIn`, `expected ${width} (the output width of step ${show(steps[i - 1][0])}), got ${want}`);
      }
      const sigRaw = state && state.signature !== undefined ? state.signature : null;
      const sig = parseSignature(sigRaw, `${field}.state.signature`);
      const fitted = steps.every(([, e]) => e === 'passthrough' || e.isFitted);
      return fitted ? Pipeline.fromState(steps, sig) : new Pipeline(steps);
    }
    case 'ColumnTransformer': {
      const spec = (t: unknown, f: string, fitted: boolean): TransformerSpec => {
        if (t === 'drop' || t === 'passthrough') return t;
        const e = buildEstimator(t, f, options, depth + 1, fitted);
        if (typeof (e as Transformer).transformFrame !== 'function') throw badField(f, `${show((t as { type?: unknown }).type)} is not a transformer`);
        return e as Transformer;
      };
      const cols = (c: unknown, f: string): string[] | number[] => {
        expectArray(c, f);
        if (!Array.isArray(c) || !(c.every((x) => typeof x === 'string') || c.every((x) => Number.isInteger(x)))) throw badField(f, 'expected an array of column names or of integer positions');
        return c as string[] | number[];
      };
      const transformers = expectArray(params.transformers, `${field}.params.transformers`, undefined, 10_000).map((t, i): TransformerEntry => {
        const f = `${field}.params.transformers[${i}]`;
        if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') throw badField(f, 'expected [name, transformer, columns]');
        return [t[0], spec(t[1], `${f}[1]`, false), cols(t[2], `${f}[2]`)];
      });
      const remainder = params.remainder === undefined ? 'drop' : spec(params.remainder, `${field}.params.remainder`, false);
      const opts = { remainder, verboseFeatureNamesOut: params.verboseFeatureNamesOut !== false };
      const s = needState('ColumnTransformer');
      if (!s) return new ColumnTransformer(transformers, opts);
      const input = parseInput(s, `${field}.state`);
      const fittedEntries = expectArray(s.transformers, `${field}.state.transformers`, undefined, 10_000).map((t, i): FittedEntry => {
        const f = `${field}.state.transformers[${i}]`;
        if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') throw badField(f, 'expected [name, transformer, columns]');
        const names = cols(t[2], `${f}[2]`).map((c) => {
          if (typeof c === 'string') return c;
          if (!input.featureNamesIn || c < 0 || c >= input.featureNamesIn.length) throw badField(`${f}[2]`, `column position ${c} needs featureNamesIn`);
          return input.featureNamesIn[c];
        });
        const tr = spec(t[1], `${f}[1]`, true);
        if (typeof tr !== 'string') {
          const n = (tr as unknown as { nFeaturesIn_: number }).nFeaturesIn_;
          if (n !== names.length) throw badField(`${f}[1].state.nFeaturesIn`, `expected ${names.length} (the number of selected columns), got ${n}`);
        }
        return { name: t[0], transformer: tr, columns: names, selector: names };
      });
      if (input.featureNamesIn) {
        const known = new Set(input.featureNamesIn);
        fittedEntries.forEach((e, i) => e.columns.forEach((c, j) => { if (!known.has(c)) throw badField(`${field}.state.transformers[${i}][2][${j}]`, `column ${show(c)} is not in featureNamesIn`); }));
      }
      return ColumnTransformer.fromState(transformers, opts, { ...input, fitted: fittedEntries });
    }
    default:
      throw badField(`${field}.type`, `unknown estimator type ${show(type)}; known: SimpleImputer, StandardScaler, OneHotEncoder, FunctionTransformer, LogisticRegression, Pipeline, ColumnTransformer`);
  }
}

function parseLrParams(p: Record<string, unknown>, field: string): LogisticRegressionOptions {
  const num = (k: string, d: number, min = 0) => {
    const v = p[k] ?? d;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw badField(`${field}.${k}`, `expected a number >= ${min}, got ${show(v)}`);
    return v;
  };
  return {
    penalty: expectOneOf(p.penalty ?? 'l2', `${field}.penalty`, ['l2', 'none'] as const),
    C: num('C', 1, Number.MIN_VALUE),
    fitIntercept: p.fitIntercept !== false,
    maxIter: num('maxIter', 100),
    tol: num('tol', 1e-4),
    multiClass: expectOneOf(p.multiClass ?? 'auto', `${field}.multiClass`, ['auto', 'multinomial', 'ovr'] as const),
  };
}
