import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, type Category, type Column, type FrameInput } from '../core/frame.js';
import { Matrix } from '../core/matrix.js';
import type { EstimatorDocument, Labels, Transformer } from '../core/estimator.js';
import { inputNames, inputStateOf, requireRows, selectInput, compareCategories, type InputState } from '../core/base.js';
import { decodeCategory, encodeCategory, expectArray, expectObject, badField } from '../core/json.js';
import { kernels } from '../kernels/index.js';
import { frameToMatrix } from './util.js';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

export interface SimpleImputerOptions {
  /** How to compute the fill value per column (default `'mean'`). scikit-learn: `strategy`. */
  strategy?: ImputeStrategy;
  /** Value for `strategy: 'constant'` (default 0 for numeric columns, `"missing_value"` for string columns). scikit-learn: `fill_value`. */
  fillValue?: number | string | null;
  /** Keep columns that were all-missing at fit, filled with 0 (default false: dropped). scikit-learn: `keep_empty_features`. */
  keepEmptyFeatures?: boolean;
}

interface ImputerState extends InputState {
  statistics: Category[];
}

const STRATEGIES: readonly ImputeStrategy[] = ['mean', 'median', 'most_frequent', 'constant'];

/**
 * Replaces missing values (NaN, null, undefined) column by column with a statistic
 * learned at fit: the mean, the median, the most frequent value, or a constant.
 *
 * Fitted state: `statistics_` (one per input column), `nFeaturesIn_`, `featureNamesIn_`.
 *
 * Notes: mean and median need numeric columns; most_frequent and constant also work on
 * string columns. Ties in most_frequent resolve to the smallest value, as scikit-learn.
 * A column with no observed value at fit has statistic NaN and is dropped from the
 * output unless `keepEmptyFeatures` (then it is filled with 0), as scikit-learn 1.2.
 * scikit-learn: `sklearn.impute.SimpleImputer`.
 *
 * @example
 * const imp = new SimpleImputer({ strategy: 'median' }).fit({ age: [40, NaN, 60] });
 * imp.statistics_; // => [50]
 */
export class SimpleImputer implements Transformer {
  readonly params: Readonly<Required<SimpleImputerOptions>>;
  #state?: ImputerState;

  constructor(options: SimpleImputerOptions = {}) {
    this.params = Object.freeze({ strategy: 'mean', fillValue: null, keepEmptyFeatures: false, ...options }) as Readonly<Required<SimpleImputerOptions>>;
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  get statistics_(): Category[] { return [...this.#fitted().statistics]; }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }

  #fitted(): ImputerState {
    if (!this.#state) throw errors.notFitted('SimpleImputer');
    return this.#state;
  }

  fit(X: FrameInput, _y?: Labels): this {
    const { strategy, fillValue } = this.params;
    if (!STRATEGIES.includes(strategy)) throw errors.invalidParam('SimpleImputer', 'strategy', `one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}`, strategy);
    if (fillValue !== null && typeof fillValue !== 'number' && typeof fillValue !== 'string') {
      throw errors.invalidParam('SimpleImputer', 'fillValue', 'a number, a string or null', fillValue);
    }
    const frame = Frame.from(X);
    requireRows(frame, 'SimpleImputer');
    // keepEmptyFeatures: an all-missing column is kept and filled with 0 (scikit-learn 1.2)
    const statistics = frame.columns.map((c) => {
      const s = columnStatistic(c, strategy, fillValue);
      return this.params.keepEmptyFeatures && typeof s === 'number' && Number.isNaN(s) ? 0 : s;
    });
    this.#state = { ...inputStateOf(frame), statistics };
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    const frame = Frame.from(X);
    return this.fit(frame, y).transformFrame(frame);
  }

  transformFrame(X: FrameInput): Frame {
    const st = this.#fitted();
    const frame = Frame.from(X);
    const cols = selectInput(frame, st, 'SimpleImputer');
    const out: Column[] = [];
    cols.forEach((c, j) => {
      let stat = st.statistics[j];
      if (typeof stat === 'number' && Number.isNaN(stat)) {
        if (!this.params.keepEmptyFeatures) return;
        stat = 0;
      }
      out.push(imputeColumn(c, stat));
    });
    return new Frame(out, frame.nRows, frame.hasNames);
  }

  transform(X: FrameInput): Matrix { return frameToMatrix(this.transformFrame(X), 'SimpleImputer'); }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const st = this.#fitted();
    const names = inputNames(st, inputFeatures);
    return names.filter((_, j) => this.params.keepEmptyFeatures || !(typeof st.statistics[j] === 'number' && Number.isNaN(st.statistics[j])));
  }

  clone(): SimpleImputer { return new SimpleImputer(this.params); }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    return {
      type: 'SimpleImputer', version: 1, params: { ...this.params },
      state: st ? { statistics: st.statistics.map(encodeCategory), nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn } : null,
    };
  }

  /** @internal Restores fitted state from a validated document. */
  static fromState(params: SimpleImputerOptions, state: ImputerState): SimpleImputer {
    const e = new SimpleImputer(params);
    e.#state = state;
    return e;
  }

  /** Parses the `state` of a SimpleImputer document. */
  static parseState(s: Record<string, unknown>, field: string, input: InputState): ImputerState {
    const stats = expectArray(s.statistics, `${field}.statistics`, input.nFeaturesIn);
    return { ...input, statistics: stats.map((v, i) => decodeCategory(v, `${field}.statistics[${i}]`)) };
  }
}

/** The fill value of one column for a strategy. */
export function columnStatistic(c: Column, strategy: ImputeStrategy, fillValue: number | string | null): Category {
  if (strategy === 'constant') {
    if (fillValue !== null) return fillValue;
    return c.kind === 'numeric' || c.dictionary.every((v) => typeof v === 'number') ? 0 : 'missing_value';
  }
  if (c.kind === 'categorical') {
    if (strategy !== 'most_frequent') {
      throw new WasmlearnError('COLUMN_TYPE',
        `Cannot use ${strategy} strategy with non-numeric data: column ${show(c.name)} holds ${show(c.dictionary.find((v) => typeof v === 'string'))}. ` +
        `Use strategy 'most_frequent' or 'constant' for string columns.`, { column: c.name, estimator: 'SimpleImputer' });
    }
    const counts = new Float64Array(c.dictionary.length);
    for (const k of c.codes) if (k >= 0) counts[k]++;
    let best: Category = NaN, bestN = 0;
    c.dictionary.forEach((v, k) => {
      if (counts[k] > bestN || (counts[k] === bestN && bestN > 0 && compareCategories(v, best) < 0)) { best = v; bestN = counts[k]; }
    });
    return best;
  }
  const x = c.values;
  if (strategy === 'mean') return kernels().colStats(x).mean;
  if (strategy === 'median') return nanMedian(x);
  const obs = observed(x).sort();
  if (obs.length === 0) return NaN;
  // most_frequent: longest run in the sorted values; ties keep the smaller value. A run
  // of zeros reports the first of its sorted members (-0 sorts before +0).
  let best = obs[0], bestN = 0, run = 0;
  for (let i = 0; i < obs.length; i++) {
    run = i > 0 && obs[i] === obs[i - 1] ? run + 1 : 1;
    if (run > bestN) { bestN = run; best = obs[i - run + 1]; }
  }
  return best;
}

/**
 * Median of the non-missing values of x (NaN when there are none), as numpy.nanmedian: the
 * middle value, or the mean of the two middle values.
 *
 * Long columns: two bounds taken from a sorted sample of 1,024 values (its 44th and 56th
 * percentiles) bracket the middle with high probability; one pass counts the values below
 * the lower bound and copies those between the bounds, and the middle ranks are selected
 * among those few (~12 % of the values). If the bounds miss the middle (an unlucky sample),
 * the middle ranks are selected among all values.
 */
export function nanMedian(x: Float64Array): number {
  const n = x.length;
  if (n >= 4096) {
    const S = 1024, step = n / S;
    const sample = new Float64Array(S);
    let ns = 0;
    for (let t = 0; t < S; t++) { const v = x[Math.floor(t * step)]; if (v === v) sample[ns++] = v; }
    if (ns >= S / 2) {
      const s = sample.subarray(0, ns).sort();
      const mid = ns >> 1, lo = s[Math.max(0, mid - 64)], hi = s[Math.min(ns - 1, mid + 64)];
      const bucket = new Float64Array(n + 1);
      let cnt = 0, below = 0, nb = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v !== v) continue;
        cnt++;
        // branch-free: the comparisons are unpredictable on unsorted data
        below += +(v < lo);
        bucket[nb] = v;
        nb += +(v >= lo) & +(v <= hi);
      }
      const m = cnt >> 1, first = cnt % 2 ? m : m - 1;
      if (first >= below && m < below + nb) return middle(bucket.subarray(0, nb), m - below, cnt % 2 === 1);
    }
  }
  const obs = observed(x);
  if (obs.length === 0) return NaN;
  return middle(obs, obs.length >> 1, obs.length % 2 === 1);
}

/** The value of rank m of a (rearranging a), or with `odd` false the mean of ranks m - 1 and m. */
function middle(a: Float64Array, m: number, odd: boolean): number {
  const hi = select(a, m);
  if (odd) return hi;
  // after selection, a[0 .. m) holds the smaller values: their maximum is rank m - 1
  let lo = a[0];
  for (let i = 1; i < m; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

/** The non-missing values of x, in order (a copy; a plain loop, several times faster than `filter`). */
function observed(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i]; if (v === v) out[m++] = v; }
  return m === x.length ? out : out.slice(0, m);
}

/**
 * k-th smallest of a (0-based), rearranging a so that a[0..k) <= a[k] <= a(k..]:
 * Hoare quickselect with median-of-three pivots, O(n) on average (a median without the
 * O(n log n) sort).
 */
function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void { const t = a[i]; a[i] = a[j]; a[j] = t; }

/** A copy of column c with missing entries replaced by `value`. */
export function imputeColumn(c: Column, value: Category): Column {
  if (c.kind === 'numeric') {
    if (typeof value === 'number') return { kind: 'numeric', name: c.name, values: kernels().fillMissing(c.values, value) };
    // a string fill on a numeric column turns it categorical (as an object array in numpy)
    const dict: Category[] = [];
    const idx = new Map<number, number>();
    const codes = new Int32Array(c.values.length);
    c.values.forEach((v, i) => {
      if (Number.isNaN(v)) { codes[i] = -2; return; }
      let k = idx.get(v);
      if (k === undefined) { k = dict.length; dict.push(v); idx.set(v, k); }
      codes[i] = k;
    });
    const fk = dict.length;
    dict.push(value);
    for (let i = 0; i < codes.length; i++) if (codes[i] === -2) codes[i] = fk;
    return { kind: 'categorical', name: c.name, codes, dictionary: dict };
  }
  let fk = c.dictionary.indexOf(value);
  const dictionary = fk >= 0 ? c.dictionary : [...c.dictionary, value];
  if (fk < 0) fk = c.dictionary.length;
  const codes = c.codes.slice();
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) codes[i] = fk;
  return { kind: 'categorical', name: c.name, codes, dictionary };
}

export function parseImputerParams(p: Record<string, unknown>, field: string): SimpleImputerOptions {
  expectObject(p, field);
  const strategy = p.strategy ?? 'mean';
  if (!STRATEGIES.includes(strategy as ImputeStrategy)) throw badField(`${field}.strategy`, `expected one of ${STRATEGIES.join(', ')}, got ${show(strategy)}`);
  const fillValue = p.fillValue === undefined || p.fillValue === null ? null : decodeCategory(p.fillValue, `${field}.fillValue`);
  return { strategy: strategy as ImputeStrategy, fillValue, keepEmptyFeatures: p.keepEmptyFeatures === true };
}
