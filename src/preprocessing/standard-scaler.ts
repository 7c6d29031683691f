import { errors } from '../core/errors.js';
import { Frame, numericValues, type Column, type FrameInput } from '../core/frame.js';
import type { Matrix } from '../core/matrix.js';
import type { EstimatorDocument, Labels, Transformer } from '../core/estimator.js';
import { inputNames, inputStateOf, requireRows, selectInput, type InputState } from '../core/base.js';
import { badField, decodeF64, encodeArray, expectInt } from '../core/json.js';
import { kernels } from '../kernels/index.js';
import { frameToMatrix } from './util.js';

export interface StandardScalerOptions {
  /** Subtract each column's mean before scaling (default `true`). scikit-learn: `with_mean`. */
  withMean?: boolean;
  /** Divide by each column's standard deviation, ddof = 0 (default `true`). scikit-learn: `with_std`. */
  withStd?: boolean;
}

interface ScalerState extends InputState {
  mean: Float64Array | null;
  var: Float64Array | null;
  scale: Float64Array | null;
  /** Non-missing count per column (an integer when no column had missing values). */
  nSamplesSeen: number | Float64Array;
}

/**
 * Standardises numeric columns: `z = (x - mean) / scale`.
 *
 * Fitted state: `mean_`, `var_` (population variance, ddof = 0), `scale_`, `nSamplesSeen_`,
 * `nFeaturesIn_`, `featureNamesIn_`.
 *
 * Notes: missing values (NaN) are ignored at fit and kept as NaN by transform. A
 * (near-)constant column gets scale 1, with scikit-learn's test
 * `var <= n·eps·var + (n·mean·eps)²`. Statistics are summed in row order with the
 * corrected two-pass formula, as scikit-learn's `_incremental_mean_and_var`, so
 * `mean_` and `var_` equal scikit-learn's bit for bit on the same data.
 * Cost: two passes per column at fit (WebAssembly kernel), one at transform.
 * scikit-learn: `sklearn.preprocessing.StandardScaler`.
 *
 * @example
 * const s = new StandardScaler().fit({ x: [1, 2, 3] });
 * s.mean_; // => Float64Array [2]
 * s.transform({ x: [3] }).get(0, 0); // => 1.224744871391589
 */
export class StandardScaler implements Transformer {
  readonly params: Readonly<Required<StandardScalerOptions>>;
  #state?: ScalerState;

  constructor(options: StandardScalerOptions = {}) {
    this.params = Object.freeze({ withMean: true, withStd: true, ...options });
  }

  get isFitted(): boolean { return this.#state !== undefined; }
  get mean_(): Float64Array | null { return this.#fitted().mean?.slice() ?? null; }
  get var_(): Float64Array | null { return this.#fitted().var?.slice() ?? null; }
  get scale_(): Float64Array | null { return this.#fitted().scale?.slice() ?? null; }
  get nSamplesSeen_(): number | Float64Array { const n = this.#fitted().nSamplesSeen; return typeof n === 'number' ? n : n.slice(); }
  get nFeaturesIn_(): number { return this.#fitted().nFeaturesIn; }
  get featureNamesIn_(): string[] | null { return this.#fitted().featureNamesIn; }

  #fitted(): ScalerState {
    if (!this.#state) throw errors.notFitted('StandardScaler');
    return this.#state;
  }

  fit(X: FrameInput, _y?: Labels): this {
    const { withMean, withStd } = this.params;
    if (typeof withMean !== 'boolean') throw errors.invalidParam('StandardScaler', 'withMean', 'a boolean', withMean);
    if (typeof withStd !== 'boolean') throw errors.invalidParam('StandardScaler', 'withStd', 'a boolean', withStd);
    const frame = Frame.from(X);
    requireRows(frame, 'StandardScaler');
    const d = frame.nCols;
    const mean = new Float64Array(d), variance = new Float64Array(d), scale = new Float64Array(d), counts = new Float64Array(d);
    let anyMissing = false;
    const eps = Number.EPSILON;
    frame.columns.forEach((c, j) => {
      const x = numericValues(c, 'StandardScaler');
      const s = kernels().colStats(x);
      // ±Infinity makes the mean or the variance non-finite: only then is the column searched
      if (!Number.isFinite(s.mean) || !Number.isFinite(s.variance)) checkFinite(x, c.name);
      counts[j] = s.count;
      if (s.count < x.length) anyMissing = true;
      mean[j] = s.mean;
      variance[j] = s.variance;
      const n = s.count;
      const constant = s.variance <= n * eps * s.variance + (n * s.mean * eps) ** 2;
      scale[j] = constant || Number.isNaN(s.variance) ? 1 : Math.sqrt(s.variance);
    });
    this.#state = {
      ...inputStateOf(frame),
      mean: withMean || withStd ? mean : null,
      var: withStd ? variance : null,
      scale: withStd ? scale : null,
      nSamplesSeen: anyMissing ? counts : frame.nRows,
    };
    return this;
  }

  fitTransformFrame(X: FrameInput, y?: Labels): Frame {
    const frame = Frame.from(X);
    // fit has just checked these columns for ±Infinity
    return this.fit(frame, y).#transform(frame, false);
  }

  transformFrame(X: FrameInput): Frame { return this.#transform(Frame.from(X), true); }

  #transform(frame: Frame, check: boolean): Frame {
    const st = this.#fitted();
    const cols = selectInput(frame, st, 'StandardScaler');
    const out = cols.map((c, j): Column => {
      const x = numericValues(c, 'StandardScaler');
      if (check) checkFinite(x, c.name);
      const sub = this.params.withMean && st.mean ? st.mean[j] : 0;
      const div = st.scale ? st.scale[j] : 1;
      return { kind: 'numeric', name: c.name, values: kernels().subDiv(x, sub, div) };
    });
    return new Frame(out, frame.nRows, frame.hasNames);
  }

  transform(X: FrameInput): Matrix { return frameToMatrix(this.transformFrame(X), 'StandardScaler'); }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] { return inputNames(this.#fitted(), inputFeatures); }

  clone(): StandardScaler { return new StandardScaler(this.params); }

  toJSON(): EstimatorDocument {
    const st = this.#state;
    return {
      type: 'StandardScaler', version: 1, params: { ...this.params },
      state: st ? {
        mean: st.mean && encodeArray(st.mean), var: st.var && encodeArray(st.var), scale: st.scale && encodeArray(st.scale),
        nSamplesSeen: typeof st.nSamplesSeen === 'number' ? st.nSamplesSeen : Array.from(st.nSamplesSeen),
        nFeaturesIn: st.nFeaturesIn, featureNamesIn: st.featureNamesIn,
      } : null,
    };
  }

  /** @internal */
  static fromState(params: StandardScalerOptions, state: ScalerState): StandardScaler {
    const e = new StandardScaler(params);
    e.#state = state;
    return e;
  }

  /** Parses and checks the `state` of a StandardScaler document. */
  static parseState(s: Record<string, unknown>, field: string, input: InputState, params: StandardScalerOptions): ScalerState {
    const d = input.nFeaturesIn;
    const arr = (k: string, required: boolean) => {
      if (s[k] === null || s[k] === undefined) {
        if (required) throw badField(`${field}.${k}`, 'required by the params but missing');
        return null;
      }
      return decodeF64(s[k], `${field}.${k}`, d, k === 'mean');
    };
    const scale = arr('scale', params.withStd !== false);
    if (scale) scale.forEach((v, j) => { if (!(v > 0) || !Number.isFinite(v)) throw badField(`${field}.scale[${j}]`, `expected a positive finite number, got ${v}`); });
    const ns = s.nSamplesSeen;
    const nSamplesSeen = Array.isArray(ns) ? decodeF64(ns, `${field}.nSamplesSeen`, d) : expectInt(ns ?? 0, `${field}.nSamplesSeen`, 0, Number.MAX_SAFE_INTEGER);
    return { ...input, mean: arr('mean', params.withMean !== false), var: arr('var', false), scale, nSamplesSeen };
  }
}

function checkFinite(x: Float64Array, column: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === Infinity || v === -Infinity) throw errors.nonFinite(column, i, v, 'StandardScaler');
  }
}
