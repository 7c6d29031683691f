/**
 * A seeded, mergeable, fixed-capacity uniform sample (reservoir sampling), kept per
 * numeric column of a profile so that KS and Wasserstein can run on bounded memory.
 */
import { WasmlearnError, show } from '../core/errors.js';
import { badField, decodeF64, encodeArray, expectInt, expectObject, type JsonNumber } from '../core/json.js';
import { profileKernels } from '../kernels/index.js';
import { referenceProfileKernels } from '../kernels/profile.js';

/** splitmix32 output for state s (the state advances by the golden-ratio increment first). Small, fast and identical everywhere. */
function mix(s: number): number {
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
const GOLDEN = 0x9e3779b9;
/** Storage of a reservoir that holds nothing yet (never written: #ensure replaces it first). */
const NO_VALUES = new Float64Array(0);
const TWO32 = 4294967296;

/** ln(k!) for k < 126 (summed once), as numpy's logfactorial table. */
const LOG_FACT = (() => {
  const t = new Float64Array(126);
  for (let k = 2; k < 126; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
})();

/** ln(k!): the table below 126, Stirling's series above (numpy's `logfactorial`). */
function logFactorial(k: number): number {
  if (k < 126) return LOG_FACT[k];
  return (k + 0.5) * Math.log(k) - k + (0.9189385332046728 + (1 / k) * (1 / 12 - 1 / (360 * k * k)));
}

/** JSON form of a {@link Reservoir}. */
export interface ReservoirJSON {
  capacity: number;
  seen: number;
  state: number;
  values: JsonNumber[];
}

/**
 * Uniform sample without replacement of at most `capacity` values from everything
 * added (reservoir sampling; each batch is merged in one step, see {@link Reservoir.addAll}).
 * While `seen <= capacity` it holds every value, so statistics computed on it are exact;
 * beyond that it is a uniformly drawn `capacity`-subset of the values seen. Two reservoirs merge into a uniform sample of the
 * union. Memory: 8 bytes x capacity.
 *
 * @example
 * const r = new Reservoir(3, 1); r.addAll([1, 2]); r.values(); // => Float64Array [1, 2]
 */
export class Reservoir {
  readonly capacity: number;
  #values: Float64Array;
  #size = 0;
  #seen = 0;
  #state: number;

  /**
   * @param capacity - maximum number of values kept (integer >= 1)
   * @param seed - PRNG seed (default 0); same seed and inputs, same sample
   * @throws WasmlearnError `INVALID_PARAM` for a capacity that is not a positive integer
   */
  constructor(capacity: number, seed = 0) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 26) {
      throw new WasmlearnError('INVALID_PARAM', `The 'sampleSize' parameter of Profile must be an integer in [1, 67108864]. Got ${show(capacity)} instead.`, { field: 'sampleSize' });
    }
    this.capacity = capacity;
    // storage grows with the sample (a window that profiles few rows stays small; none is allocated before the first value)
    this.#values = NO_VALUES;
    this.#state = seed >>> 0;
  }

  /** Grows the storage to hold at least n values (at most capacity). */
  #ensure(n: number): void {
    if (n <= this.#values.length) return;
    let len = Math.max(this.#values.length, 64);
    while (len < n) len *= 2;
    const v = new Float64Array(Math.min(Math.max(len, 1), this.capacity));
    v.set(this.#values.subarray(0, this.#size));
    this.#values = v;
  }

  /** Values offered so far. */
  get seen(): number { return this.#seen; }
  /** Values held (min(seen, capacity)). */
  get size(): number { return this.#size; }
  /** True while the sample holds every value offered (statistics on it are exact). */
  get exact(): boolean { return this.#seen <= this.capacity; }

  /** Uniform in [0, 1). */
  #rand(): number {
    this.#state = (this.#state + GOLDEN) >>> 0;
    return mix(this.#state) / TWO32;
  }

  /** Uniform in (0, 1). */
  #randOpen(): number {
    this.#state = (this.#state + GOLDEN) >>> 0;
    return (mix(this.#state) + 0.5) / TWO32;
  }

  /**
   * Offers every non-missing value of `x` (NaN is skipped). Values are kept while there
   * is room; the rest of a batch is merged in one step: the number m of the new sample's
   * slots that go to the batch is drawn from the hypergeometric distribution (capacity
   * draws from seen + batch values, as numpy's `hypergeometric`: ratio-of-uniforms HRUA),
   * then m uniformly chosen slots are replaced by m uniformly chosen batch values (partial
   * Fisher–Yates, Floyd's algorithm). The result is a uniform sample of everything seen,
   * as with one draw per value (Vitter's algorithm R), at 2m random draws per batch
   * (m ≈ capacity x batch / (seen + batch)) instead of one per value. The realisation
   * depends on how values are split into batches (the distribution does not).
   * @param x - values
   * @param count - number of non-NaN values in `x` when the caller knows it (skips a scan); must be exact
   */
  addAll(x: ArrayLike<number>, count?: number): void {
    const cap = this.capacity, n = x.length;
    this.#ensure(Math.min(cap, this.#size + n));
    const vals = this.#values;
    let i = 0, size = this.#size, seen = this.#seen;
    if (size < cap) {
      if (count === n) {
        const take = Math.min(cap - size, n);
        if (x instanceof Float64Array) vals.set(x.subarray(0, take), size);
        else for (let k = 0; k < take; k++) vals[size + k] = x[k];
        i = take; size += take; seen += take;
      } else {
        for (; size < cap && i < n; i++) { const v = x[i]; if (v === v) { vals[size++] = v; seen++; } }
      }
      this.#size = size; this.#seen = seen;
    }
    if (i >= n) return;
    let src: ArrayLike<number> = x, off = i, nb = n - i;
    if (count !== n) {
      const c = new Float64Array(n - i);
      let k = 0;
      for (; i < n; i++) { const v = x[i]; if (v === v) c[k++] = v; }
      src = c; off = 0; nb = k;
      if (nb === 0) return;
    }
    const m = this.#hypergeometric(nb, seen, cap);
    if (m > 0) {
      const batch = src instanceof Float64Array ? src.subarray(off, off + nb) : Float64Array.from({ length: nb }, (_, k) => src[off + k]);
      // the two implementations give identical results; WebAssembly pays for its copies once m is large enough
      const k = m * 32 >= 2 * cap + nb ? profileKernels() : referenceProfileKernels;
      this.#state = k.reservoirReplace(vals, batch, m, this.#state);
    }
    this.#seen = seen + nb;
  }

  /** Hypergeometric draw (numpy's `random_hypergeometric`): "good" items among `sample` drawn without replacement from good + bad. */
  #hypergeometric(good: number, bad: number, sample: number): number {
    const total = good + bad;
    if (sample >= 10 && sample <= total - 10) return this.#hrua(good, bad, sample);
    const computed = sample > Math.floor(total / 2) ? total - sample : sample;
    let remTotal = total, remGood = good, left = computed;
    while (left > 0 && remGood > 0 && remTotal > remGood) {
      remTotal--;
      if (Math.floor(this.#rand() * (remTotal + 1)) < remGood) remGood--;
      left--;
    }
    if (remTotal === remGood) remGood -= left;
    return sample > Math.floor(total / 2) ? remGood : good - remGood;
  }

  /** Stadlober's ratio-of-uniforms HRUA, as numpy implements it (distributions/random_hypergeometric.c). */
  #hrua(good: number, bad: number, sample: number): number {
    const D1 = 1.7155277699214135, D2 = 0.8989161620588988;
    const popsize = good + bad;
    const computed = Math.min(sample, popsize - sample);
    const minGB = Math.min(good, bad), maxGB = Math.max(good, bad);
    const p = minGB / popsize, q = maxGB / popsize;
    const a = computed * p + 0.5;
    const c = Math.sqrt(((popsize - computed) * computed * p * q) / (popsize - 1) + 0.5);
    const h = D1 * c + D2;
    const mode = Math.floor(((computed + 1) * (minGB + 1)) / (popsize + 2));
    const g = logFactorial(mode) + logFactorial(minGB - mode) + logFactorial(computed - mode) + logFactorial(maxGB - computed + mode);
    const b = Math.min(Math.min(computed, minGB) + 1, Math.floor(a + 16 * c));
    let K: number;
    for (;;) {
      const U = this.#randOpen(), V = this.#randOpen();
      const X = a + (h * (V - 0.5)) / U;
      if (X < 0 || X >= b) continue;
      K = Math.floor(X);
      const T = g - (logFactorial(K) + logFactorial(minGB - K) + logFactorial(computed - K) + logFactorial(maxGB - computed + K));
      if (U * (4 - U) - 3 <= T) break;
      if (U * (U - T) >= 1) continue;
      if (2 * Math.log(U) <= T) break;
    }
    if (good > bad) K = computed - K;
    if (computed < sample) K = good - K;
    return K;
  }

  /** The sample (a copy, in no particular order). */
  values(): Float64Array { return this.#values.slice(0, this.#size); }

  /**
   * A new reservoir holding a uniform sample of the union of both inputs: each slot is
   * drawn from this or `other` with probability proportional to the values each has
   * seen (sequential hypergeometric draw). Capacity is the smaller of the two.
   * @param other - another reservoir
   * @returns the merged reservoir (inputs unchanged)
   */
  merge(other: Reservoir): Reservoir {
    const cap = Math.min(this.capacity, other.capacity);
    const out = new Reservoir(cap, (this.#state ^ Math.imul(other.#state, 0x9e3779b1)) >>> 0);
    const total = this.#seen + other.#seen;
    if (total <= cap) {
      out.#ensure(this.#size + other.#size);
      out.#values.set(this.#values.subarray(0, this.#size), 0);
      out.#values.set(other.#values.subarray(0, other.#size), this.#size);
      out.#size = this.#size + other.#size;
      out.#seen = total;
      return out;
    }
    const a = this.values(), b = other.values();
    let na = this.#seen, nb = other.#seen, ia = 0, ib = 0;
    // shuffle copies so that any prefix of each is a uniform subset
    shuffle(a, () => out.#rand());
    shuffle(b, () => out.#rand());
    const k = Math.min(cap, a.length + b.length);
    out.#ensure(k);
    for (let t = 0; t < k; t++) {
      const takeA = ia < a.length && (ib >= b.length || out.#rand() * (na + nb) < na);
      if (takeA) { out.#values[t] = a[ia++]; na--; } else { out.#values[t] = b[ib++]; nb--; }
    }
    out.#size = k;
    out.#seen = total;
    return out;
  }

  /** A copy with the same state. */
  clone(): Reservoir { return Reservoir.fromJSON(this.toJSON()); }

  /** JSON form (values with NaN/±Infinity encoded as `{"$float": …}`). */
  toJSON(): ReservoirJSON {
    return { capacity: this.capacity, seen: this.#seen, state: this.#state, values: encodeArray(this.values()) };
  }

  /**
   * Restores a reservoir written by {@link Reservoir.toJSON}.
   * @param doc - the JSON form
   * @param field - path used in error messages
   * @returns the reservoir
   * @throws WasmlearnError `INVALID_MODEL` naming the field at fault
   */
  static fromJSON(doc: unknown, field = 'sample'): Reservoir {
    const o = expectObject(doc, field);
    const capacity = expectInt(o.capacity, `${field}.capacity`, 1, 2 ** 26);
    const seen = expectInt(o.seen, `${field}.seen`, 0, Number.MAX_SAFE_INTEGER);
    const state = expectInt(o.state, `${field}.state`, 0, 2 ** 32 - 1);
    const values = decodeF64(o.values, `${field}.values`, undefined, true);
    if (values.length !== Math.min(seen, capacity)) throw badField(`${field}.values`, `expected ${Math.min(seen, capacity)} values (min(seen, capacity)), got ${values.length}`);
    const r = new Reservoir(capacity, state);
    r.#ensure(values.length);
    r.#values.set(values);
    r.#size = values.length;
    r.#seen = seen;
    return r;
  }
}

function shuffle(a: Float64Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
}
