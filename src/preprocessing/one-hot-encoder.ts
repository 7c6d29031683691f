import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, type Category, type Column, type FrameInput } from '../core/frame.js';
import { Matrix } from '../core/matrix.js';
import type { EstimatorDocument, Labels, Transformer } from '../core/estimator.js';
import { compareCategories, inputNames, inputStateOf, pyStr, requireRows, selectInput, sortedUnique, type InputState } from '../core/base.js';
import { badField, decodeCategory, encodeCategory, expectArray, expectOneOf } from '../core/json.js';
import { kernels } from '../kernels/index.js';

export interface OneHotEncoderOptions {
  /** `'auto'` (default: sorted unique values seen at fit) or the categories of each column. scikit-learn: `categories`. */
  categories?: 'auto' | Category[][];
  /** `'error'` (default) throws on a category not seen at fit; `'ignore'` encodes it as all zeros. scikit-learn: `handle_unknown`. */
  handleUnknown?: 'error' | 'ignore';
  /** Drop one column per feature: `null` (default), `'first'`, `'if_binary'`, or one category (or null) per column. scikit-learn: `drop`. */
  drop?: null | 'first' | 'if_binary' | (Category | null)[];
}

interface EncoderState extends InputState {
  categories: Category[][];
  /** Per column, the index of the dropped category or null. */
  dropIdx: (number | null)[] | null;
}

/**
 * Encodes categorical columns (numbers or strings) as one 0/1 column per category.
 *
 * Fitted state: `categories_` (sorted as scikit-learn: numbers ascending, strings by
 * code point, missing last as NaN when it occurred at fit), `dropIdx_`, `nFeaturesIn_`,
 * `featureNamesIn_`.
 *
 * Notes: a missing value seen at fit becomes its own category (NaN, named `nan`), as
 * scikit-learn ≥ 1.0. Output names are `<column>_<category>` with categories formatted
 * as Python's `str()` of float64 / str values (`cp_1.0`, `color_red`). Inside a fitted
 * pipeline, scoring never builds the one-hot matrix: each category contributes a
 * looked-up weight (see Pipeline).
 * scikit-learn: `sklearn.preprocessing.OneHotEncoder(sparse_output=False)`.
 *
 * @example
 * const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit({ color: ['red', 'blue'] });
 * enc.transform({ color: ['red', 'green'] }).toArray(); // => [[0, 1], [0, 0]]
 */
export class OneHotEncoder implements Transformer {
  readonly params: Readonly<Required<OneHotEncoderOptions>>;
  #state?: EncoderState;

  constructor(options: OneHotEncoderOptions = {}) {
    this.params = Object.freeze({ categories: 'auto', handleUnknown: 'error', drop: null, ...options }) as Readonly<Required<OneHotEncoderOptions>>;
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  get categories_(): Category[][] { return this.#fitted().categories.map((c) => [...c]); }
  get dropIdx_(): (number | null)[] | null { const d = this.#fitted().dropIdx; return d && [...d]; }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }

  #fitted(): EncoderState {
    if (!this.#state) throw errors.notFitted('OneHotEncoder');
    return this.#state;
  }

  fit(X: FrameInput, _y?: Labels): this {
    const { handleUnknown, drop, categories } = this.params;
    if (handleUnknown !== 'error' && handleUnknown !== 'ignore') throw errors.invalidParam('OneHotEncoder', 'handleUnknown', "'error' or 'ignore'", handleUnknown);
    if (!(drop === null || drop === 'first' || drop === 'if_binary' || Array.isArray(drop))) {
      throw errors.invalidParam('OneHotEncoder', 'drop', "null, 'first', 'if_binary' or an array of categories", drop);
    }
    const frame = Frame.from(X);
    requireRows(frame, 'OneHotEncoder');
    if (categories !== 'auto' && (!Array.isArray(categories) || categories.length !== frame.nCols)) {
      throw errors.invalidParam('OneHotEncoder', 'categories', `'auto' or an array of ${frame.nCols} category lists`, categories);
    }
    if (Array.isArray(drop) && drop.length !== frame.nCols) {
      throw errors.invalidParam('OneHotEncoder', 'drop', `an array of ${frame.nCols} entries`, drop);
    }
    const cats = frame.columns.map((c, j) => {
      const seen = observedCategories(c);
      if (categories === 'auto') return seen;
      const given = sortedUnique(categories[j].map((v) => (v === null ? NaN : v)), c.name, 'OneHotEncoder');
      const set = new Set(given.map(key));
      if (handleUnknown === 'error') {
        const unknown = seen.filter((v) => !set.has(key(v)));
        if (unknown.length) {
          throw new WasmlearnError('UNKNOWN_CATEGORY',
            `Found unknown categories ${show(unknown)} in column ${show(c.name)} during fit.`, { column: c.name, estimator: 'OneHotEncoder' });
        }
      }
      return given;
    });
    const dropIdx = computeDropIdx(drop, cats, frame.names);
    this.#state = { ...inputStateOf(frame), categories: cats, dropIdx };
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    const frame = Frame.from(X);
    return this.fit(frame, y).transformFrame(frame);
  }

  /**
   * Category index of every row of every input column (-1 = unknown), after checking
   * unknowns when handleUnknown is 'error'. The shared first half of transform.
   */
  encodeCodes(frame: Frame): { codes: Int32Array[]; columns: Column[] } {
    const st = this.#fitted();
    const cols = selectInput(frame, st, 'OneHotEncoder');
    const codes = cols.map((c, j) => {
      const idx = categoryIndex(c, st.categories[j]);
      if (this.params.handleUnknown === 'error') {
        const bad = idx.indexOf(-1);
        if (bad >= 0) throw errors.unknownCategory(c.name, bad, cellOf(c, bad));
      }
      return idx;
    });
    return { codes, columns: cols };
  }

  transformFrame(X: FrameInput): Frame {
    const st = this.#fitted();
    const frame = Frame.from(X);
    const { codes } = this.encodeCodes(frame);
    const names = this.getFeatureNamesOut();
    const n = frame.nRows;
    // one output column per kept category, written directly (no dense matrix in between)
    const out = names.map(() => new Float64Array(n));
    let offset = 0;
    codes.forEach((idx, j) => {
      const drop = st.dropIdx ? st.dropIdx[j] : null;
      const nCats = st.categories[j].length;
      if (drop === null) {
        // the output column of each category, looked up directly by category index
        const cols = out.slice(offset, offset + nCats);
        for (let i = 0; i < n; i++) { const k = idx[i]; if (k >= 0) cols[k][i] = 1; }
      } else {
        const cols = st.categories[j].map((_, k) => (k === drop ? null : out[offset + (k > drop ? k - 1 : k)]));
        for (let i = 0; i < n; i++) { const k = idx[i]; if (k >= 0) { const col = cols[k]; if (col !== null) col[i] = 1; } }
      }
      offset += nCats - (drop === null ? 0 : 1);
    });
    return new Frame(names.map((name, j): Column => ({ kind: 'numeric', name, values: out[j] })), n, true);
  }

  transform(X: FrameInput): Matrix { return this.#encode(Frame.from(X)); }

  #encode(frame: Frame): Matrix {
    const st = this.#fitted();
    const { codes } = this.encodeCodes(frame);
    const widths = st.categories.map((c, j) => c.length - (st.dropIdx && st.dropIdx[j] !== null ? 1 : 0));
    const total = widths.reduce((a, b) => a + b, 0);
    const out = new Matrix(frame.nRows, total);
    let offset = 0;
    codes.forEach((idx, j) => {
      const drop = st.dropIdx ? st.dropIdx[j] : null;
      const map = st.categories[j].map((_, k) => (drop === null ? k : k === drop ? -1 : k > drop ? k - 1 : k));
      for (let i = 0; i < idx.length; i++) {
        const k = idx[i];
        if (k < 0) continue;
        const col = map[k];
        if (col >= 0) out.data[i * total + offset + col] = 1;
      }
      offset += widths[j];
    });
    return out;
  }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const st = this.#fitted();
    const names = inputNames(st, inputFeatures);
    const out: string[] = [];
    st.categories.forEach((cats, j) => {
      cats.forEach((c, k) => {
        if (st.dropIdx && st.dropIdx[j] === k) return;
        out.push(`${names[j]}_${pyStr(c)}`);
      });
    });
    return out;
  }

  clone(): OneHotEncoder { return new OneHotEncoder(this.params); }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    const p = this.params;
    return {
      type: 'OneHotEncoder', version: 1,
      params: {
        categories: p.categories === 'auto' ? 'auto' : p.categories.map((c) => c.map(encodeCategory)),
        handleUnknown: p.handleUnknown,
        drop: Array.isArray(p.drop) ? p.drop.map((v) => (v === null ? null : encodeCategory(v))) : p.drop,
      },
      state: st ? {
        categories: st.categories.map((c) => c.map(encodeCategory)), dropIdx: st.dropIdx,
        nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn,
      } : null,
    };
  }

  /** @internal */
  static fromState(params: OneHotEncoderOptions, state: EncoderState): OneHotEncoder {
    const e = new OneHotEncoder(params);
    e.#state = state;
    return e;
  }

  static parseParams(p: Record<string, unknown>, field: string): OneHotEncoderOptions {
    const handleUnknown = expectOneOf(p.handleUnknown ?? 'error', `${field}.handleUnknown`, ['error', 'ignore'] as const);
    let categories: OneHotEncoderOptions['categories'] = 'auto';
    if (p.categories !== undefined && p.categories !== 'auto') {
      if (!Array.isArray(p.categories)) throw badField(`${field}.categories`, "expected 'auto' or an array of arrays");
      categories = expectArray(p.categories, `${field}.categories`).map((c, j) => {
        expectArray(c, `${field}.categories[${j}]`);
        if (!Array.isArray(c)) throw badField(`${field}.categories[${j}]`, 'expected an array');
        return c.map((v, k) => decodeCategory(v, `${field}.categories[${j}][${k}]`));
      });
    }
    let drop: OneHotEncoderOptions['drop'] = null;
    if (p.drop === 'first' || p.drop === 'if_binary') drop = p.drop;
    else if (Array.isArray(p.drop)) drop = p.drop.map((v, j) => (v === null ? null : decodeCategory(v, `${field}.drop[${j}]`)));
    else if (p.drop !== null && p.drop !== undefined) throw badField(`${field}.drop`, `expected null, 'first', 'if_binary' or an array, got ${show(p.drop)}`);
    return { handleUnknown, categories, drop };
  }

  static parseState(s: Record<string, unknown>, field: string, input: InputState): EncoderState {
    const lists = expectArray(s.categories, `${field}.categories`, input.nFeaturesIn);
    const categories = lists.map((c, j) => {
      const f = `${field}.categories[${j}]`;
      expectArray(c, f);
      if (!Array.isArray(c) || c.length === 0) throw badField(f, 'expected a non-empty array');
      const vals = c.map((v, k) => decodeCategory(v, `${f}[${k}]`));
      // NaN (missing seen at fit) may only be the last category, whatever the others' type
      const isNaNCat = (v: Category) => typeof v === 'number' && Number.isNaN(v);
      vals.forEach((v, k) => { if (isNaNCat(v) && k !== vals.length - 1) throw badField(`${f}[${k}]`, 'NaN may only be the last category'); });
      const body = isNaNCat(vals[vals.length - 1]) ? vals.slice(0, -1) : vals;
      for (let k = 1; k < body.length; k++) {
        if (typeof body[k] !== typeof body[0]) throw badField(`${f}[${k}]`, 'categories of one column must be all numbers or all strings');
        if (compareCategories(body[k - 1], body[k]) >= 0) throw badField(`${f}[${k}]`, 'categories must be sorted and unique');
      }
      return vals;
    });
    let dropIdx: (number | null)[] | null = null;
    if (Array.isArray(s.dropIdx)) {
      expectArray(s.dropIdx, `${field}.dropIdx`, input.nFeaturesIn);
      dropIdx = s.dropIdx.map((v, j) => {
        if (v === null) return null;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= categories[j].length) {
          throw badField(`${field}.dropIdx[${j}]`, `expected null or an index below ${categories[j].length}, got ${show(v)}`);
        }
        return v;
      });
    } else if (s.dropIdx !== null && s.dropIdx !== undefined) throw badField(`${field}.dropIdx`, 'expected null or an array');
    return { ...input, categories, dropIdx };
  }
}

/** Identity key separating numbers from strings and NaN from everything. */
function key(v: Category): string {
  return typeof v === 'number' ? `n:${Number.isNaN(v) ? 'NaN' : v}` : `s:${v}`;
}

function cellOf(c: Column, row: number): Category {
  if (c.kind === 'numeric') return c.values[row];
  const k = c.codes[row];
  return k < 0 ? NaN : c.dictionary[k];
}

/** Integer categories below this are collected in a table rather than a Set. */
const SMALL = 1024;

function observedCategories(c: Column): Category[] {
  let hasMissing = false;
  let vals: Category[];
  if (c.kind === 'numeric') {
    // small non-negative integers (the usual coded categories) are marked in a table; other
    // values go to a Set (far slower per value)
    const x = c.values;
    const small = new Uint8Array(SMALL);
    let s: Set<number> | null = null;
    for (let i = 0; i < x.length; i++) {
      const v = x[i], iv = v | 0;
      if (iv === v && iv >= 0 && iv < SMALL) small[iv] = 1;
      else if (v !== v) hasMissing = true;
      else (s ??= new Set<number>()).add(v);
    }
    vals = [];
    for (let v = 0; v < SMALL; v++) if (small[v]) vals.push(v);
    if (s) for (const v of s) vals.push(v);
  } else {
    const used = new Uint8Array(c.dictionary.length);
    for (const k of c.codes) { if (k < 0) hasMissing = true; else used[k] = 1; }
    vals = c.dictionary.filter((_, k) => used[k]);
  }
  const sorted = sortedUnique(vals, c.name, 'OneHotEncoder');
  if (hasMissing) sorted.push(NaN);
  return sorted;
}

/** Index of each row's value in `cats` (sorted; NaN last allowed), -1 when absent. */
export function categoryIndex(c: Column, cats: readonly Category[]): Int32Array {
  if (c.kind === 'numeric') {
    if (cats.every((v) => typeof v === 'number')) return smallIntegerIndex(c.values, cats as number[]) ?? kernels().lookupSorted(c.values, Float64Array.from(cats as number[]));
    // numeric input against string categories: only missing can match
    const nan = cats.findIndex((v) => typeof v === 'number' && Number.isNaN(v));
    return Int32Array.from(c.values, (v) => (Number.isNaN(v) ? nan : -1));
  }
  const lookup = dictionaryLookup(c.dictionary, cats);
  const nan = cats.findIndex((v) => typeof v === 'number' && Number.isNaN(v));
  const out = new Int32Array(c.codes.length);
  for (let i = 0; i < out.length; i++) { const k = c.codes[i]; out[i] = k < 0 ? nan : lookup[k]; }
  return out;
}

/**
 * categoryIndex for categories that are small non-negative integers (NaN allowed last):
 * a lookup table indexed by the value instead of a binary search per value, whose
 * comparisons mispredict on shuffled rows. Null when the categories are of another kind.
 */
function smallIntegerIndex(x: Float64Array, cats: readonly number[]): Int32Array | null {
  const nan = cats.length > 0 && Number.isNaN(cats[cats.length - 1]) ? cats.length - 1 : -1;
  const nf = nan >= 0 ? cats.length - 1 : cats.length;
  const top = nf > 0 ? cats[nf - 1] : 0;
  if (!(top < SMALL) || !cats.every((v, k) => k >= nf || (v >= 0 && Number.isInteger(v)))) return null;
  const lut = new Int32Array(top + 1).fill(-1);
  for (let k = 0; k < nf; k++) lut[cats[k]] = k;
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i], iv = v | 0;
    // -0 finds entry 0, as it equals category 0; other values are unknown (-1)
    out[i] = iv === v && iv >= 0 && iv <= top ? lut[iv] : v !== v ? nan : -1;
  }
  return out;
}

/** For each dictionary entry, its index in `cats` or -1. */
export function dictionaryLookup(dictionary: readonly Category[], cats: readonly Category[]): Int32Array {
  const pos = new Map<string, number>();
  cats.forEach((v, k) => pos.set(key(v), k));
  return Int32Array.from(dictionary, (v) => pos.get(key(v)) ?? -1);
}

function computeDropIdx(drop: OneHotEncoderOptions['drop'], cats: Category[][], names: readonly string[]): (number | null)[] | null {
  if (drop === null || drop === undefined) return null;
  if (drop === 'first') return cats.map(() => 0);
  if (drop === 'if_binary') return cats.map((c) => (c.length === 2 ? 0 : null));
  return drop.map((v, j) => {
    if (v === null) return null;
    const k = cats[j].findIndex((c) => key(c) === key(v));
    if (k < 0) {
      throw new WasmlearnError('INVALID_PARAM',
        `The following categories were supposed to be dropped, but were not found in the training data: ${show(v)} in column ${show(names[j])}.`,
        { column: names[j], estimator: 'OneHotEncoder' });
    }
    return k;
  });
}
