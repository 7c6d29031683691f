import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, type Column, type FrameInput } from '../core/frame.js';
import type { Matrix } from '../core/matrix.js';
import { isTransformer, type EstimatorDocument, type Labels, type Transformer } from '../core/estimator.js';
import { checkStepNames, inputStateOf, requireRows, type InputState } from '../core/base.js';
import { frameToMatrix } from '../preprocessing/util.js';

/** Column selection: names, or integer positions in the input. */
export type ColumnSelector = readonly string[] | readonly number[] | string | number;
export type TransformerSpec = Transformer | 'drop' | 'passthrough';
/** `[name, transformer, columns]`, as scikit-learn's `transformers` list. */
export type TransformerEntry = readonly [name: string, transformer: TransformerSpec, columns: ColumnSelector];

export interface ColumnTransformerOptions {
  /** What happens to columns no transformer selects: `'drop'` (default), `'passthrough'`, or a transformer. scikit-learn: `remainder`. */
  remainder?: TransformerSpec;
  /** Prefix output names with `<transformer name>__` (default true). scikit-learn: `verbose_feature_names_out`. */
  verboseFeatureNamesOut?: boolean;
}

/** A fitted entry: resolved input column names and the fitted transformer. */
export interface FittedEntry {
  name: string;
  transformer: Transformer | 'drop' | 'passthrough';
  columns: string[];
  /** How the user selected the columns (kept for documents). */
  selector: ColumnSelector;
}

interface CtState extends InputState {
  fitted: FittedEntry[];
  outputNames: string[];
}

/**
 * Applies a transformer to each group of columns and concatenates the results side by
 * side, in the order of the list, remainder last.
 *
 * Each transformer is cloned and fitted on its columns; the fitted copies are in
 * `transformers_`. Output names are `<name>__<feature>` (scikit-learn's naming, e.g.
 * `num__age`). At transform time columns are found by name, so their order in the
 * input does not matter and extra columns are ignored.
 *
 * Fitted state: `transformers_`, `nFeaturesIn_`, `featureNamesIn_`.
 * scikit-learn: `sklearn.compose.ColumnTransformer`.
 *
 * @example
 * const ct = new ColumnTransformer([['num', new StandardScaler(), ['age']]], { remainder: 'passthrough' });
 * ct.fit(rows).getFeatureNamesOut(); // => ['num__age', 'remainder__sex', …]
 */
export class ColumnTransformer implements Transformer {
  readonly params: Readonly<{ transformers: readonly TransformerEntry[] } & Required<ColumnTransformerOptions>>;
  #state?: CtState;

  constructor(transformers: readonly TransformerEntry[] = [], options: ColumnTransformerOptions = {}) {
    this.params = Object.freeze({ transformers, remainder: 'drop', verboseFeatureNamesOut: true, ...options });
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  /** Fitted entries `[name, transformer, columns]`, remainder last when it has columns. */
  get transformers_(): [string, Transformer | 'drop' | 'passthrough', string[]][] {
    return this.#fitted().fitted.map((e) => [e.name, e.transformer, [...e.columns]]);
  }
  /** Fitted transformers by name. */
  get namedTransformers_(): Record<string, Transformer | 'drop' | 'passthrough'> {
    return Object.fromEntries(this.#fitted().fitted.map((e) => [e.name, e.transformer]));
  }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }

  #fitted(): CtState {
    if (!this.#state) throw errors.notFitted('ColumnTransformer');
    return this.#state;
  }

  #validate(): void {
    const { transformers, remainder } = this.params;
    if (!Array.isArray(transformers)) throw errors.invalidParam('ColumnTransformer', 'transformers', 'an array of [name, transformer, columns]', transformers);
    transformers.forEach((t, i) => {
      if (!Array.isArray(t) || t.length !== 3) throw errors.invalidParam('ColumnTransformer', `transformers[${i}]`, 'a [name, transformer, columns] triple', t);
      const [, tr] = t;
      if (tr !== 'drop' && tr !== 'passthrough' && !isTransformer(tr)) {
        throw new WasmlearnError('INVALID_PARAM',
          `All estimators should implement fit and transform, or can be 'drop' or 'passthrough' specifiers. ${show(t[0])} (${show(tr)}) doesn't.`,
          { estimator: 'ColumnTransformer', field: `transformers[${i}]` });
      }
    });
    checkStepNames([...transformers.map((t) => t[0]), 'remainder'].slice(0, transformers.length), 'ColumnTransformer');
    if (remainder !== 'drop' && remainder !== 'passthrough' && !isTransformer(remainder)) {
      throw errors.invalidParam('ColumnTransformer', 'remainder', "'drop', 'passthrough' or a transformer", remainder);
    }
  }

  fit(X: FrameInput, y?: Labels): this {
    this.fitTransformFrame(X, y);
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    this.#validate();
    const frame = Frame.from(X);
    requireRows(frame, 'ColumnTransformer');
    const used = new Set<string>();
    const fitted: FittedEntry[] = [];
    const outputs: Frame[] = [];
    for (const [name, tr, selector] of this.params.transformers) {
      const columns = resolveColumns(selector, frame, name);
      columns.forEach((c) => used.add(c));
      const entry = this.#fitOne(name, tr, columns, selector, frame, y);
      fitted.push(entry.fitted);
      if (entry.output) outputs.push(entry.output);
    }
    const rest = frame.names.filter((n) => !used.has(n));
    const { remainder } = this.params;
    if (rest.length && remainder !== 'drop') {
      const entry = this.#fitOne('remainder', remainder, rest, rest, frame, y);
      fitted.push(entry.fitted);
      if (entry.output) outputs.push(entry.output);
    }
    const out = this.#concat(outputs, fitted, frame.nRows);
    this.#state = { ...inputStateOf(frame), fitted, outputNames: out.names as string[] };
    return out;
  }

  #fitOne(name: string, tr: TransformerSpec, columns: string[], selector: ColumnSelector, frame: Frame, y?: Labels) {
    const sub = frame.select(columns, 'ColumnTransformer');
    if (tr === 'drop') return { fitted: { name, transformer: tr, columns, selector } as FittedEntry, output: null };
    if (tr === 'passthrough') return { fitted: { name, transformer: tr, columns, selector } as FittedEntry, output: sub };
    const clone = tr.clone();
    const output = clone.fitTransformFrame(sub, y);
    return { fitted: { name, transformer: clone, columns, selector } as FittedEntry, output };
  }

  #concat(outputs: Frame[], fitted: FittedEntry[], nRows: number): Frame {
    const cols: Column[] = [];
    const active = fitted.filter((e) => e.transformer !== 'drop');
    outputs.forEach((o, i) => {
      const prefix = active[i].name;
      for (const c of o.columns) {
        if (o.nRows !== nRows) throw errors.lengthMismatch(`Output of transformer ${show(prefix)}`, nRows, o.nRows);
        cols.push({ ...c, name: this.params.verboseFeatureNamesOut ? `${prefix}__${c.name}` : c.name } as Column);
      }
    });
    return new Frame(cols, nRows, true);
  }

  transformFrame(X: FrameInput): Frame {
    const st = this.#fitted();
    const frame = Frame.from(X);
    if (!frame.hasNames && frame.nCols !== st.nFeaturesIn) throw errors.featureCount('ColumnTransformer', st.nFeaturesIn, frame.nCols);
    const named = frame.hasNames ? frame : renamePositional(frame, st);
    const outputs: Frame[] = [];
    for (const e of st.fitted) {
      if (e.transformer === 'drop') continue;
      const sub = named.select(e.columns, 'ColumnTransformer');
      outputs.push(e.transformer === 'passthrough' ? sub : e.transformer.transformFrame(sub));
    }
    return this.#concat(outputs, st.fitted, frame.nRows);
  }

  transform(X: FrameInput): Matrix { return frameToMatrix(this.transformFrame(X), 'ColumnTransformer'); }

  getFeatureNamesOut(_inputFeatures?: readonly string[]): string[] { return [...this.#fitted().outputNames]; }

  clone(): ColumnTransformer {
    return new ColumnTransformer(this.params.transformers, { remainder: this.params.remainder, verboseFeatureNamesOut: this.params.verboseFeatureNamesOut });
  }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    const spec = (t: TransformerSpec | Transformer) => (typeof t === 'string' ? t : t.toJSON());
    const sel = (s: ColumnSelector) => (Array.isArray(s) ? [...s] : [s]);
    return {
      type: 'ColumnTransformer', version: 1,
      params: {
        transformers: this.params.transformers.map(([n, t, c]) => [n, spec(t), sel(c)]),
        remainder: spec(this.params.remainder),
        verboseFeatureNamesOut: this.params.verboseFeatureNamesOut,
      },
      state: st ? {
        transformers: st.fitted.map((e) => [e.name, spec(e.transformer), [...e.columns]]),
        nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn,
      } : null,
    };
  }

  /** @internal Fitted entries, for compiling scoring plans. */
  get _fitted(): readonly FittedEntry[] { return this.#fitted().fitted; }

  /** @internal */
  static fromState(transformers: readonly TransformerEntry[], options: ColumnTransformerOptions, state: { nFeaturesIn: number; featureNamesIn: string[] | null; fitted: FittedEntry[] }): ColumnTransformer {
    const e = new ColumnTransformer(transformers, options);
    const names: string[] = [];
    for (const f of state.fitted) {
      if (f.transformer === 'drop') continue;
      const outs = f.transformer === 'passthrough' ? f.columns : f.transformer.getFeatureNamesOut();
      for (const o of outs) names.push(options.verboseFeatureNamesOut === false ? o : `${f.name}__${o}`);
    }
    e.#state = { ...state, outputNames: names };
    return e;
  }
}

/** Names of the selected columns; positions index the input's columns. */
function resolveColumns(selector: ColumnSelector, frame: Frame, name: string): string[] {
  const list = (Array.isArray(selector) ? selector : [selector]) as (string | number)[];
  return list.map((s) => {
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -frame.nCols || s >= frame.nCols) {
        throw new WasmlearnError('MISSING_COLUMN', `Column index ${s} of transformer ${show(name)} is out of range for an input with ${frame.nCols} columns.`, { estimator: 'ColumnTransformer' });
      }
      return frame.names[s < 0 ? frame.nCols + s : s];
    }
    if (typeof s !== 'string') throw errors.invalidParam('ColumnTransformer', `columns of ${show(name)}`, 'column names or integer positions', s);
    frame.column(s, 'ColumnTransformer');
    return s;
  });
}

function renamePositional(frame: Frame, st: CtState): Frame {
  const names = st.featureNamesIn ?? frame.names;
  return new Frame(frame.columns.map((c, j) => ({ ...c, name: names[j] } as Column)), frame.nRows, true);
}
