/**
 * Mergeable data profiles: per-column counts, moments, histograms on reference-derived
 * edges, category frequencies and a bounded sample. The unit that drift reports
 * compare and that the in-service monitor accumulates.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, type Category, type FrameInput } from '../core/frame.js';
import {
  badField, decodeCategory, expectArray, decodeF64, decodeNumber, encodeArray, encodeCategory, encodeNumber, expectInt, expectObject, expectOneOf,
  type JsonCategory, type JsonNumber,
} from '../core/json.js';
import { profileKernels } from '../kernels/index.js';
import type { NumericBatchInput, NumericBatchStats } from '../kernels/profile.js';
import { compareLabels } from '../metrics/labels.js';
import { driftFns } from './drift-api.js';
import { Reservoir, type ReservoirJSON } from './reservoir.js';

/** How a column is profiled. */
export type ProfileColumnType = 'numeric' | 'categorical';

/** Distinct numeric values are tracked exactly up to this many (Evidently's "> 20 unique values" binning rule). */
export const DISTINCT_CAP = 20;

/** Profile of a numeric column. All counts are exact; `sample` is bounded. */
export interface NumericColumnProfile {
  readonly name: string;
  readonly type: 'numeric';
  /** Non-missing values. */
  readonly count: number;
  /** Missing values (NaN / null / undefined, and rows where the column was absent). */
  readonly missing: number;
  /** Rows in which the column was absent from the input (included in `missing`). */
  readonly absent: number;
  /** Mean of the non-missing values (NaN when count = 0). */
  readonly mean: number;
  /** Sum of squared deviations from the mean (M2; population variance = m2 / count). */
  readonly m2: number;
  readonly min: number;
  readonly max: number;
  /** Histogram edges learned from the reference (ascending, numpy semantics: last bin closed). */
  readonly edges: Float64Array;
  /** Counts per bin (edges.length - 1). */
  readonly counts: Float64Array;
  /** Values below the first edge / above the last edge. */
  readonly below: number;
  readonly above: number;
  /** Exact value counts while there are at most {@link DISTINCT_CAP} distinct values, else null. */
  readonly distinct: ReadonlyMap<number, number> | null;
  /** Bounded uniform sample of the non-missing values (exact while count <= capacity). */
  readonly sample: Reservoir;
}

/** Profile of a categorical column. */
export interface CategoricalColumnProfile {
  readonly name: string;
  readonly type: 'categorical';
  readonly count: number;
  readonly missing: number;
  readonly absent: number;
  /** Categories learned from the reference (most frequent first, at most `maxCategories`). */
  readonly categories: readonly Category[];
  /** Count per category. */
  readonly counts: Float64Array;
  /** Values not among `categories` (unseen in the reference, or beyond `maxCategories`). */
  readonly other: number;
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type NumCol = Mutable<Omit<NumericColumnProfile, 'distinct'>> & { distinct: Map<number, number> | null };
type CatCol = Mutable<CategoricalColumnProfile> & { index: Map<Category, number> };
type Col = NumCol | CatCol;

/** Options of {@link Profile.fromFrame}. */
export interface ProfileOptions {
  /**
   * Profile against this reference: same columns, types, histogram edges and categories
   * (so the result merges with, and compares to, profiles built against it). Other
   * schema options are then taken from the reference.
   */
  reference?: Profile;
  /** Columns to profile (default: all columns of the input). */
  columns?: readonly string[];
  /** Force a column's type (default: numbers → numeric, strings → categorical). */
  overrides?: Readonly<Record<string, ProfileColumnType>>;
  /** Histogram bins per numeric column (default 10). */
  bins?: number;
  /** `'quantile'` (default): edges at reference quantiles (numpy linear method), duplicates removed; `'uniform'`: equal-width from min to max. */
  binning?: 'quantile' | 'uniform';
  /** Capacity of each numeric column's sample (default 5000). */
  sampleSize?: number;
  /** Seed of the samples (default 0). */
  seed?: number;
  /** Most categories kept per categorical column; the rest count as `other` (default 100). */
  maxCategories?: number;
}

/** Schema options a profile carries. */
export interface ProfileSettings {
  bins: number;
  binning: 'quantile' | 'uniform';
  sampleSize: number;
  seed: number;
  maxCategories: number;
}

/** Summary statistics of one column (population std, ddof = 0). */
export interface ColumnSummary {
  name: string;
  type: ProfileColumnType;
  count: number;
  missing: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
}

const FN = 'Profile';
const FORMAT = 'wasmlearn.profile';
const FORMAT_VERSION = 1;

function schemaError(column: string, problem: string): WasmlearnError {
  return new WasmlearnError('SCHEMA_MISMATCH',
    `Profiles have different schemas at column ${show(column)}: ${problem}. Profiles merge and compare only when built against the same reference profile.`,
    { column, estimator: FN });
}

function checkSettings(o: ProfileOptions): ProfileSettings {
  const s: ProfileSettings = {
    bins: o.bins ?? 10, binning: o.binning ?? 'quantile', sampleSize: o.sampleSize ?? 5000, seed: o.seed ?? 0,
    maxCategories: o.maxCategories ?? 100,
  };
  if (!Number.isInteger(s.bins) || s.bins < 1 || s.bins > 10000) throw errors.invalidParam(FN, 'bins', 'an integer in [1, 10000]', s.bins);
  if (s.binning !== 'quantile' && s.binning !== 'uniform') throw errors.invalidParam(FN, 'binning', "one of 'quantile', 'uniform'", s.binning);
  if (!Number.isInteger(s.sampleSize) || s.sampleSize < 1 || s.sampleSize > 2 ** 26) throw errors.invalidParam(FN, 'sampleSize', 'an integer in [1, 67108864]', s.sampleSize);
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 2 ** 32 - 1) throw errors.invalidParam(FN, 'seed', 'an integer in [0, 4294967295]', s.seed);
  if (!Number.isInteger(s.maxCategories) || s.maxCategories < 1) throw errors.invalidParam(FN, 'maxCategories', 'an integer >= 1', s.maxCategories);
  return s;
}

function emptyNumeric(name: string, edges: Float64Array, capacity: number, seed: number): NumCol {
  return {
    name, type: 'numeric', count: 0, missing: 0, absent: 0, mean: NaN, m2: 0, min: Infinity, max: -Infinity,
    edges, counts: new Float64Array(edges.length - 1), below: 0, above: 0, distinct: new Map(), sample: new Reservoir(capacity, seed),
  };
}

function emptyCategorical(name: string, categories: readonly Category[]): CatCol {
  const index = new Map<Category, number>();
  categories.forEach((c, i) => index.set(c, i));
  return { name, type: 'categorical', count: 0, missing: 0, absent: 0, categories, counts: new Float64Array(categories.length), other: 0, index };
}

/** Chan et al.'s pairwise update of (n, mean, M2). */
function combineMoments(na: number, ma: number, m2a: number, nb: number, mb: number, m2b: number): [number, number, number] {
  if (nb === 0) return [na, ma, m2a];
  if (na === 0) return [nb, mb, m2b];
  const n = na + nb, delta = mb - ma;
  return [n, ma + (delta * nb) / n, m2a + m2b + (delta * delta * na * nb) / n];
}

/** Histogram edges learnt from the non-NaN values of x (`present` of them). */
function learnEdges(name: string, x: Float64Array, present: number, s: ProfileSettings): Float64Array {
  if (s.binning === 'uniform') {
    let vals = x;
    if (present < x.length) {
      vals = new Float64Array(present);
      for (let i = 0, k = 0; i < x.length; i++) if (x[i] === x[i]) vals[k++] = x[i];
    }
    return driftFns.histogramBinEdges(vals, s.bins);
  }
  const q = driftFns.quantileEdges(x, s.bins); // quantiles of the non-NaN values
  const uniq: number[] = [];
  for (const e of q) if (uniq.length === 0 || e > uniq[uniq.length - 1]) uniq.push(e);
  if (uniq.length < 2) return Float64Array.of(uniq[0] - 0.5, uniq[0] + 0.5);
  void name;
  return Float64Array.from(uniq);
}

/**
 * A mergeable summary of a table, per column: counts, missing values, mean / std / min /
 * max (from mergeable moments: n, mean and M2, combined with Chan's parallel formula),
 * a histogram on edges learned from the reference (numeric), category frequencies with
 * an `other` bucket (categorical), exact value counts for numeric columns with at most
 * 20 distinct values, and a bounded uniform sample (numeric) for KS and Wasserstein.
 *
 * Options: see {@link ProfileOptions} (bins 10, quantile binning, sample 5000, seed 0,
 * 100 categories).
 *
 * Notes: counts, histograms, category frequencies and value counts are exact and add
 * up exactly under {@link Profile.merge}; moments agree with a one-pass computation to
 * floating-point rounding (~1e-15 relative). The sample is exact while a column has at
 * most `sampleSize` values; beyond that it is a uniform sample of size `sampleSize`, so
 * a KS statistic computed on it differs from the full-data one by at most
 * ε = sqrt(ln(2/δ) / (2·sampleSize)) per side with probability 1 - δ (DKW inequality:
 * 0.019 at δ = 0.05 for the default 5000), and its p-value is that of a test on the
 * sample sizes; the Wasserstein distance carries a sampling error of order
 * std / sqrt(sampleSize).
 *
 * @example
 * const ref = Profile.fromFrame({ age: [50, 61, 45], cp: ['a', 'b', 'a'] });
 * const cur = Profile.fromFrame({ age: [70, 72], cp: ['c', 'a'] }, { reference: ref });
 * cur.column('cp'); // => { …, categories: ['a', 'b'], counts: [1, 0], other: 1 }
 */
export class Profile {
  readonly settings: Readonly<ProfileSettings>;
  #nRows = 0;
  #cols: Col[];
  #byName: Map<string, number>;

  private constructor(settings: ProfileSettings, cols: Col[], nRows = 0) {
    this.settings = Object.freeze({ ...settings });
    this.#cols = cols;
    this.#nRows = nRows;
    this.#byName = new Map(cols.map((c, i) => [c.name, i]));
  }

  /** Rows profiled. */
  get nRows(): number { return this.#nRows; }
  /** Column names, in order. */
  get names(): string[] { return this.#cols.map((c) => c.name); }
  /** Column profiles, in order (read-only views; do not mutate). */
  get columns(): readonly ColumnProfile[] { return this.#cols as readonly ColumnProfile[]; }
  /** True when the profile has a column of that name. */
  has(name: string): boolean { return this.#byName.has(name); }

  /**
   * The profile of one column.
   * @param name - column name
   * @returns its profile
   * @throws WasmlearnError `MISSING_COLUMN` naming the columns the profile has
   */
  column(name: string): ColumnProfile {
    const i = this.#byName.get(name);
    if (i === undefined) throw errors.missingColumn(name, this.names, FN);
    return this.#cols[i] as ColumnProfile;
  }

  /**
   * Profiles a table. Without `reference`, learns the schema from it: column types,
   * histogram edges (numeric) and categories (categorical). With `reference`, uses the
   * reference's schema; columns of the reference absent from the input are counted as
   * missing (and `absent`), extra input columns are ignored.
   * Cost: O(rows x columns) plus, without a reference, one quantile pass per numeric column.
   * @param input - rows, columns, `{ columns, data }` or a Frame
   * @param options - {@link ProfileOptions}
   * @returns the profile
   * @throws WasmlearnError `EMPTY_INPUT` for 0 rows or 0 columns; `MISSING_VALUE` for a
   *   numeric column with no non-missing value (no edges can be learned); `NON_FINITE` for
   *   ±Infinity; `COLUMN_TYPE` for strings in a numeric column; `MISSING_COLUMN` for an unknown
   *   column in `columns` / `overrides`; `INVALID_PARAM` for bad options
   * @example
   * Profile.fromFrame([{ x: 1 }, { x: 2 }]).column('x').count; // => 2
   */
  static fromFrame(input: FrameInput, options: ProfileOptions = {}): Profile {
    const frame = Frame.from(input, 'X');
    if (frame.nRows === 0) throw errors.emptyInput(FN);
    if (options.reference !== undefined) {
      if (!(options.reference instanceof Profile)) {
        throw new WasmlearnError('INVALID_PARAM', `The 'reference' option of Profile.fromFrame must be a Profile; got ${show(options.reference)}.`, { field: 'reference' });
      }
      return options.reference.emptyLike().update(frame);
    }
    const s = checkSettings(options);
    const names = options.columns ? [...options.columns] : [...frame.names];
    if (names.length === 0) throw new WasmlearnError('EMPTY_INPUT', 'Found input with 0 columns, while a minimum of 1 is required by Profile.', { estimator: FN });
    for (const n of names) frame.column(n, FN);
    const overrides = options.overrides ?? {};
    for (const [n, t] of Object.entries(overrides)) {
      if (!frame.has(n)) throw errors.missingColumn(n, frame.names, FN);
      if (t !== 'numeric' && t !== 'categorical') throw errors.invalidParam(FN, `overrides.${n}`, "one of 'numeric', 'categorical'", t);
    }
    const cols = names.map((name, j): Col => {
      const c = frame.column(name, FN);
      const type = overrides[name] ?? (c.kind === 'numeric' ? 'numeric' : 'categorical');
      if (type === 'numeric') {
        const x = frame.numeric(name, FN);
        // one pass: non-missing values counted, ±Infinity refused (v - v is NaN for NaN and ±Infinity only)
        let present = 0;
        for (let i = 0; i < x.length; i++) {
          const v = x[i];
          if (v - v === 0) present++;
          else if (v === v) throw errors.nonFinite(name, i, v, FN);
        }
        if (present === 0) {
          throw new WasmlearnError('MISSING_VALUE',
            `Column ${show(name)} has no non-missing values (all ${x.length} rows are missing), so Profile cannot learn its histogram edges. Drop the column, or override it to 'categorical'.`,
            { column: name, estimator: FN });
        }
        return emptyNumeric(name, learnEdges(name, x, present, s), s.sampleSize, (s.seed + j) >>> 0);
      }
      // categorical: most frequent first, ties in label order
      const freq = new Map<Category, number>();
      for (let i = 0; i < frame.nRows; i++) {
        const v = frame.value(i, name);
        if (v !== null) freq.set(v, (freq.get(v) ?? 0) + 1);
      }
      const cats = [...freq.entries()].sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0])).slice(0, s.maxCategories).map((e) => e[0]);
      return emptyCategorical(name, cats);
    });
    return new Profile(s, cols).update(frame);
  }

  /** A profile with this one's schema (columns, types, edges, categories) and no rows. */
  emptyLike(): Profile {
    const cols = this.#cols.map((c, j): Col => c.type === 'numeric'
      ? emptyNumeric(c.name, c.edges, c.sample.capacity, (this.settings.seed + j) >>> 0)
      : emptyCategorical(c.name, c.categories));
    return new Profile(this.settings, cols);
  }

  /**
   * Adds rows to this profile in place (the monitor's hot path: histogram counts,
   * moments, category counts, bounded sample). O(rows x columns), no per-row allocation.
   * @param input - a table with (some of) the profile's columns
   * @returns this
   * @throws WasmlearnError `COLUMN_TYPE` for strings in a numeric column, `NON_FINITE` for ±Infinity
   * @example
   * const p = Profile.fromFrame({ x: [1, 2] }); p.update({ x: [3] }).nRows; // => 3
   */
  update(input: FrameInput): this {
    const frame = Frame.from(input, 'X');
    const n = frame.nRows;
    if (n === 0) return this;
    // validate first, so a failing batch leaves the profile unchanged: the kernel returns
    // each numeric column's batch statistics (one pass over one copy of the column), and
    // they are added to the profile only once every column has passed
    const owners: NumCol[] = [];
    const jobs: NumericBatchInput[] = [];
    for (const c of this.#cols) {
      if (c.type !== 'numeric' || !frame.has(c.name)) continue;
      let x: Float64Array;
      try { x = frame.numeric(c.name, FN); } catch (e) {
        for (let j = 0; j < jobs.length; j++) throwIfInfinite(owners[j].name, jobs[j].x);
        throw e;
      }
      owners.push(c);
      jobs.push({ x, edges: c.edges, distinctCap: c.distinct === null ? 0 : DISTINCT_CAP });
    }
    const stats = profileKernels().numericBatch(jobs);
    for (let j = 0; j < jobs.length; j++) if (stats[j].infCount > 0) throwIfInfinite(owners[j].name, jobs[j].x);
    for (let j = 0; j < jobs.length; j++) addNumeric(owners[j], jobs[j].x, stats[j]);
    for (const c of this.#cols) {
      if (!frame.has(c.name)) { c.missing += n; c.absent += n; } else if (c.type === 'categorical') addCategorical(c, frame, c.name);
    }
    this.#nRows += n;
    return this;
  }

  /**
   * Adds `n` rows given column by column, in the profile's column order (the monitor's
   * bulk path: rows it has already gathered and checked). Numeric columns: `n` values,
   * NaN = missing, no ±Infinity; categorical columns: `n` codes, the index of the value in
   * the column's `categories`, -1 missing, -2 any other value; null: the column was absent.
   * @internal
   * @param n - rows
   * @param data - one entry per profile column
   * @returns this
   * @throws WasmlearnError `INTERNAL` when `data` does not match the schema; `NON_FINITE` for ±Infinity
   */
  addColumns(n: number, data: readonly (Float64Array | Int32Array | null)[]): this {
    if (n === 0) return this;
    const cols = this.#cols;
    if (data.length !== cols.length) throw new WasmlearnError('INTERNAL', `Profile.addColumns: expected ${cols.length} columns, got ${data.length}.`);
    const owners: NumCol[] = [];
    const jobs: NumericBatchInput[] = [];
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j], d = data[j];
      if (d === null) continue;
      if (d.length < n || (c.type === 'numeric') !== (d instanceof Float64Array)) {
        throw new WasmlearnError('INTERNAL', `Profile.addColumns: column ${show(c.name)} expects ${n} ${c.type === 'numeric' ? 'values' : 'codes'}.`);
      }
      if (c.type === 'numeric') {
        owners.push(c);
        jobs.push({ x: (d as Float64Array).subarray(0, n), edges: c.edges, distinctCap: c.distinct === null ? 0 : DISTINCT_CAP });
      }
    }
    const stats = jobs.length ? profileKernels().numericBatch(jobs) : [];
    for (let j = 0; j < jobs.length; j++) if (stats[j].infCount > 0) throwIfInfinite(owners[j].name, jobs[j].x);
    for (let j = 0; j < jobs.length; j++) addNumeric(owners[j], jobs[j].x, stats[j]);
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j], d = data[j];
      if (d === null) { c.missing += n; c.absent += n; continue; }
      if (c.type !== 'categorical') continue;
      const codes = d as Int32Array, counts = c.counts;
      let missing = 0, other = 0;
      for (let i = 0; i < n; i++) {
        const k = codes[i];
        if (k >= 0) counts[k]++;
        else if (k === -1) missing++;
        else other++;
      }
      c.missing += missing;
      c.other += other;
      c.count += n - missing;
    }
    this.#nRows += n;
    return this;
  }

  /**
   * Combines two profiles of the same schema into a new one, as if both inputs had
   * been profiled together: counts and histograms add exactly, moments combine by
   * Chan's formula, samples merge as reservoirs do.
   * @param other - a profile built against the same reference (or this profile's schema)
   * @returns the merged profile (inputs unchanged)
   * @throws WasmlearnError `SCHEMA_MISMATCH` naming the first column whose name, type, edges or categories differ
   * @example
   * a.merge(b).nRows; // => a.nRows + b.nRows
   */
  merge(other: Profile): Profile {
    this.assertSameSchema(other);
    const cols = this.#cols.map((a, j): Col => {
      const b = other.#cols[j];
      if (a.type === 'numeric' && b.type === 'numeric') {
        const [count, mean, m2] = combineMoments(a.count, a.mean, a.m2, b.count, b.mean, b.m2);
        let distinct: Map<number, number> | null = null;
        if (a.distinct && b.distinct) {
          distinct = new Map(a.distinct);
          for (const [v, k] of b.distinct) distinct.set(v, (distinct.get(v) ?? 0) + k);
          if (distinct.size > DISTINCT_CAP) distinct = null;
        }
        const counts = new Float64Array(a.counts.length);
        for (let i = 0; i < counts.length; i++) counts[i] = a.counts[i] + b.counts[i];
        return {
          name: a.name, type: 'numeric', count, missing: a.missing + b.missing, absent: a.absent + b.absent,
          mean: count === 0 ? NaN : mean, m2, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), edges: a.edges, counts,
          below: a.below + b.below, above: a.above + b.above, distinct, sample: a.sample.merge(b.sample),
        };
      }
      const ca = a as CatCol, cb = b as CatCol;
      const counts = new Float64Array(ca.counts.length);
      for (let i = 0; i < counts.length; i++) counts[i] = ca.counts[i] + cb.counts[i];
      return { ...ca, count: ca.count + cb.count, missing: ca.missing + cb.missing, absent: ca.absent + cb.absent, counts, other: ca.other + cb.other };
    });
    return new Profile(this.settings, cols, this.#nRows + other.#nRows);
  }

  /**
   * Throws unless `other` has the same columns (names and order), types, histogram edges and categories.
   * @param other - another profile
   * @throws WasmlearnError `SCHEMA_MISMATCH` naming the column at fault
   */
  assertSameSchema(other: Profile): void {
    if (!(other instanceof Profile)) throw new WasmlearnError('INVALID_PARAM', `Expected a Profile, got ${show(other)}.`, { estimator: FN });
    const a = this.#cols, b = other.#cols;
    for (let j = 0; j < Math.max(a.length, b.length); j++) {
      if (j >= b.length) throw schemaError(a[j].name, 'the other profile has no such column');
      if (j >= a.length) throw schemaError(b[j].name, 'this profile has no such column');
      const x = a[j], y = b[j];
      if (x.name !== y.name) throw schemaError(x.name, `the other profile has column ${show(y.name)} at position ${j}`);
      if (x.type !== y.type) throw schemaError(x.name, `it is ${x.type} in one profile and ${y.type} in the other`);
      if (x.type === 'numeric' && y.type === 'numeric') {
        if (x.edges.length !== y.edges.length || x.edges.some((e, i) => e !== y.edges[i])) {
          throw schemaError(x.name, `histogram edges ${show(Array.from(x.edges))} differ from ${show(Array.from(y.edges))}`);
        }
      } else {
        const cx = (x as CatCol).categories, cy = (y as CatCol).categories;
        if (cx.length !== cy.length || cx.some((c, i) => c !== cy[i])) throw schemaError(x.name, `categories ${show([...cx])} differ from ${show([...cy])}`);
      }
    }
  }

  /**
   * Summary statistics per column (population std, ddof = 0; null where undefined).
   * @returns one {@link ColumnSummary} per column
   * @example
   * Profile.fromFrame({ x: [1, 3] }).summary()[0].std; // => 1
   */
  summary(): ColumnSummary[] {
    return this.#cols.map((c) => summarize(c as ColumnProfile));
  }

  /** A deep copy. */
  clone(): Profile { return Profile.fromJSON(this.toJSON()); }

  /**
   * JSON document of the profile (format `wasmlearn.profile`, version 1); non-finite
   * numbers are written as `{"$float": …}`. Embeddable as the `profile` field of a model document.
   * @returns a plain JSON-serialisable object
   */
  toJSON(): ProfileJSON {
    return {
      format: FORMAT, formatVersion: FORMAT_VERSION, nRows: this.#nRows, settings: { ...this.settings },
      columns: this.#cols.map((c): ColumnProfileJSON => c.type === 'numeric'
        ? {
          name: c.name, type: 'numeric', count: c.count, missing: c.missing, absent: c.absent,
          mean: encodeNumber(c.mean), m2: encodeNumber(c.m2), min: encodeNumber(c.min), max: encodeNumber(c.max),
          edges: encodeArray(c.edges), counts: Array.from(c.counts), below: c.below, above: c.above,
          distinct: c.distinct ? [...c.distinct.entries()].sort((p, q) => p[0] - q[0]).map(([v, k]) => [encodeNumber(v), k]) : null,
          sample: c.sample.toJSON(),
        }
        : {
          name: c.name, type: 'categorical', count: c.count, missing: c.missing, absent: c.absent,
          categories: c.categories.map(encodeCategory), counts: Array.from(c.counts), other: c.other,
        }),
    };
  }

  /**
   * Reads a profile document (object or JSON string) written by {@link Profile.toJSON}.
   * @param doc - the document
   * @returns the profile
   * @throws WasmlearnError `INVALID_MODEL` naming the field at fault (wrong format, unknown version, bad numbers, inconsistent lengths)
   */
  static fromJSON(doc: unknown): Profile {
    const o = expectObject(typeof doc === 'string' ? JSON.parse(doc) : doc, 'profile');
    if (o.format !== FORMAT) throw badField('profile.format', `expected ${JSON.stringify(FORMAT)}, got ${show(o.format)}`);
    if (o.formatVersion !== FORMAT_VERSION) throw badField('profile.formatVersion', `this reader knows version ${FORMAT_VERSION}, the document has ${show(o.formatVersion)}`);
    const nRows = expectInt(o.nRows, 'profile.nRows', 0, Number.MAX_SAFE_INTEGER);
    const so = expectObject(o.settings, 'profile.settings');
    let settings: ProfileSettings;
    try { settings = checkSettings(so as ProfileOptions); } catch (e) { throw badField('profile.settings', (e as Error).message); }
    if (!Array.isArray(o.columns)) throw badField('profile.columns', `expected an array, got ${show(o.columns)}`);
    expectArray(o.columns, 'profile.columns', undefined, 100_000);
    const int = (v: unknown, f: string) => expectInt(v, f, 0, Number.MAX_SAFE_INTEGER);
    const cols = o.columns.map((cv, j): Col => {
      const f = `profile.columns[${j}]`;
      const c = expectObject(cv, f);
      if (typeof c.name !== 'string') throw badField(`${f}.name`, `expected a string, got ${show(c.name)}`);
      const type = expectOneOf(c.type, `${f}.type`, ['numeric', 'categorical'] as const);
      const count = int(c.count, `${f}.count`), missing = int(c.missing, `${f}.missing`), absent = int(c.absent, `${f}.absent`);
      if (count + missing !== nRows) throw badField(`${f}.count`, `count + missing must equal nRows (${nRows}), got ${count} + ${missing}`);
      if (type === 'numeric') {
        const edges = decodeF64(c.edges, `${f}.edges`);
        if (edges.length < 2 || edges.some((e, i) => i > 0 && !(e > edges[i - 1]))) throw badField(`${f}.edges`, 'expected at least 2 strictly increasing edges');
        const counts = decodeF64(c.counts, `${f}.counts`, edges.length - 1);
        const below = int(c.below, `${f}.below`), above = int(c.above, `${f}.above`);
        if (counts.reduce((s, v) => s + v, 0) + below + above !== count) throw badField(`${f}.counts`, `bins + below + above must add up to count (${count})`);
        let distinct: Map<number, number> | null = null;
        if (c.distinct !== null) {
          if (!Array.isArray(c.distinct)) throw badField(`${f}.distinct`, `expected an array of [value, count] or null, got ${show(c.distinct)}`);
          expectArray(c.distinct, `${f}.distinct`);
          distinct = new Map(c.distinct.map((e, i): [number, number] => {
            if (!Array.isArray(e) || e.length !== 2) throw badField(`${f}.distinct[${i}]`, 'expected [value, count]');
            return [decodeNumber(e[0], `${f}.distinct[${i}][0]`), int(e[1], `${f}.distinct[${i}][1]`)];
          }));
        }
        const sample = Reservoir.fromJSON(c.sample, `${f}.sample`);
        if (sample.seen !== count) throw badField(`${f}.sample.seen`, `expected ${count} (the column count), got ${sample.seen}`);
        return {
          name: c.name, type, count, missing, absent, mean: decodeNumber(c.mean, `${f}.mean`), m2: decodeNumber(c.m2, `${f}.m2`),
          min: decodeNumber(c.min, `${f}.min`), max: decodeNumber(c.max, `${f}.max`), edges, counts, below, above, distinct, sample,
        };
      }
      if (!Array.isArray(c.categories)) throw badField(`${f}.categories`, `expected an array, got ${show(c.categories)}`);
      expectArray(c.categories, `${f}.categories`);
      const cats = c.categories.map((v, i) => decodeCategory(v, `${f}.categories[${i}]`));
      const col = emptyCategorical(c.name, cats);
      col.counts = decodeF64(c.counts, `${f}.counts`, cats.length);
      col.other = int(c.other, `${f}.other`);
      col.count = count; col.missing = missing; col.absent = absent;
      if (col.counts.reduce((s, v) => s + v, 0) + col.other !== count) throw badField(`${f}.counts`, `counts + other must add up to count (${count})`);
      return col;
    });
    return new Profile(settings, cols, nRows);
  }
}

/** JSON form of a profile column. */
export type ColumnProfileJSON =
  | {
    name: string; type: 'numeric'; count: number; missing: number; absent: number;
    mean: JsonNumber; m2: JsonNumber; min: JsonNumber; max: JsonNumber;
    edges: JsonNumber[]; counts: number[]; below: number; above: number;
    distinct: [JsonNumber, number][] | null; sample: ReservoirJSON;
  }
  | { name: string; type: 'categorical'; count: number; missing: number; absent: number; categories: JsonCategory[]; counts: number[]; other: number };

/** JSON document of a {@link Profile}. */
export interface ProfileJSON {
  format: 'wasmlearn.profile';
  formatVersion: 1;
  nRows: number;
  settings: ProfileSettings;
  columns: ColumnProfileJSON[];
}

/** Summary of one column profile (population std, ddof = 0). @internal */
export function summarize(c: ColumnProfile): ColumnSummary {
  const has = c.type === 'numeric' && c.count > 0;
  return {
    name: c.name, type: c.type, count: c.count, missing: c.missing,
    mean: has ? (c as NumericColumnProfile).mean : null,
    std: has ? Math.sqrt((c as NumericColumnProfile).m2 / c.count) : null,
    min: has ? (c as NumericColumnProfile).min : null,
    max: has ? (c as NumericColumnProfile).max : null,
  };
}

function throwIfInfinite(name: string, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) { const v = x[i]; if (v === Infinity || v === -Infinity) throw errors.nonFinite(name, i, v, FN); }
}

/** Adds one numeric column's batch statistics (from the profile kernel) to its profile. */
function addNumeric(c: NumCol, x: Float64Array, s: NumericBatchStats): void {
  // min / max as a sequential scan would leave them: the first seen among equal extremes
  if (s.min < c.min) c.min = s.min;
  if (s.max > c.max) c.max = s.max;
  for (let i = 0; i < c.counts.length; i++) c.counts[i] += s.counts[i];
  c.below += s.below;
  c.above += s.above;
  c.missing += s.nanCount;
  const [count, mean, m2] = combineMoments(c.count, c.mean, c.m2, s.count, s.mean, s.variance * s.count);
  c.count = count; c.mean = count === 0 ? NaN : mean; c.m2 = m2;
  let distinct = c.distinct;
  if (distinct !== null) {
    const d = s.distinct;
    if (d === null) distinct = null;
    else {
      for (let j = 0; j < d.values.length && distinct !== null; j++) {
        const v = d.values[j];
        distinct.set(v, (distinct.get(v) ?? 0) + d.counts[j]);
        if (distinct.size > DISTINCT_CAP) distinct = null;
      }
    }
  }
  c.distinct = distinct;
  c.sample.addAll(x, s.count);
}

function addCategorical(c: CatCol, frame: Frame, name: string): void {
  const col = frame.column(name);
  const n = frame.nRows;
  let missing = 0, other = 0;
  if (col.kind === 'categorical') {
    const map = new Int32Array(col.dictionary.length);
    for (let k = 0; k < map.length; k++) map[k] = c.index.get(col.dictionary[k]) ?? -1;
    const codes = col.codes;
    for (let i = 0; i < n; i++) {
      const k = codes[i];
      if (k < 0) { missing++; continue; }
      const j = map[k];
      if (j < 0) other++; else c.counts[j]++;
    }
  } else {
    const x = col.values;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v !== v) { missing++; continue; }
      const j = c.index.get(v);
      if (j === undefined) other++; else c.counts[j]++;
    }
  }
  c.missing += missing;
  c.other += other;
  c.count += n - missing;
}
