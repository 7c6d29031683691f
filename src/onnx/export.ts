/**
 * ONNX export of fitted pipelines, with the operators skl2onnx uses: one graph input per
 * column, ai.onnx.ml Imputer / Scaler / OneHotEncoder / LinearClassifier, Concat, and a
 * probability tensor output (no ZipMap).
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';
import type { Category } from '../core/frame.js';
import type { Transformer } from '../core/estimator.js';
import { VERSION } from '../model/document.js';
import { Pipeline } from '../compose/pipeline.js';
import { ColumnTransformer } from '../compose/column-transformer.js';
import { SimpleImputer } from '../preprocessing/simple-imputer.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { OneHotEncoder } from '../preprocessing/one-hot-encoder.js';
import { FunctionTransformer } from '../preprocessing/function-transformer.js';
import { LogisticRegression } from '../linear-model/logistic-regression.js';
import { AttributeType, DataType, encodeModel, type ModelObject } from './proto.js';

/** Element-wise operation of two columns that a FunctionTransformer may be exported as. */
export type OnnxFunctionOp = 'Div' | 'Mul' | 'Add' | 'Sub';

/**
 * How to express a FunctionTransformer in ONNX: `op` applied to two of its input columns,
 * `inputs[0] op inputs[1]` (e.g. `{ op: 'Div', inputs: ['thalach', 'trestbps'] }` for
 * `thalach / trestbps`). The function must produce exactly one column.
 */
export interface OnnxFunctionSpec {
  op: OnnxFunctionOp;
  inputs: readonly [string, string];
}

export interface ToOnnxOptions {
  /** ONNX forms of FunctionTransformers, keyed by the transformer's `name` (default: none; an unlisted function throws UNSUPPORTED). */
  functions?: Record<string, OnnxFunctionSpec>;
  /** Graph name (default `'wasmlearn'`). */
  graphName?: string;
  /** Extra `metadata_props` entries (default none). */
  metadata?: Record<string, string>;
}

const OPS: readonly OnnxFunctionOp[] = ['Div', 'Mul', 'Add', 'Sub'];
const ML = 'ai.onnx.ml';

type Dtype = 'float' | 'string';
/** A tensor flowing through the graph: [N, names.length]; `cols` holds per-column [N,1] tensors when they exist. */
interface Value { names: string[]; dtype: Dtype; tensor?: string; cols?: string[] }

interface Attr { name: string; type: number; [k: string]: unknown }

const enc = new TextEncoder();
const f32 = (v: number) => Math.fround(v);

class GraphBuilder {
  nodes: ModelObject[] = [];
  initializers: ModelObject[] = [];
  #used = new Set<string>();
  #counter = 0;
  /** Highest ai.onnx opset an emitted node needs. */
  opset = 15;

  reserve(name: string): void { this.#used.add(name); }

  fresh(hint: string): string {
    let name: string;
    do name = `${hint.replace(/[^A-Za-z0-9_]/g, '_')}_${this.#counter++}`; while (this.#used.has(name));
    this.#used.add(name);
    return name;
  }

  node(opType: string, inputs: string[], hint: string, attrs: Attr[] = [], domain = '', nOut = 1): string[] {
    const outputs = Array.from({ length: nOut }, (_, i) => this.fresh(`${hint}${nOut > 1 ? `_out${i}` : ''}`));
    this.nodes.push({ opType, domain, input: inputs, output: outputs, name: this.fresh(`${opType}`), attribute: attrs });
    return outputs;
  }

  int64s(values: readonly number[], hint: string, dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: DataType.INT64, dims, int64Data: [...values] });
    return name;
  }

  strings(values: readonly string[], hint: string, dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: DataType.STRING, dims, stringData: values.map((s) => enc.encode(s)) });
    return name;
  }
}

const attr = {
  int: (name: string, i: number): Attr => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): Attr => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): Attr => ({ name, type: AttributeType.STRING, s: enc.encode(s) }),
  ints: (name: string, ints: readonly number[]): Attr => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  floats: (name: string, floats: ArrayLike<number>): Attr => ({ name, type: AttributeType.FLOATS, floats: Array.from(floats, f32) }),
  strings: (name: string, strings: readonly string[]): Attr => ({ name, type: AttributeType.STRINGS, strings: strings.map((s) => enc.encode(s)) }),
};

function unsupported(message: string, details: Record<string, unknown> = {}): WasmlearnError {
  return new WasmlearnError('UNSUPPORTED', `ONNX export: ${message}`, details);
}

class Converter {
  readonly g = new GraphBuilder();
  constructor(readonly options: ToOnnxOptions) {}

  /** The value as one [N, C] tensor (a Concat of its columns when needed). */
  whole(v: Value): string {
    if (v.tensor) return v.tensor;
    const cols = v.cols!;
    v.tensor = cols.length === 1 ? cols[0] : this.g.node('Concat', cols, 'concat', [attr.int('axis', 1)])[0];
    return v.tensor;
  }

  /** Column j of the value as an [N, 1] tensor. */
  col(v: Value, j: number): string {
    if (v.cols) return v.cols[j];
    if (v.names.length === 1) return this.whole(v);
    const idx = this.g.int64s([j], 'col_index');
    return this.g.node('Gather', [this.whole(v), idx], `${v.names[j]}_col`, [attr.int('axis', 1)])[0];
  }

  /** Columns `keep` of the value. */
  select(v: Value, keep: number[]): Value {
    if (keep.length === v.names.length) return v;
    const names = keep.map((j) => v.names[j]);
    if (v.cols) return { names, dtype: v.dtype, cols: keep.map((j) => v.cols![j]) };
    const idx = this.g.int64s(keep, 'keep_index');
    return { names, dtype: v.dtype, tensor: this.g.node('Gather', [this.whole(v), idx], 'selected', [attr.int('axis', 1)])[0] };
  }

  /** Concatenates values side by side (all float). */
  concat(values: Value[], names: string[]): Value {
    if (values.length === 1) return { ...values[0], names };
    const dtypes = new Set(values.map((v) => v.dtype));
    if (dtypes.size > 1) throw unsupported('a ColumnTransformer output mixes string and numeric columns (a string column passed through untransformed); encode string columns before the classifier.');
    if (values.every((v) => v.cols)) return { names, dtype: values[0].dtype, cols: values.flatMap((v) => v.cols!) };
    return { names, dtype: values[0].dtype, tensor: this.g.node('Concat', values.map((v) => this.whole(v)), 'features', [attr.int('axis', 1)])[0] };
  }

  transform(tr: Transformer | 'passthrough' | 'drop', v: Value): Value {
    if (tr === 'passthrough') return v;
    if (tr === 'drop') return { names: [], dtype: 'float', cols: [] };
    if (tr instanceof ColumnTransformer) return this.columnTransformer(tr, v);
    if (tr instanceof Pipeline) {
      let cur = v;
      for (const [, step] of tr.steps) cur = this.transform(step as Transformer | 'passthrough', cur);
      return cur;
    }
    if (tr instanceof SimpleImputer) return this.imputer(tr, v);
    if (tr instanceof StandardScaler) return this.scaler(tr, v);
    if (tr instanceof OneHotEncoder) return this.oneHot(tr, v);
    if (tr instanceof FunctionTransformer) return this.functionTransformer(tr, v);
    const type = (tr as { constructor?: { name?: string } }).constructor?.name ?? typeof tr;
    throw unsupported(`no ONNX converter for ${type}; exportable steps are ColumnTransformer, Pipeline, SimpleImputer, StandardScaler, OneHotEncoder, FunctionTransformer (declared ratio/product/sum/difference) and LogisticRegression.`, { estimator: type });
  }

  columnTransformer(ct: ColumnTransformer, v: Value): Value {
    const index = new Map(v.names.map((n, j) => [n, j]));
    const outs: Value[] = [];
    const names = ct.getFeatureNamesOut();
    for (const [name, tr, columns] of ct.transformers_) {
      if (tr === 'drop') continue;
      const keep = columns.map((c) => {
        const j = index.get(c);
        if (j === undefined) throw unsupported(`column ${show(c)} of transformer ${show(name)} is not an input of the model.`, { column: c });
        return j;
      });
      const out = this.transform(tr, this.select(v, keep));
      if (out.names.length) outs.push(out);
    }
    if (outs.length === 0) throw unsupported('the ColumnTransformer produces no columns.');
    return this.concat(outs, names);
  }

  imputer(imp: SimpleImputer, v: Value): Value {
    const stats = imp.statistics_;
    const keepEmpty = imp.params.keepEmptyFeatures;
    const keep: number[] = [];
    const fill: Category[] = [];
    stats.forEach((s, j) => {
      if (typeof s === 'number' && Number.isNaN(s)) { if (!keepEmpty) return; s = 0; }
      keep.push(j); fill.push(s);
    });
    const kept = this.select(v, keep);
    if (kept.dtype === 'float') {
      const bad = fill.findIndex((s) => typeof s !== 'number');
      if (bad >= 0) throw unsupported(`SimpleImputer fills numeric column ${show(kept.names[bad])} with the string ${show(fill[bad])}; only numeric fills of numeric columns export.`, { column: kept.names[bad], estimator: 'SimpleImputer' });
      const out = this.g.node('Imputer', [this.whole(kept)], 'imputed', [
        attr.floats('imputed_value_floats', fill as number[]), attr.float('replaced_value_float', NaN),
      ], ML)[0];
      return { names: kept.names, dtype: 'float', tensor: out };
    }
    // string columns: missing is the empty string; Where(x == "", fill, x) per column (Equal on strings: opset 19)
    this.g.opset = Math.max(this.g.opset, 19);
    const empty = this.g.strings([''], 'empty_string', []);
    const cols = kept.names.map((name, j) => {
      const s = fill[j];
      if (typeof s !== 'string') throw unsupported(`SimpleImputer fills string column ${show(name)} with the number ${show(s)}; only string fills of string columns export.`, { column: name, estimator: 'SimpleImputer' });
      const x = this.col(kept, j);
      const isMissing = this.g.node('Equal', [x, empty], `${name}_missing`)[0];
      const fillT = this.g.strings([s], `${name}_fill`, []);
      return this.g.node('Where', [isMissing, fillT, x], `${name}_imputed`)[0];
    });
    return { names: kept.names, dtype: 'string', cols };
  }

  scaler(sc: StandardScaler, v: Value): Value {
    if (v.dtype !== 'float') throw unsupported(`StandardScaler receives string columns ${show(v.names)}.`, { estimator: 'StandardScaler' });
    const d = v.names.length;
    const mean = sc.params.withMean ? sc.mean_ : null;
    const scale = sc.scale_;
    const offset = Array.from({ length: d }, (_, j) => (mean ? mean[j] : 0));
    const mult = Array.from({ length: d }, (_, j) => (scale ? 1 / scale[j] : 1));
    const out = this.g.node('Scaler', [this.whole(v)], 'scaled', [attr.floats('offset', offset), attr.floats('scale', mult)], ML)[0];
    return { names: v.names, dtype: 'float', tensor: out };
  }

  oneHot(oh: OneHotEncoder, v: Value): Value {
    const cats = oh.categories_;
    const drop = oh.dropIdx_;
    const zeros = oh.params.handleUnknown === 'ignore' ? 1 : 0;
    const cols = v.names.map((name, j) => {
      const c = cats[j];
      const x = this.col(v, j);
      let encoded: string;
      if (v.dtype === 'string') {
        const strs = c.map((k) => {
          if (typeof k === 'number' && Number.isNaN(k)) return ''; // missing seen at fit: the empty string
          if (typeof k !== 'string') throw unsupported(`OneHotEncoder category ${show(k)} of string column ${show(name)} is not a string.`, { column: name });
          return k;
        });
        encoded = this.g.node('OneHotEncoder', [x], `${name}_onehot3d`, [attr.strings('cats_strings', strs), attr.int('zeros', zeros)], ML)[0];
      } else {
        const bad = c.find((k) => typeof k !== 'number' || !Number.isInteger(k) || Math.abs(k) > Number.MAX_SAFE_INTEGER);
        if (bad !== undefined) {
          throw unsupported(`OneHotEncoder column ${show(name)} has the category ${show(bad)}; numeric categories export only when all are integers ` +
            '(they are matched after a Cast to int64). Encode such a column as strings before fitting.', { column: name, estimator: 'OneHotEncoder' });
        }
        const asInt = this.g.node('Cast', [x], `${name}_int64`, [attr.int('to', DataType.INT64)])[0];
        encoded = this.g.node('OneHotEncoder', [asInt], `${name}_onehot3d`, [attr.ints('cats_int64s', c as number[]), attr.int('zeros', zeros)], ML)[0];
      }
      const shape = this.g.int64s([-1, c.length], `${name}_shape`);
      let out = this.g.node('Reshape', [encoded, shape], `${name}_onehot`)[0];
      const dj = drop ? drop[j] : null;
      if (dj !== null) {
        const idx = this.g.int64s(c.map((_, k) => k).filter((k) => k !== dj), `${name}_kept`);
        out = this.g.node('Gather', [out, idx], `${name}_onehot_kept`, [attr.int('axis', 1)])[0];
      }
      return out;
    });
    const names = oh.getFeatureNamesOut(v.names);
    const tensor = cols.length === 1 ? cols[0] : this.g.node('Concat', cols, 'onehot', [attr.int('axis', 1)])[0];
    return { names, dtype: 'float', tensor };
  }

  functionTransformer(ft: FunctionTransformer, v: Value): Value {
    const name = ft.params.name;
    if (!ft.params.func || name === 'identity') return { ...v, names: ft.featureNamesOut_ };
    const declared = ft.params.expr;
    const spec = this.options.functions?.[name]
      ?? (declared ? { op: ({ div: 'Div', mul: 'Mul', add: 'Add', sub: 'Sub' } as const)[declared.op], inputs: declared.inputs } : undefined);
    if (!spec) {
      throw unsupported(`FunctionTransformer ${show(name)} runs JavaScript, which ONNX cannot express. ` +
        `If it is a ratio, product, sum or difference of two columns, declare it: toONNX(model, { functions: { ${JSON.stringify(name)}: { op: 'Div', inputs: ['a', 'b'] } } }) ` +
        `(CLI: --function ${name}=Div:a,b).`, { estimator: 'FunctionTransformer', name });
    }
    if (!OPS.includes(spec.op)) throw unsupported(`FunctionTransformer ${show(name)}: op must be one of ${OPS.map((o) => `'${o}'`).join(', ')}; got ${show(spec.op)}.`, { name });
    if (!Array.isArray(spec.inputs) || spec.inputs.length !== 2) throw unsupported(`FunctionTransformer ${show(name)}: inputs must be two column names; got ${show(spec.inputs)}.`, { name });
    const outNames = ft.featureNamesOut_;
    if (outNames.length !== 1) throw unsupported(`FunctionTransformer ${show(name)} produces ${outNames.length} columns; a declared ${spec.op} produces one.`, { name });
    if (v.dtype !== 'float') throw unsupported(`FunctionTransformer ${show(name)} receives string columns.`, { name });
    const [a, b] = spec.inputs.map((c) => {
      const j = v.names.indexOf(c);
      if (j < 0) throw unsupported(`FunctionTransformer ${show(name)}: declared input ${show(c)} is not one of its columns ${show(v.names)}.`, { name, column: c });
      return this.col(v, j);
    });
    return { names: outNames, dtype: 'float', tensor: this.g.node(spec.op, [a, b], outNames[0])[0] };
  }

  classifier(lr: LogisticRegression, v: Value): { label: string; proba: string; labelType: number; k: number } {
    if (v.dtype !== 'float') throw unsupported('LogisticRegression receives string columns; encode them first.');
    const m = lr._model;
    const d = m.nFeaturesIn;
    if (v.names.length !== d) throw unsupported(`the classifier expects ${d} features but the preprocessing produces ${v.names.length}.`);
    const classes = m.classes;
    let labelAttr: Attr, labelType: number;
    if (classes.every((c) => typeof c === 'number' && Number.isInteger(c))) { labelAttr = attr.ints('classlabels_ints', classes as number[]); labelType = DataType.INT64; }
    else if (classes.every((c) => typeof c === 'string')) { labelAttr = attr.strings('classlabels_strings', classes as string[]); labelType = DataType.STRING; }
    else throw unsupported(`class labels ${show(classes)} are neither all integers nor all strings (LinearClassifier labels are int64 or string).`);
    let coef: number[], intercept: number[], post: string;
    if (m.k === 1) {
      // skl2onnx's binary encoding: two rows [-w, w], [-b, b] through LOGISTIC give [1 - p, p]
      const w = Array.from(m.coef);
      coef = [...w.map((x) => -x), ...w];
      intercept = [-m.intercept[0], m.intercept[0]];
      post = 'LOGISTIC';
    } else {
      coef = Array.from(m.coef);
      intercept = Array.from(m.intercept);
      post = m.link === 'ovr' ? 'LOGISTIC' : 'SOFTMAX';
    }
    const [label, scores] = this.g.node('LinearClassifier', [this.whole(v)], 'linear', [
      attr.floats('coefficients', coef), attr.floats('intercepts', intercept), labelAttr,
      attr.int('multi_class', m.link === 'ovr' ? 1 : 0), attr.string('post_transform', post),
    ], ML, 2);
    let proba = scores;
    // one-vs-rest: scikit-learn normalises the per-class logistic scores to sum to 1
    if (m.link === 'ovr') proba = this.g.node('Normalizer', [scores], 'normalized', [attr.string('norm', 'L1')], ML)[0];
    return { label, proba, labelType, k: Math.max(m.k, 2) };
  }
}

const tensorType = (elemType: number, dims: (number | string)[]) => ({
  tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } },
});

/**
 * Writes a fitted pipeline as a standard ONNX model (ai.onnx + ai.onnx.ml operators, as
 * skl2onnx writes scikit-learn pipelines), runnable by onnxruntime and other ONNX runtimes.
 *
 * Inputs: one per column the model reads, named as the column, shape [N, 1]: `float` for
 * numeric columns (NaN = missing), `string` for string columns (`""` = missing).
 * Outputs: `label` [N] (int64 or string) and `probabilities` [N, k] float, columns in
 * `classes_` order. Computation is float32, so probabilities agree with wasmlearn's float64
 * ones to about 1e-6 (tested within 1e-5 absolute).
 *
 * FunctionTransformers run JavaScript; they export only when declared in
 * `options.functions` as a ratio, product, sum or difference of two of their columns.
 * Numeric one-hot columns export when their categories are integers (matched after a Cast
 * to int64, so a fractional value is truncated first); see docs/onnx.md.
 *
 * @param model - a fitted Pipeline ending in LogisticRegression (from `fit` or `loadModel`)
 * @param options - `functions`, `graphName`, `metadata`
 * @returns the serialised ModelProto
 * @throws WasmlearnError UNSUPPORTED - a step, function or category set ONNX export cannot express (the message says which and what to do)
 * @throws WasmlearnError NOT_FITTED - the pipeline is not fitted
 * @example
 * const bytes = toONNX(model, { functions: { ratio: { op: 'Div', inputs: ['thalach', 'trestbps'] } } });
 * fs.writeFileSync('model.onnx', bytes); // bytes.length => a few KB
 */
export function toONNX(model: Pipeline, options: ToOnnxOptions = {}): Uint8Array {
  if (!(model instanceof Pipeline)) throw unsupported(`toONNX expects a fitted Pipeline (as fit or loadModel return); got ${show(model)}.`);
  const steps = model.steps;
  const last = steps[steps.length - 1]?.[1];
  if (!(last instanceof LogisticRegression)) throw unsupported('the last step of the pipeline must be a LogisticRegression.');
  const classes = model.classes_; // throws NOT_FITTED
  const names = model.featureNamesIn_;
  if (!names) throw unsupported('the pipeline was fitted on positional data; ONNX inputs are named after columns, so fit it on named columns.');
  const sig = new Map((model.signature_?.inputs ?? []).map((s) => [s.name, s.type]));
  const cv = new Converter(options);
  names.forEach((n) => cv.g.reserve(n));
  for (const out of ['label', 'probabilities']) cv.g.reserve(out);
  const inputs: Value = { names: [...names], dtype: 'float', cols: [...names] };
  const dtypes = new Map(names.map((n) => [n, (sig.get(n) === 'string' ? 'string' : 'float') as Dtype]));
  // Values of mixed dtypes are split by the ColumnTransformer; a whole-input value must be uniform.
  const firstIsCt = steps[0][1] instanceof ColumnTransformer;
  const inputValue: Value = firstIsCt ? inputs : { ...inputs, dtype: uniformDtype(names, dtypes) };
  const features = transformSteps(cv, steps.slice(0, -1).map(([, e]) => e as Transformer | 'passthrough'), inputValue, dtypes);
  const { label, proba, labelType, k } = cv.classifier(last, features);
  const g = cv.g;
  g.nodes.push({ opType: 'Identity', domain: '', input: [label], output: ['label'], name: g.fresh('label_out') });
  g.nodes.push({ opType: 'Identity', domain: '', input: [proba], output: ['probabilities'], name: g.fresh('proba_out') });
  const consumed = new Set(g.nodes.flatMap((n) => n.input as string[]));
  const graphInputs = names.filter((n) => consumed.has(n)).map((n) => ({
    name: n, type: tensorType(dtypes.get(n) === 'string' ? DataType.STRING : DataType.FLOAT, ['N', 1]),
  }));
  const onnxModel: ModelObject = {
    irVersion: g.opset >= 19 ? 9 : 8,
    opsetImport: [{ domain: '', version: g.opset }, { domain: ML, version: 1 }],
    producerName: 'wasmlearn',
    producerVersion: VERSION,
    modelVersion: 1,
    docString: 'Fitted wasmlearn pipeline',
    metadataProps: Object.entries({ classes: JSON.stringify(classes), ...options.metadata }).map(([key, value]) => ({ key, value })),
    graph: {
      name: options.graphName ?? 'wasmlearn',
      node: g.nodes,
      initializer: g.initializers,
      input: graphInputs,
      output: [
        { name: 'label', type: tensorType(labelType, ['N']) },
        { name: 'probabilities', type: tensorType(DataType.FLOAT, ['N', k]) },
      ],
    },
  };
  return encodeModel(onnxModel);
}

function uniformDtype(names: string[], dtypes: Map<string, Dtype>): Dtype {
  const kinds = new Set(names.map((n) => dtypes.get(n)!));
  if (kinds.size > 1) throw unsupported(`columns ${show(names)} mix string and numeric types in one step; ONNX tensors have one element type, so route them to separate ColumnTransformer entries.`);
  return [...kinds][0] ?? 'float';
}

/** Runs the preprocessing steps; a leading ColumnTransformer receives per-column typed inputs. */
function transformSteps(cv: Converter, steps: (Transformer | 'passthrough')[], v: Value, dtypes: Map<string, Dtype>): Value {
  let cur = v;
  steps.forEach((step, i) => {
    if (i === 0 && step instanceof ColumnTransformer) cur = typedColumnTransformer(cv, step, v, dtypes);
    else cur = cv.transform(step, cur);
  });
  return cur;
}

/** A ColumnTransformer over raw inputs: each entry gets its columns with their own dtype. */
function typedColumnTransformer(cv: Converter, ct: ColumnTransformer, v: Value, dtypes: Map<string, Dtype>): Value {
  const outs: Value[] = [];
  for (const [name, tr, columns] of ct.transformers_) {
    if (tr === 'drop') continue;
    for (const c of columns) if (!dtypes.has(c)) throw unsupported(`column ${show(c)} of transformer ${show(name)} is not an input of the model.`, { column: c });
    const out = cv.transform(tr, { names: [...columns], dtype: uniformDtype(columns, dtypes), cols: [...columns] });
    if (out.names.length) outs.push(out);
  }
  if (outs.length === 0) throw unsupported('the ColumnTransformer produces no columns.');
  return cv.concat(outs, ct.getFeatureNamesOut());
}
