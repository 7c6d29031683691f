/**
 * A seeded, mergeable, fixed-capacity uniform sample (reservoir sampling), kept per
 * numeric column of a profile so that KS and Wasserstein can run on bounded memory.
 */
import { WasmlearnError, show } from '../core/errors.js';
import { badField, decodeF64, encodeArray, expectInt, expectObject, type JsonNumber } from '../core/json.js';

/** splitmix32 step: returns [next state, uniform in [0, 1)]. Small, fast and identical everywhere. */
function step(s: number): [number, number] {
  s = (s + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [s, z / 4294967296];
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
 * added (Vitter's algorithm R). While `seen <= capacity` it holds every value, so
 * statistics computed on it are exact; beyond that each value seen is kept with
 * probability capacity / seen. Two reservoirs merge into a uniform sample of the
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
    this.#values = new Float64Array(capacity);
    this.#state = seed >>> 0;
  }

  /** Values offered so far. */
  get seen(): number { return this.#seen; }
  /** Values held (min(seen, capacity)). */
  get size(): number { return this.#size; }
  /** True while the sample holds every value offered (statistics on it are exact). */
  get exact(): boolean { return this.#seen <= this.capacity; }

  #rand(): number {
    const [s, u] = step(this.#state);
    this.#state = s;
    return u;
  }

  /**
   * Offers every non-missing value of `x` (NaN is skipped). O(len) time, no allocation.
   * @param x - values
   */
  addAll(x: ArrayLike<number>): void {
    const cap = this.capacity, vals = this.#values;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) continue; // NaN: missing
      this.#seen++;
      if (this.#size < cap) { vals[this.#size++] = v; continue; }
      const j = Math.floor(this.#rand() * this.#seen);
      if (j < cap) vals[j] = v;
    }
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
