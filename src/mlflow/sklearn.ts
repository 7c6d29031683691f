/**
 * scikit-learn objects (from the safe unpickler) → wasmlearn model documents
 * (docs/model-format.md). Reads each estimator's `__dict__` exactly as scikit-learn 1.x
 * stores it; the mapping mirrors `python/wasmlearn_export.py`.
 */
import { WasmlearnError, show } from '../core/errors.js';
import type { EstimatorDocument } from '../core/estimator.js';
import { encodeNumber, type JsonCategory, type JsonNumber } from '../core/json.js';
import { PyBytes, PyDict } from './pickle-vm.js';
import {
  PyFunctionRef, PyGlobal, PyNdArray, PyObject, PySlice, SKLEARN_CLASSES,
  elementsOf, unsafe, unpickle,
} from './python-objects.js';
import type { ColumnSpec, ModelDocument, PickleOptions } from './types.js';
import { VERSION } from '../model/document.js';
import { registeredFunction } from '../preprocessing/function-transformer.js';

const MAX_DEPTH = 32;
const MAX_JSON_NODES = 100_000;

interface Ctx {
  functions: Record<string, unknown>;
  classes: Record<string, unknown>;
  depth: number;
  /** Input columns of the estimator being converted, when the parent knows them. */
  columns?: (string | number)[];
  /** Input width of the step after this one, when known (sizes a FunctionTransformer's output). */
  outWidth?: number;
  /** False inside a ColumnTransformer's unfitted `transformers` / `remainder` parameters. */
  fittedPart?: boolean;
}

type Step = EstimatorDocument | 'passthrough' | 'drop';

function bad(path: string, problem: string): WasmlearnError {
  return new WasmlearnError('INVALID_MODEL', `Invalid scikit-learn pickle at ${path}: ${problem}.`, { field: path });
}

function unsupported(path: string, what: string): WasmlearnError {
  return new WasmlearnError('UNSUPPORTED', `${what} (at ${path}).`, { field: path });
}

/** Elements of a 1-D sequence: numpy array, list or tuple. */
function seq(v: unknown, path: string): unknown[] {
  if (v instanceof PyNdArray) return elementsOf(v, path);
  if (Array.isArray(v)) return v;
  throw bad(path, `expected an array or list, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v instanceof PyObject) return v.qualname;
  if (v instanceof PyGlobal) return v.qualname;
  if (v instanceof PyNdArray) return `numpy array of shape (${v.shape.join(', ')})`;
  if (v instanceof PyDict) return 'dict';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'tuple' : 'list';
  return show(v);
}

function num(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') throw bad(path, `integer ${v} is outside the float64-exact range`);
  throw bad(path, `expected a number, got ${describe(v)}`);
}

function int(v: unknown, path: string): number {
  const x = num(v, path);
  if (!Number.isInteger(x)) throw bad(path, `expected an integer, got ${x}`);
  return x;
}

function floats(v: unknown, path: string): JsonNumber[] {
  return seq(v, path).map((x, i) => encodeNumber(num(x, `${path}[${i}]`)));
}

function category(v: unknown, path: string): JsonCategory {
  if (typeof v === 'string') return v;
  if (v === null) return { $float: 'NaN' };
  if (v instanceof PyBytes) return new TextDecoder().decode(v.data);
  return encodeNumber(num(v, path));
}

function categories(v: unknown, path: string): JsonCategory[] {
  return seq(v, path).map((x, i) => category(x, `${path}[${i}]`));
}

function matrix(v: unknown, path: string): JsonNumber[][] {
  if (!(v instanceof PyNdArray)) throw bad(path, `expected a numpy array, got ${describe(v)}`);
  const flat = elementsOf(v, path);
  const [r, c] = v.shape.length === 2 ? v.shape : [1, v.size];
  return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c).map((x, j) => encodeNumber(num(x, `${path}[${i}][${j}]`))));
}

function namesIn(o: PyObject, path: string): string[] | null {
  const v = o.attr('feature_names_in_');
  if (v === undefined || v === null) return null;
  return seq(v, `${path}.feature_names_in_`).map((x) => String(x));
}

function common(o: PyObject, path: string): { nFeaturesIn: number; featureNamesIn: string[] | null } {
  return { nFeaturesIn: int(o.attr('n_features_in_'), `${path}.n_features_in_`), featureNamesIn: namesIn(o, path) };
}

function fitted(o: PyObject): boolean { return o.state.has('n_features_in_'); }

function str(o: PyObject, key: string, path: string, allowed?: readonly string[]): string {
  const v = o.attr(key);
  if (typeof v !== 'string') throw bad(`${path}.${key}`, `expected a string, got ${describe(v)}`);
  if (allowed && !allowed.includes(v)) {
    throw unsupported(`${path}.${key}`, `${o.cls.name}(${key}=${JSON.stringify(v)}) is not supported by wasmlearn; use one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return v;
}

function bool(o: PyObject, key: string, dflt: boolean): boolean {
  const v = o.attr(key);
  return v === undefined ? dflt : v === true || v === 1;
}

/** A kw_args value as JSON, with a node budget (a pickle can share one list 2^60 ways). */
function toJson(v: unknown, path: string, budget: { n: number }, depth = 0): unknown {
  if (++budget.n > MAX_JSON_NODES) throw bad(path, `value has more than ${MAX_JSON_NODES} parts`);
  if (depth > MAX_DEPTH) throw bad(path, `value nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return encodeNumber(v);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyNdArray) return elementsOf(v, path).map((x, i) => toJson(x, `${path}[${i}]`, budget, depth + 1));
  if (Array.isArray(v)) return v.map((x, i) => toJson(x, `${path}[${i}]`, budget, depth + 1));
  if (v instanceof PyDict) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.map) {
      if (typeof k !== 'string') throw bad(path, `dict key ${describe(k)} is not a string`);
      if (k === '__proto__') throw bad(path, 'dict key "__proto__" is not allowed');
      o[k] = toJson(x, `${path}.${k}`, budget, depth + 1);
    }
    return o;
  }
  throw bad(path, `${describe(v)} cannot be written as JSON`);
}

function doc(type: string, params: Record<string, unknown>, state: Record<string, unknown> | null): EstimatorDocument {
  return { type, version: 1, params, state };
}

function className(v: unknown): string | null {
  if (v instanceof PyObject && v.cls instanceof PyGlobal && v.cls.kind === 'class' && SKLEARN_CLASSES.has(v.cls.name)) return v.cls.name;
  return null;
}

/** Converts a step / transformer value (estimator object or marker string). */
function step(v: unknown, path: string, ctx: Ctx): Step {
  if (v === null || v === 'passthrough') return 'passthrough';
  if (v === 'drop') return 'drop';
  return estimator(v, path, ctx);
}

function estimator(v: unknown, path: string, ctx: Ctx): EstimatorDocument {
  if (ctx.depth > MAX_DEPTH) throw bad(path, `estimators nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
  switch (className(v)) {
    case 'Pipeline': return pipeline(v as PyObject, path, inner);
    case 'ColumnTransformer': return columnTransformer(v as PyObject, path, inner);
    case 'SimpleImputer': return simpleImputer(v as PyObject, path);
    case 'StandardScaler': return standardScaler(v as PyObject, path);
    case 'OneHotEncoder': return oneHotEncoder(v as PyObject, path);
    case 'FunctionTransformer': return functionTransformer(v as PyObject, path, inner);
    case 'LogisticRegression': return logisticRegression(v as PyObject, path);
    default: return customClass(v, path, inner);
  }
}

function customClass(v: unknown, path: string, ctx: Ctx): EstimatorDocument {
  if (!(v instanceof PyObject)) throw bad(path, `expected a scikit-learn estimator, got ${describe(v)}`);
  const q = v.qualname;
  const key = [q, v.cls.name].find((k) => Object.prototype.hasOwnProperty.call(ctx.classes, k)) ?? (registeredFunction(q) ? q : undefined);
  if (key === undefined) {
    if (v.cls instanceof PyGlobal && v.cls.module.startsWith('sklearn')) {
      throw new WasmlearnError('UNSUPPORTED',
        `${q} (at ${path}) is not supported by wasmlearn; supported scikit-learn classes: ` +
        `${[...SKLEARN_CLASSES].filter((c) => /^[A-Z]/.test(c)).join(', ')}.`, { field: path, class: q });
    }
    throw new WasmlearnError('NOT_REGISTERED',
      `register a JS implementation for ${q} (at ${path}): pass { classes: { ${JSON.stringify(q)}: fn } } ` +
      `(fn receives the selected columns by name and returns the new column(s)), or refit without the custom class.`,
      { field: path, class: q });
  }
  const n = v.attr('n_features_in_');
  if (typeof n !== 'number' && ctx.fittedPart === false) return doc('FunctionTransformer', { name: key, featureNamesOut: null, kwArgs: null }, null);
  const names = v.state.has('feature_names_in_') ? namesIn(v, path) : (ctx.columns?.every((c) => typeof c === 'string') ? ctx.columns as string[] : null);
  const nIn = typeof n === 'number' ? n : ctx.columns?.length;
  if (nIn === undefined) throw bad(path, `${q} has no n_features_in_ and its input columns are unknown`);
  return doc('FunctionTransformer', { name: key, featureNamesOut: null, kwArgs: null },
    { nFeaturesIn: nIn, featureNamesIn: names, featureNamesOut: null });
}

function pipeline(o: PyObject, path: string, ctx: Ctx): EstimatorDocument {
  const raw = o.attr('steps');
  if (!Array.isArray(raw) || raw.length === 0) throw bad(`${path}.steps`, `expected a non-empty list of (name, estimator), got ${describe(raw)}`);
  const nextWidth = (i: number): number | undefined => {
    if (i + 1 >= raw.length) return ctx.outWidth;
    const next = Array.isArray(raw[i + 1]) ? (raw[i + 1] as unknown[])[1] : undefined;
    const n = next instanceof PyObject ? next.attr('n_features_in_') : undefined;
    return typeof n === 'number' ? n : undefined;
  };
  const steps = raw.map((s, i): [string, Step] => {
    const p = `${path}.steps[${i}]`;
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'string') throw bad(p, 'expected a (name, estimator) pair');
    const d = step(s[1], `${p}[1]`, { ...ctx, columns: i === 0 ? ctx.columns : undefined, outWidth: nextWidth(i) });
    return [s[0], d === 'drop' ? 'passthrough' : d];
  });
  // A FunctionTransformer's output width is the next step's input width.
  steps.forEach(([, d], i) => {
    const next = steps[i + 1]?.[1];
    if (typeof d !== 'string' && typeof next === 'object' && next.state) fixWidth(d, next.state.nFeaturesIn as number);
  });
  return doc('Pipeline', { steps }, null);
}

/** Sets `featureNamesOut` of a FunctionTransformer (possibly the last step of a Pipeline) whose width was unknown. */
function fixWidth(d: EstimatorDocument, width: number): void {
  if (d.type === 'Pipeline') {
    const steps = d.params.steps as [string, Step][];
    const last = steps[steps.length - 1][1];
    if (typeof last !== 'string') fixWidth(last, width);
    return;
  }
  if (d.type !== 'FunctionTransformer' || !d.state || d.state.featureNamesOut !== null) return;
  const name = d.params.name as string;
  const out = width === 1 ? [name] : Array.from({ length: width }, (_, j) => `${name}${j}`);
  d.state.featureNamesOut = out;
}

/** Output width of a fitted transformer document, or null when unknown. */
function width(d: Step, nCols: number): number | null {
  if (d === 'drop') return 0;
  if (d === 'passthrough') return nCols;
  if (d.type === 'Pipeline') {
    let w: number | null = nCols;
    for (const [, st] of d.params.steps as [string, Step][]) { if (w === null) return null; w = width(st, w); }
    return w;
  }
  const s = d.state;
  if (!s) return null;
  switch (d.type) {
    case 'SimpleImputer': {
      const stats = s.statistics as unknown[];
      if (d.params.keepEmptyFeatures || d.params.strategy === 'constant') return stats.length;
      return stats.filter((x) => !(typeof x === 'object' && x !== null)).length;
    }
    case 'StandardScaler': return s.nFeaturesIn as number;
    case 'OneHotEncoder': {
      const cats = s.categories as unknown[][];
      const drop = s.dropIdx as (number | null)[] | null;
      return cats.reduce((a: number, c, i) => a + c.length - (drop && drop[i] !== null ? 1 : 0), 0);
    }
    case 'FunctionTransformer': return s.featureNamesOut ? (s.featureNamesOut as string[]).length : null;
    case 'ColumnTransformer': {
      let total = 0;
      for (const t of s.transformers as [string, Step, unknown[]][]) {
        const w = width(t[1], t[2].length);
        if (w === null) return null;
        total += w;
      }
      return total;
    }
    default: return null;
  }
}

function columnSpec(spec: unknown, path: string, names: string[] | null, nIn: number | null): (string | number)[] {
  if (typeof spec === 'string') return [spec];
  if (typeof spec === 'number') return [spec];
  if (spec instanceof PyObject && spec.cls.name === '_RemainderColsList') return columnSpec(spec.attr('data'), path, names, nIn);
  if (spec instanceof PySlice) {
    const all = Array.from({ length: nIn ?? 0 }, (_, i) => i);
    if (nIn === null) throw bad(path, 'a slice column selector needs fitted state');
    const pos = (x: unknown, dflt: number, end: boolean) => {
      if (x === null) return dflt;
      if (typeof x === 'string') {
        const i = names ? names.indexOf(x) : -1;
        if (i < 0) throw bad(path, `column ${show(x)} of a slice is not an input column`);
        return end ? i + 1 : i; // label slices include their end
      }
      const v = int(x, path);
      return v < 0 ? Math.max(0, nIn + v) : Math.min(v, nIn);
    };
    const step = spec.step === null ? 1 : int(spec.step, path);
    if (step <= 0) throw unsupported(path, 'a column slice with a non-positive step is not supported');
    return all.slice(pos(spec.start, 0, false), pos(spec.stop, nIn, true)).filter((_, i) => i % step === 0)
      .map((i) => (names ? names[i] : i));
  }
  if (spec instanceof PyObject) throw unsupported(path, `column selector ${spec.qualname} can only be read from a fitted ColumnTransformer`);
  const items = seq(spec, path);
  if (items.length && items.every((x) => typeof x === 'boolean')) return items.flatMap((x, i) => (x ? [i] : []));
  return items.map((x, i) => {
    if (typeof x === 'string') return x;
    const v = int(x, `${path}[${i}]`);
    return v < 0 && nIn !== null ? nIn + v : v;
  });
}

function columnTransformer(o: PyObject, path: string, ctx: Ctx): EstimatorDocument {
  const weights = o.attr('transformer_weights');
  if (weights !== undefined && weights !== null) throw unsupported(`${path}.transformer_weights`, 'ColumnTransformer(transformer_weights=…) is not supported by wasmlearn');
  const isFitted = fitted(o);
  const names = isFitted ? namesIn(o, path) : null;
  const nIn = isFitted ? int(o.attr('n_features_in_'), `${path}.n_features_in_`) : null;
  const resolved = o.attr('_columns');
  const toNames = (cols: (string | number)[]) => (names ? cols.map((c) => (typeof c === 'number' ? names[c] : c)) : cols);

  const entries = o.attr('transformers');
  if (!Array.isArray(entries)) throw bad(`${path}.transformers`, `expected a list, got ${describe(entries)}`);
  const params = entries.map((t, i) => {
    const p = `${path}.transformers[${i}]`;
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') throw bad(p, 'expected (name, transformer, columns)');
    const spec = isFitted && Array.isArray(resolved) && resolved[i] !== undefined ? resolved[i] : t[2];
    const cols = columnSpec(spec, `${p}[2]`, names, nIn);
    return [t[0], step(t[1], `${p}[1]`, { ...ctx, columns: cols, outWidth: undefined, fittedPart: false }), isFitted ? toNames(cols) : cols];
  });
  const rem = o.attr('remainder');
  const remainder = rem === 'drop' || rem === 'passthrough' ? rem : step(rem, `${path}.remainder`, { ...ctx, columns: undefined, outWidth: undefined, fittedPart: false });
  const p = { transformers: params, remainder, verboseFeatureNamesOut: bool(o, 'verbose_feature_names_out', true) };
  if (!isFitted) return doc('ColumnTransformer', p, null);

  const fittedRaw = o.attr('transformers_');
  if (!Array.isArray(fittedRaw)) throw bad(`${path}.transformers_`, `expected a list, got ${describe(fittedRaw)}`);
  const byName = o.attr('_transformer_to_input_indices');
  const list: [string, Step, (string | number)[]][] = [];
  fittedRaw.forEach((t, i) => {
    const f = `${path}.transformers_[${i}]`;
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') throw bad(f, 'expected (name, transformer, columns)');
    const [name, tr] = t;
    if (name === 'remainder' && tr === 'drop') return;
    let cols: (string | number)[];
    const idx = byName instanceof PyDict ? byName.get(name) : undefined;
    if (idx !== undefined) cols = seq(idx, `${path}._transformer_to_input_indices.${name}`).map((x) => int(x, f));
    else {
      const spec = name !== 'remainder' && Array.isArray(resolved) && resolved[i] !== undefined ? resolved[i] : t[2];
      cols = columnSpec(spec, `${f}[2]`, names, nIn);
    }
    cols = toNames(cols);
    if (tr === 'drop' || tr === 'passthrough') { list.push([name, tr, cols]); return; }
    if (className(tr) && !fitted(tr as PyObject) && className(tr) !== 'Pipeline' && cols.length === 0) { list.push([name, 'drop', cols]); return; }
    list.push([name, step(tr, `${f}[1]`, { ...ctx, columns: cols, outWidth: undefined, fittedPart: true }), cols]);
  });
  // A FunctionTransformer without feature_names_out: its output width is read from
  // output_indices_ (scikit-learn >= 1.0), else inferred from the next step's input width.
  const outIdx = o.attr('output_indices_');
  if (outIdx instanceof PyDict) {
    for (const [name, d] of list) {
      const sl = outIdx.get(name);
      if (typeof d !== 'string' && sl instanceof PySlice && typeof sl.start === 'number' && typeof sl.stop === 'number') fixWidth(d, sl.stop - sl.start);
    }
  }
  const unknown = list.filter(([, d, c]) => width(d, c.length) === null);
  if (unknown.length === 1 && ctx.outWidth !== undefined) {
    const known = list.reduce((a, [, d, c]) => a + (width(d, c.length) ?? 0), 0);
    const w = ctx.outWidth - known;
    if (w > 0 && typeof unknown[0][1] !== 'string') fixWidth(unknown[0][1], w);
  }
  return doc('ColumnTransformer', p, { transformers: list, nFeaturesIn: nIn, featureNamesIn: names });
}

function simpleImputer(o: PyObject, path: string): EstimatorDocument {
  const mv = o.attr('missing_values');
  if (!(mv === null || (typeof mv === 'number' && Number.isNaN(mv)))) {
    throw unsupported(`${path}.missing_values`, `SimpleImputer(missing_values=${show(mv)}) is not supported by wasmlearn; only NaN / None mark missing values`);
  }
  if (bool(o, 'add_indicator', false)) throw unsupported(`${path}.add_indicator`, 'SimpleImputer(add_indicator=True) is not supported by wasmlearn');
  const fill = o.attr('fill_value');
  const params = {
    strategy: str(o, 'strategy', path, ['mean', 'median', 'most_frequent', 'constant']),
    fillValue: fill === undefined || fill === null ? null : typeof fill === 'string' ? fill : encodeNumber(num(fill, `${path}.fill_value`)),
    keepEmptyFeatures: bool(o, 'keep_empty_features', false),
  };
  if (!fitted(o)) return doc('SimpleImputer', params, null);
  return doc('SimpleImputer', params, { statistics: categories(o.attr('statistics_'), `${path}.statistics_`), ...common(o, path) });
}

function standardScaler(o: PyObject, path: string): EstimatorDocument {
  const params = { withMean: bool(o, 'with_mean', true), withStd: bool(o, 'with_std', true) };
  if (!fitted(o)) return doc('StandardScaler', params, null);
  const opt = (k: string) => { const v = o.attr(k); return v === null || v === undefined ? null : floats(v, `${path}.${k}`); };
  const seen = o.attr('n_samples_seen_');
  return doc('StandardScaler', params, {
    mean: opt('mean_'), var: opt('var_'), scale: opt('scale_'),
    nSamplesSeen: seen instanceof PyNdArray || Array.isArray(seen) ? seq(seen, `${path}.n_samples_seen_`).map((x) => int(x, `${path}.n_samples_seen_`)) : int(seen, `${path}.n_samples_seen_`),
    ...common(o, path),
  });
}

function oneHotEncoder(o: PyObject, path: string): EstimatorDocument {
  const handleUnknown = str(o, 'handle_unknown', path, ['error', 'ignore']);
  for (const k of ['min_frequency', 'max_categories']) {
    const v = o.attr(k);
    if (v !== undefined && v !== null) throw unsupported(`${path}.${k}`, `OneHotEncoder(${k}=${show(v)}) is not supported by wasmlearn (infrequent categories)`);
  }
  const c = o.attr('categories');
  const cats = typeof c === 'string' ? (c === 'auto' ? 'auto' : (() => { throw unsupported(`${path}.categories`, `OneHotEncoder(categories=${show(c)})`); })())
    : seq(c, `${path}.categories`).map((x, i) => categories(x, `${path}.categories[${i}]`));
  const d = o.attr('drop');
  const drop = d === null || d === undefined ? null : typeof d === 'string'
    ? (d === 'first' || d === 'if_binary' ? d : (() => { throw unsupported(`${path}.drop`, `OneHotEncoder(drop=${show(d)})`); })())
    : seq(d, `${path}.drop`).map((x, i) => (x === null ? null : category(x, `${path}.drop[${i}]`)));
  const params = { categories: cats, handleUnknown, drop };
  if (!fitted(o)) return doc('OneHotEncoder', params, null);
  const di = o.attr('drop_idx_');
  return doc('OneHotEncoder', params, {
    categories: seq(o.attr('categories_'), `${path}.categories_`).map((x, i) => categories(x, `${path}.categories_[${i}]`)),
    dropIdx: di === null || di === undefined ? null : seq(di, `${path}.drop_idx_`).map((x, i) => (x === null ? null : int(x, `${path}.drop_idx_[${i}]`))),
    ...common(o, path),
  });
}

/** The names a function may be registered under, most specific first. */
function functionNames(f: unknown, path: string): string[] {
  if (f instanceof PyFunctionRef) {
    const short = f.qualname.split('.').pop() as string;
    return [...new Set([f.fullName, f.qualname, short])];
  }
  if (f instanceof PyGlobal) return [...new Set([f.qualname, f.name])];
  if (f instanceof PyObject && f.cls.qualname === 'functools.partial') throw unsupported(path, 'FunctionTransformer(func=functools.partial(...)) is not supported; use kw_args');
  throw unsafe(describe(f), ' as a FunctionTransformer function');
}

function functionTransformer(o: PyObject, path: string, ctx: Ctx): EstimatorDocument {
  const f = o.attr('func');
  let name = 'identity';
  if (f !== null && f !== undefined) {
    const candidates = functionNames(f, `${path}.func`);
    const hit = candidates.find((k) => Object.prototype.hasOwnProperty.call(ctx.functions, k) || registeredFunction(k) !== undefined);
    if (hit === undefined) {
      throw new WasmlearnError('NOT_REGISTERED',
        `register a JS implementation for ${candidates[0]} (the func of the FunctionTransformer at ${path}${f instanceof PyFunctionRef && f.byValue ? ', pickled by value' : ''}): ` +
        `pass { functions: { ${JSON.stringify(candidates[candidates.length - 1])}: (cols) => … } }` +
        `${candidates.length > 1 ? ` (also accepted under ${candidates.slice(0, -1).map((c) => JSON.stringify(c)).join(', ')})` : ''}.`,
        { field: `${path}.func`, function: candidates[0] });
    }
    name = hit;
  }
  const kw = o.attr('kw_args');
  const fno = o.attr('feature_names_out');
  const isFitted = fitted(o);
  const namesInV = isFitted ? namesIn(o, path) : null;
  const inputNames = namesInV ?? (ctx.columns?.every((c) => typeof c === 'string') ? ctx.columns as string[] : null);
  let namesOut: string[] | null = null;
  if (fno === 'one-to-one' || (f === null || f === undefined)) namesOut = inputNames;
  else if (fno instanceof PyNdArray || Array.isArray(fno)) namesOut = seq(fno, `${path}.feature_names_out`).map(String);
  const params = { name, featureNamesOut: fno === 'one-to-one' ? null : namesOut, kwArgs: kw === null || kw === undefined ? null : toJson(kw, `${path}.kw_args`, { n: 0 }) };
  if (!isFitted) return doc('FunctionTransformer', params, null);
  return doc('FunctionTransformer', params, { ...common(o, path), featureNamesOut: namesOut });
}

function logisticRegression(o: PyObject, path: string): EstimatorDocument {
  const pen = o.attr('penalty');
  const penalty = pen === null || pen === 'none' ? 'none' : pen === 'l2' ? 'l2'
    : (() => { throw unsupported(`${path}.penalty`, `LogisticRegression(penalty=${show(pen)}) is not supported by wasmlearn; use 'l2' or None`); })();
  let multiClass = str(o, 'multi_class', path, ['auto', 'multinomial', 'ovr']);
  if (multiClass === 'auto' && o.attr('solver') === 'liblinear') multiClass = 'ovr';
  const params = {
    penalty, C: num(o.attr('C'), `${path}.C`), fitIntercept: bool(o, 'fit_intercept', true),
    maxIter: int(o.attr('max_iter'), `${path}.max_iter`), tol: num(o.attr('tol'), `${path}.tol`), multiClass,
  };
  if (!fitted(o)) return doc('LogisticRegression', params, null);
  const nIter = o.attr('n_iter_');
  return doc('LogisticRegression', params, {
    classes: categories(o.attr('classes_'), `${path}.classes_`),
    coef: matrix(o.attr('coef_'), `${path}.coef_`),
    intercept: floats(o.attr('intercept_'), `${path}.intercept_`),
    nIter: nIter === undefined || nIter === null ? [] : seq(nIter, `${path}.n_iter_`).map((x) => int(x, `${path}.n_iter_`)),
    ...common(o, path),
  });
}

/** Checks that every FunctionTransformer ended up with output names. */
function checkWidths(d: Step, path: string): void {
  if (typeof d === 'string') return;
  if (d.type === 'FunctionTransformer' && d.state && d.state.featureNamesOut === null) {
    throw new WasmlearnError('UNSUPPORTED',
      `The FunctionTransformer ${JSON.stringify(d.params.name)} at ${path} has no feature_names_out and its output width cannot be inferred ` +
      `from the step after it; refit it with feature_names_out=callable or 'one-to-one'.`, { field: path });
  }
  if (d.type === 'Pipeline') (d.params.steps as [string, Step][]).forEach(([, s], i) => checkWidths(s, `${path}.params.steps[${i}][1]`));
  if (d.type === 'ColumnTransformer' && d.state) (d.state.transformers as [string, Step][]).forEach(([, s], i) => checkWidths(s, `${path}.state.transformers[${i}][1]`));
}

/** Column types for the signature: a column imputed with a string or encoded with string categories is `string`. */
function stringColumns(d: Step, out: Set<string>): void {
  if (typeof d === 'string') return;
  const s = d.state;
  if (d.type === 'Pipeline') { const steps = d.params.steps as [string, Step][]; if (steps.length) stringColumns(steps[0][1], out); return; }
  if (!s) return;
  const names = s.featureNamesIn as string[] | null;
  if (d.type === 'ColumnTransformer') {
    for (const [, t] of s.transformers as [string, Step][]) stringColumns(t, out);
    return;
  }
  if (!names) return;
  if (d.type === 'SimpleImputer') (s.statistics as unknown[]).forEach((x, i) => { if (typeof x === 'string') out.add(names[i]); });
  if (d.type === 'OneHotEncoder') (s.categories as unknown[][]).forEach((c, i) => { if (c.some((x) => typeof x === 'string')) out.add(names[i]); });
}

const COMPRESSED: [number[], string][] = [
  [[0x78], 'zlib'], [[0x1f, 0x8b], 'gzip'], [[0x42, 0x5a, 0x68], 'bz2'], [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'xz'],
  [[0x04, 0x22, 0x4d, 0x18], 'lz4'], [[0x5a, 0x46], 'joblib zlib (ZF)'],
];

/**
 * Turns the bytes of a scikit-learn pickle into a wasmlearn model document, without Python
 * and without executing anything from the pickle.
 *
 * Accepts what `pickle.dump` (protocols 2–5), `cloudpickle.dump`, MLflow's sklearn flavor
 * and uncompressed `joblib.dump` write for a fitted Pipeline / ColumnTransformer /
 * SimpleImputer / StandardScaler / OneHotEncoder / FunctionTransformer / LogisticRegression.
 * Only allow-listed scikit-learn and numpy classes are rebuilt. A FunctionTransformer's
 * function (by reference or pickled by value) and a custom transformer class are bound by
 * name to `options.functions` / `options.classes`. Cost: linear in the pickle's size.
 *
 * @param bytes The pickle file's bytes.
 * @param options `functions` and `classes` by name (see {@link PickleOptions}).
 * @returns The model document (docs/model-format.md).
 * @throws WasmlearnError `UNSAFE_PICKLE` naming a disallowed global (`os.system is not an allowed class…`),
 *   `NOT_REGISTERED` naming a function or custom class to register, `INVALID_MODEL` for malformed or
 *   truncated data, `UNSUPPORTED` for an estimator or option wasmlearn does not implement.
 * @example
 * const doc = pickleToDocument(readFileSync('model.pkl'), { functions: { ratio: ratioFn } });
 * doc.estimator.type // => 'Pipeline'
 */
export function pickleToDocument(bytes: Uint8Array, options: PickleOptions = {}): ModelDocument {
  if (!(bytes instanceof Uint8Array)) throw new WasmlearnError('INVALID_INPUT', `pickleToDocument expects a Uint8Array, got ${show(bytes)}.`);
  for (const [magic, kind] of COMPRESSED) {
    if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) {
      throw new WasmlearnError('UNSUPPORTED',
        `This looks like a compressed joblib file (${kind}); wasmlearn reads uncompressed pickles and joblib files. ` +
        `Re-save it with joblib.dump(model, path, compress=0) or pickle.dump.`, { field: 'pickle' });
    }
  }
  const root = unpickle(bytes);
  const ctx: Ctx = { functions: options.functions ?? {}, classes: options.classes ?? {}, depth: 0 };
  if (!(root instanceof PyObject)) throw bad('model', `expected a scikit-learn estimator, got ${describe(root)}`);
  const estimatorDoc = estimator(root, 'model', ctx);
  checkWidths(estimatorDoc, 'estimator');
  if (!estimatorState(estimatorDoc)) throw bad('model', `${root.qualname} is not fitted`);

  const first = firstFitted(estimatorDoc);
  const names = first?.featureNamesIn as string[] | null | undefined;
  const n = (first?.nFeaturesIn as number | undefined) ?? 0;
  const strings = new Set<string>();
  stringColumns(estimatorDoc, strings);
  const inputs: ColumnSpec[] = (names ?? Array.from({ length: n }, (_, i) => `x${i}`))
    .map((name) => ({ name, type: strings.has(name) ? 'string' : 'double' }));
  const last = lastStep(estimatorDoc);
  const classes = last?.state?.classes as (number | string)[] | undefined;
  const sk = root.attr('_sklearn_version');
  return {
    format: 'wasmlearn.model',
    formatVersion: 1,
    producer: { name: 'wasmlearn', version: VERSION, ...(typeof sk === 'string' ? { sklearn: sk } : {}) },
    signature: { inputs, ...(classes ? { outputs: { classes } } : {}) },
    estimator: estimatorDoc,
    profile: null,
    metadata: { source: 'scikit-learn pickle', ...(typeof sk === 'string' ? { sklearnVersion: sk } : {}) },
  };
}

function estimatorState(d: EstimatorDocument): boolean {
  if (d.type === 'Pipeline') return (d.params.steps as [string, Step][]).every(([, s]) => typeof s === 'string' || estimatorState(s));
  return d.state !== null;
}

function firstFitted(d: EstimatorDocument): Record<string, unknown> | null {
  if (d.type === 'Pipeline') {
    for (const [, s] of d.params.steps as [string, Step][]) if (typeof s !== 'string') return firstFitted(s);
    return null;
  }
  return d.state;
}

function lastStep(d: EstimatorDocument): EstimatorDocument | null {
  if (d.type !== 'Pipeline') return d;
  const steps = d.params.steps as [string, Step][];
  const s = steps[steps.length - 1]?.[1];
  return typeof s === 'string' || s === undefined ? null : lastStep(s);
}

