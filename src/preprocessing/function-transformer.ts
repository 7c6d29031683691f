import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, columnFromValues, type Column, type ColumnValues, type FrameInput } from '../core/frame.js';
import type { Matrix } from '../core/matrix.js';
import type { EstimatorDocument, Labels, Transformer } from '../core/estimator.js';
import { inputNames, inputStateOf, selectInput, type InputState } from '../core/base.js';
import { badField, expectStringArray } from '../core/json.js';
import { frameToMatrix } from './util.js';

/** Input of a transformer function: each input column by name (numeric → Float64Array, string → array). */
/** Input of a transformer function: each input column by name. Numeric columns are Float64Array; a string column arrives as a plain array of strings (null = missing). */
export type FunctionColumns = Record<string, Float64Array>;
/** What a transformer function may return: one column, several named columns, or a matrix-like. */
export type FunctionOutput = ColumnValues | Record<string, ColumnValues> | { rows: number; cols: number; data: Float64Array };
/** A JavaScript transformer function; `kwArgs` is the JSON-serialisable `kwArgs` option. */
export type TransformerFunction = (columns: FunctionColumns, kwArgs?: Record<string, unknown> | null) => FunctionOutput;

const registry = new Map<string, TransformerFunction>();

/**
 * Registers a function under a name, so that saved models (and loaded scikit-learn
 * pickles) whose FunctionTransformer has that name bind to it at load time.
 * @example registerFunction('ratio', ({ thalach, trestbps }) => thalach.map((v, i) => v / trestbps[i]));
 */
export function registerFunction(name: string, func: TransformerFunction): void {
  if (typeof name !== 'string' || !name) throw errors.invalidParam('registerFunction', 'name', 'a non-empty string', name);
  if (typeof func !== 'function') throw errors.invalidParam('registerFunction', 'func', 'a function', func);
  registry.set(name, func);
}

/** The function registered under `name`, if any. */
export function registeredFunction(name: string): TransformerFunction | undefined { return registry.get(name); }

/** Element-wise operation of two input columns, for {@link FunctionTransformerOptions.expr}. */
export type ExprOp = 'div' | 'mul' | 'add' | 'sub';
/** A derived column declared as data: `inputs[0] op inputs[1]`, e.g. `{ op: 'div', inputs: ['thalach', 'trestbps'] }`. */
export interface FunctionExpr { op: ExprOp; inputs: readonly [string, string] }
const EXPR_OPS: readonly ExprOp[] = ['div', 'mul', 'add', 'sub'];

/** Functions made by exprFunction, with their expression (clones share the function). */
const exprFunctions = new WeakMap<TransformerFunction, FunctionExpr>();

/**
 * The function of a declared expression: one plain loop (V8 runs it several times faster
 * than `TypedArray.prototype.map` with a closure), same arithmetic as the equivalent map.
 */
function exprFunction(expr: FunctionExpr, name: string): TransformerFunction {
  const [a, b] = expr.inputs;
  const op = expr.op;
  const f: TransformerFunction = (cols) => {
    const x = cols[a], y = cols[b];
    if (!x || !y) throw new WasmlearnError('MISSING_COLUMN', `FunctionTransformer '${name}' needs columns ${show(a)} and ${show(b)}.`, { estimator: 'FunctionTransformer' });
    const n = x.length, out = new Float64Array(n);
    if (op === 'div') for (let i = 0; i < n; i++) out[i] = x[i] / y[i];
    else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
    else if (op === 'add') for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
    else for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
    return out;
  };
  exprFunctions.set(f, expr);
  return f;
}

function checkExpr(expr: unknown, field: string, fail: (msg: string) => Error): FunctionExpr {
  const e = expr as FunctionExpr;
  if (typeof e !== 'object' || e === null || !EXPR_OPS.includes(e.op) || !Array.isArray(e.inputs) || e.inputs.length !== 2 || e.inputs.some((c) => typeof c !== 'string')) {
    throw fail(`${field} must be { op: ${EXPR_OPS.map((o) => `'${o}'`).join(' | ')}, inputs: [column, column] }, got ${show(expr)}`);
  }
  return { op: e.op, inputs: [e.inputs[0], e.inputs[1]] };
}

export interface FunctionTransformerOptions {
  /**
   * The function (default: identity). scikit-learn: `func`. It must not modify its input
   * arrays: compiled scoring passes the caller's `Float64Array` columns without copying.
   */
  func?: TransformerFunction | null;
  /** Name the function is saved and re-bound under (default: `func.name`, else `'identity'`). */
  name?: string;
  /** Output column names (default: the keys of a returned object, else `[name]` for one column, `name0…` for several). scikit-learn: `feature_names_out`. */
  featureNamesOut?: string[] | null;
  /** Extra JSON-serialisable arguments passed to func (default null). scikit-learn: `kw_args`. */
  kwArgs?: Record<string, unknown> | null;
  /**
   * Instead of `func`, a derived column declared as data (default null): `inputs[0] op
   * inputs[1]` with op `'div' | 'mul' | 'add' | 'sub'`. It is saved in the model document
   * (loading needs no registered function), exports to ONNX, and runs as a plain loop.
   */
  expr?: FunctionExpr | null;
}

interface FunctionState extends InputState {
  featureNamesOut: string[];
}

/**
 * Applies a JavaScript function to named columns, e.g. a derived ratio feature.
 *
 * The function receives the selected input columns by name and returns one column
 * (array / Float64Array), an object of named columns, or a matrix. It runs once per
 * batch, never per row (a single-row call is a batch of one). It must not modify its
 * input arrays: a compiled pipeline passes the caller's `Float64Array` columns to it
 * without copying. A saved model stores only the function's `name`; loading binds
 * it again through `registerFunction` or `loadModel(doc, { functions })`.
 *
 * Fitted state: `nFeaturesIn_`, `featureNamesIn_`, `featureNamesOut_`.
 * scikit-learn: `sklearn.preprocessing.FunctionTransformer`.
 *
 * @example
 * const ft = new FunctionTransformer({ name: 'ratio', func: ({ a, b }) => a.map((v, i) => v / b[i]) });
 * ft.fit({ a: [1, 2], b: [2, 4] }).transform({ a: [3], b: [4] }).get(0, 0); // => 0.75
 */
export class FunctionTransformer implements Transformer {
  readonly params: Readonly<Required<FunctionTransformerOptions>>;
  #state?: FunctionState;

  constructor(options: FunctionTransformerOptions = {}) {
    const expr = options.expr ?? null;
    const name = options.name ?? (options.func && options.func.name ? options.func.name : expr && typeof expr === 'object' && Array.isArray(expr.inputs) ? `${expr.op}_${expr.inputs.join('_')}` : 'identity');
    // a declared expression supplies the function (checked at fit)
    const func = options.func ?? (expr && typeof expr === 'object' && EXPR_OPS.includes(expr.op) && Array.isArray(expr.inputs) ? exprFunction(expr, name) : null);
    this.params = Object.freeze({ featureNamesOut: null, kwArgs: null, ...options, func, name, expr });
  }

  /**
   * @internal The declared expression when it alone defines the output (the function is
   * the expression's own, not a `func` given beside it), so a scoring plan may compute it
   * in its pass; else null.
   */
  get _declaredExpr(): FunctionExpr | null {
    const f = this.params.func;
    return f && this.params.kwArgs === null ? exprFunctions.get(f) ?? null : null;
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }
  get featureNamesOut_(): string[] { return [...this.#fitted().featureNamesOut]; }

  #fitted(): FunctionState {
    if (!this.#state) throw errors.notFitted('FunctionTransformer');
    return this.#state;
  }

  fit(X: FrameInput, _y?: Labels): this {
    const { func, featureNamesOut } = this.params;
    if (func !== null && typeof func !== 'function') throw errors.invalidParam('FunctionTransformer', 'func', 'a function or null', func);
    if (featureNamesOut !== null && !Array.isArray(featureNamesOut)) throw errors.invalidParam('FunctionTransformer', 'featureNamesOut', 'an array of names or null', featureNamesOut);
    const frame = Frame.from(X);
    const { expr } = this.params;
    if (expr !== null) {
      const e = checkExpr(expr, 'expr', (msg) => new WasmlearnError('INVALID_PARAM', `FunctionTransformer: the 'expr' option ${msg.replace(/^expr /, '')}.`, { estimator: 'FunctionTransformer', field: 'expr' }));
      for (const c of e.inputs) frame.column(c, 'FunctionTransformer');
      if (e.inputs.some((c) => frame.column(c).kind !== 'numeric')) {
        throw new WasmlearnError('COLUMN_TYPE', `FunctionTransformer '${this.params.name}': expr inputs ${show([...e.inputs])} must be numeric columns.`, { estimator: 'FunctionTransformer' });
      }
    }
    const input = inputStateOf(frame);
    // Output names are learned by running the function once on the fit data.
    const cols = this.#apply(frame, [...frame.columns], null);
    this.#state = { ...input, featureNamesOut: cols.map((c) => c.name) };
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    const frame = Frame.from(X);
    return this.fit(frame, y).transformFrame(frame);
  }

  transformFrame(X: FrameInput): Frame {
    const st = this.#fitted();
    const frame = Frame.from(X);
    const cols = this.#apply(frame, selectInput(frame, st, 'FunctionTransformer'), st.featureNamesOut);
    return new Frame(cols, frame.nRows, true);
  }

  /** Runs the function on the selected columns and validates its output. */
  #apply(frame: Frame, input: Column[], expectedNames: string[] | null): Column[] {
    if (!this.params.func) return input.map((c, j) => ({ ...c, name: expectedNames ? expectedNames[j] : c.name }));
    const args: FunctionColumns = {};
    for (const c of input) {
      args[c.name] = c.kind === 'numeric' ? c.values.slice() : (Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k])) as unknown as Float64Array);
    }
    return this.#outputColumns(this.#call(args), frame.nRows, expectedNames);
  }

  #call(args: FunctionColumns): FunctionOutput {
    const { func, name, kwArgs } = this.params;
    try {
      return func!(args, kwArgs);
    } catch (cause) {
      if (cause instanceof WasmlearnError) throw cause;
      throw new WasmlearnError('INVALID_INPUT', `FunctionTransformer '${name}' threw: ${(cause as Error)?.message ?? show(cause)}`, { estimator: 'FunctionTransformer' }, { cause });
    }
  }

  /**
   * @internal Fast path of compiled scoring plans: runs the function on numeric input
   * columns given by fitted name, as they are (no copy, no frame; the function must not
   * modify them), and returns its output columns in fitted order, validated as
   * `transformFrame` validates them. With a single numeric output column of the right
   * length, nothing is allocated besides what the function itself allocates.
   */
  _transformColumns(args: FunctionColumns, nRows: number): readonly Column[] | Float64Array {
    const st = this.#fitted();
    if (!this.params.func) {
      return st.featureNamesIn!.map((n, j): Column => ({ kind: 'numeric', name: st.featureNamesOut[j], values: args[n] }));
    }
    const out = this.#call(args);
    if (out instanceof Float64Array && out.length === nRows && st.featureNamesOut.length === 1) return out;
    return this.#outputColumns(out, nRows, st.featureNamesOut);
  }

  #outputColumns(out: FunctionOutput, n: number, expectedNames: string[] | null): Column[] {
    const { name, featureNamesOut } = this.params;
    let cols: Column[];
    if (out && typeof out === 'object' && 'data' in out && 'rows' in out && 'cols' in out && !Array.isArray(out)) {
      const m = out as { rows: number; cols: number; data: Float64Array };
      cols = Array.from({ length: m.cols }, (_, j) => {
        const v = new Float64Array(m.rows);
        for (let i = 0; i < m.rows; i++) v[i] = m.data[i * m.cols + j];
        return { kind: 'numeric' as const, name: `${name}${j}`, values: v };
      });
      if (m.cols === 1) cols[0] = { ...cols[0], name };
    } else if (Array.isArray(out) || ArrayBuffer.isView(out)) {
      cols = [columnFromValues(name, out as ColumnValues)];
    } else if (out && typeof out === 'object') {
      cols = Object.entries(out as Record<string, ColumnValues>).map(([k, v]) => {
        if (!Array.isArray(v) && !ArrayBuffer.isView(v)) {
          throw new WasmlearnError('INVALID_INPUT', `FunctionTransformer '${name}' returned ${show(v)} for column ${show(k)}; expected an array.`, { column: k, estimator: 'FunctionTransformer' });
        }
        return columnFromValues(k, v);
      });
    } else {
      throw new WasmlearnError('INVALID_INPUT', `FunctionTransformer '${name}' returned ${show(out)}; expected an array, an object of arrays, or a matrix.`, { estimator: 'FunctionTransformer' });
    }
    for (const c of cols) {
      const len = c.kind === 'numeric' ? c.values.length : c.codes.length;
      if (len !== n) throw errors.lengthMismatch(`FunctionTransformer '${name}' output ${show(c.name)}`, n, len, { column: c.name, estimator: 'FunctionTransformer' });
    }
    const names = expectedNames ?? featureNamesOut;
    if (names) {
      if (names.length !== cols.length) throw errors.lengthMismatch(`FunctionTransformer '${name}' output columns`, names.length, cols.length, { estimator: 'FunctionTransformer' });
      cols = cols.map((c, j) => ({ ...c, name: names[j] }));
    }
    return cols;
  }

  transform(X: FrameInput): Matrix { return frameToMatrix(this.transformFrame(X), 'FunctionTransformer'); }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const st = this.#fitted();
    if (inputFeatures) inputNames(st, inputFeatures);
    return [...st.featureNamesOut];
  }

  clone(): FunctionTransformer { return new FunctionTransformer(this.params); }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    const { name, featureNamesOut, kwArgs, expr } = this.params;
    return {
      type: 'FunctionTransformer', version: 1, params: { name, featureNamesOut, kwArgs, ...(expr ? { expr: { op: expr.op, inputs: [...expr.inputs] } } : {}) },
      state: st ? { nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn, featureNamesOut: st.featureNamesOut } : null,
    };
  }

  /** @internal */
  static fromState(params: FunctionTransformerOptions, state: FunctionState): FunctionTransformer {
    const e = new FunctionTransformer(params);
    e.#state = state;
    return e;
  }

  /** Resolves the document's function name against `functions`, then the registry. */
  static parseParams(p: Record<string, unknown>, field: string, functions: Record<string, TransformerFunction> = {}): FunctionTransformerOptions {
    const name = p.name;
    if (typeof name !== 'string' || !name) throw badField(`${field}.name`, `expected the function's registered name, got ${show(name)}`);
    const featureNamesOut = p.featureNamesOut === null || p.featureNamesOut === undefined ? null : expectStringArray(p.featureNamesOut, `${field}.featureNamesOut`);
    const kwArgs = p.kwArgs === null || p.kwArgs === undefined ? null : (p.kwArgs as Record<string, unknown>);
    if (p.expr !== null && p.expr !== undefined) {
      // a declared expression needs no registered function
      const expr = checkExpr(p.expr, `${field}.expr`, (msg) => badField(`${field}.expr`, msg.replace(`${field}.expr `, '')));
      return { name, expr, featureNamesOut, kwArgs };
    }
    let func: TransformerFunction | null = null;
    if (name !== 'identity') {
      func = functions[name] ?? registry.get(name) ?? null;
      if (!func) {
        throw new WasmlearnError('NOT_REGISTERED',
          `FunctionTransformer function ${show(name)} (at ${field}) is not registered. ` +
          `Call registerFunction(${show(name)}, fn) or pass { functions: { ${JSON.stringify(name)}: fn } } to loadModel.`,
          { field, name });
      }
    }
    return { name, func, featureNamesOut, kwArgs };
  }

  static parseState(s: Record<string, unknown>, field: string, input: InputState): FunctionState {
    return { ...input, featureNamesOut: expectStringArray(s.featureNamesOut, `${field}.featureNamesOut`) };
  }
}
