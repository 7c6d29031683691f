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
    const func = options.func ?? null;
    const name = options.name ?? (func && func.name ? func.name : 'identity');
    this.params = Object.freeze({ featureNamesOut: null, kwArgs: null, ...options, func, name });
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
    const { name, featureNamesOut, kwArgs } = this.params;
    return {
      type: 'FunctionTransformer', version: 1, params: { name, featureNamesOut, kwArgs },
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
