/**
 * In-service drift monitoring: observe scored batches into rolling windows of
 * profiles, report against the training profile on demand, bounded memory.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, columnFromValues, numericValues, type Category, type Column, type ColumnValues, type FrameInput } from '../core/frame.js';
import { Profile } from './profile.js';
import { driftReport, type DriftReport, type DriftReportOptions } from './report.js';

/** Options of {@link DriftMonitor}. */
export interface DriftMonitorOptions {
  /** The training (reference) profile; windows are profiled against its schema. */
  reference: Profile;
  /** When a window closes: after `rows` rows and/or `ms` milliseconds, whichever comes first (default `{ rows: 1000 }`). */
  window?: { rows?: number; ms?: number };
  /** Completed windows kept (default 10; older ones are dropped). */
  maxWindows?: number;
  /** Names given to the probability columns of observed predictions (default `proba_0`, `proba_1`, …); they are profiled when the reference has them. */
  probaColumns?: readonly string[];
  /** Name given to observed predicted labels (default `'prediction'`); profiled when the reference has it. */
  labelColumn?: string;
  /** Options of the reports made by {@link DriftMonitor.report} and on window close. */
  report?: DriftReportOptions;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * Share of observed rows that are profiled: a number in (0, 1], or `'auto'` (default):
   * about 1000 rows per window, min(1, 1000 / window.rows), so windows of up to 1000 rows
   * (and windows closed by age only) profile every row. Below 1, a seeded uniform sample of
   * rows (geometric skips, so the cost follows the sampled rows, not the batch) feeds the
   * window profile, while row counts and window boundaries stay exact. Drift statistics
   * are then estimated from the sample (see docs/monitoring.md for the error this adds).
   */
  sampleRate?: number | 'auto';
  /** Seed of the row sampler (default 1). */
  seed?: number;
}

/** A closed window. */
export interface MonitorWindow {
  /** Sequence number (0 for the first window). */
  index: number;
  start: number;
  end: number;
  /** Rows observed in the window (exact). */
  rows: number;
  /** Rows profiled (equal to `rows` unless `sampleRate` < 1). */
  profiledRows: number;
  /** Report of this window against the reference, computed when first read (null when no row of the window was profiled). */
  report: DriftReport | null;
}

/** Last figures, for a metrics endpoint. */
export interface MonitorFigures {
  /** Rows observed since creation (exact). */
  rowsObserved: number;
  batchesObserved: number;
  /** Rows in the open window. */
  currentWindowRows: number;
  /** Windows closed since creation. */
  windowsClosed: number;
  /** The most recent report summary, or null before the first report. */
  last: null | {
    window: number | 'current';
    rows: number;
    datasetDrift: boolean;
    driftShare: number;
    driftedColumns: string[];
    /** Per column: method, statistic, p-value, drifted. */
    columns: Record<string, { method: string | null; statistic: number | null; pvalue: number | null; drifted: boolean }>;
    retrain: boolean | null;
  };
}

/** Predictions handed to {@link DriftMonitor.observe} with a batch. */
export interface ObservedPredictions {
  /** Probabilities, row-major n x classes. */
  proba?: { rows: number; cols: number; data: ArrayLike<number> };
  /** Predicted labels, one per row. */
  labels?: ArrayLike<unknown>;
}

/** Something that scores: what {@link DriftMonitor.wrap} accepts. */
export interface MonitoredModel {
  predictProba(X: FrameInput): { rows: number; cols: number; data: Float64Array };
  predict(X: FrameInput): ArrayLike<unknown>;
}

const FN = 'DriftMonitor';
/** Rows gathered before they are profiled in bulk (per column: 16 KiB of values or 8 KiB of codes). */
const STAGE_ROWS = 2048;
/** Every-row batches up to this many rows reuse their conversion buffers (at most 512 KiB per column). */
const DIRECT_REUSE_ROWS = 65_536;
/** Most sampled-row positions kept between batches (256 KiB). */
const POS_KEEP = 65_536;
/** Rows per window that `sampleRate: 'auto'` profiles. */
const AUTO_ROWS = 1000;

/** Longest skip the sampler's table covers. */
const SKIP_TABLE_MAX = 2048;

/**
 * The row sampler: the skip before the next sampled row is Geometric(rate) - 1, drawn by
 * inversion of a 32-bit draw z, skip(z) = floor(ln(1 - z / 2^32) / ln(1 - rate)). Since
 * skip(z) never decreases as z grows, it is the number of thresholds cdf[k] (the least z
 * with skip(z) > k) at or below z; the table holds them for skips below `size` (cdf[size] =
 * 2^32 ends every search) and guide[h], the first k whose threshold exceeds h x 2^22, so a
 * search reads about one threshold instead of taking a logarithm. Longer skips (probability
 * (1 - rate)^size, at most 1/1024 unless `size` is at its cap) are computed by the formula.
 */
interface SkipLaw { cdf: Float64Array; guide: Int32Array; size: number; invLogQ: number }

function skipByFormula(z: number, invLogQ: number): number {
  return Math.floor(Math.log(1 - z / 4294967296) * invLogQ);
}

function skipLaw(rate: number): SkipLaw {
  const lq = Math.log1p(-rate), inv = 1 / lq;
  const size = Math.max(1, Math.min(SKIP_TABLE_MAX, Math.ceil(Math.log(1 / 1024) / lq)));
  const cdf = new Float64Array(size + 1);
  for (let k = 0; k < size; k++) {
    // from the closed form, stepped to the exact threshold of the formula
    let z = Math.min(4294967296, Math.max(0, Math.round(-Math.expm1((k + 1) * lq) * 4294967296)));
    while (z > 0 && skipByFormula(z - 1, inv) > k) z--;
    while (z < 4294967296 && skipByFormula(z, inv) <= k) z++;
    cdf[k] = z;
  }
  cdf[size] = 4294967296;
  const guide = new Int32Array(1024);
  for (let h = 0, k = 0; h < 1024; h++) {
    while (cdf[k] <= h * 4194304) k++;
    guide[h] = k;
  }
  return { cdf, guide, size, invLogQ: inv };
}

// Where a reference column's values come from in the batch being observed.
const ABSENT = 0, F64 = 1, STRIDED = 2, CODES = 3, GENERIC = 4;

/** splitmix32 output for state s (as core/random.ts). */
function mix(s: number): number {
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

// Gathers, monomorphic per source form. Each copies rows (pos[s .. e), or s .. e when
// pos is null) into out from index `at`, or only checks them when out is null, and
// returns the batch row of the first ±Infinity, or -1.
function gatherAt(a: Float64Array, pos: Int32Array, s: number, e: number, out: Float64Array | null, at: number): number {
  return out === null ? checkAt(a, pos, s, e) : copyAt(a, pos, s, e, out, at);
}
function checkAt(a: Float64Array, pos: Int32Array, s: number, e: number): number {
  for (let i = s; i < e; i++) { const v = a[pos[i]]; if (v - v !== 0 && v === v) return pos[i]; }
  return -1;
}
function copyAt(a: Float64Array, pos: Int32Array, s: number, e: number, out: Float64Array, at: number): number {
  let bad = 0;
  for (let i = s, t = at; i < e; i++, t++) { const v = a[pos[i]]; out[t] = v; bad |= +(v - v !== 0 && v === v); }
  return bad === 0 ? -1 : checkAt(a, pos, s, e);
}
function gatherRange(a: Float64Array, s: number, e: number, out: Float64Array | null, at: number): number {
  if (out === null) {
    for (let i = s; i < e; i++) { const v = a[i]; if (v - v !== 0 && v === v) return i; }
    return -1;
  }
  for (let i = s, t = at; i < e; i++, t++) { const v = a[i]; out[t] = v; if (v - v !== 0 && v === v) return i; }
  return -1;
}
/** Column `off` of a row-major matrix with `stride` columns (probabilities), as numbers. */
function gatherStrided(a: ArrayLike<number>, stride: number, off: number, pos: Int32Array | null, s: number, e: number, out: Float64Array | null, at: number): number {
  for (let i = s, t = at; i < e; i++, t++) {
    const r = pos === null ? i : pos[i], v = +a[r * stride + off];
    if (out !== null) out[t] = v;
    if (v - v !== 0 && v === v) return r;
  }
  return -1;
}
function gatherCodes(codes: Int32Array, map: Int32Array, pos: Int32Array | null, s: number, e: number, out: Int32Array, at: number): void {
  for (let i = s, t = at; i < e; i++, t++) { const k = codes[pos === null ? i : pos[i]]; out[t] = k < 0 ? -1 : map[k]; }
}
/** Numbers (inputs or probabilities) for a categorical column: index of the value among the categories, -1 missing, -2 other. */
function gatherCategory(a: ArrayLike<number>, stride: number, off: number, index: Map<Category, number>, pos: Int32Array | null, s: number, e: number, out: Int32Array, at: number): void {
  for (let i = s, t = at; i < e; i++, t++) {
    const v = +a[(pos === null ? i : pos[i]) * stride + off];
    out[t] = v !== v ? -1 : index.get(v) ?? -2;
  }
}

/** Rows per column of a gather buffer, numeric values or category codes; `view[j]` is buffer j, or null while column j is absent. */
interface Stage {
  /** Rows gathered (at most STAGE_ROWS). */
  n: number;
  readonly bufs: (Float64Array | Int32Array)[];
  readonly view: (Float64Array | Int32Array | null)[];
}

/**
 * A closed window: its figures, its profile so far, and the rows it gathered last, not
 * yet profiled (a pooled gather buffer while the window is kept, or a copy of exactly
 * those rows once it is dropped and still readable); both are folded together, and the
 * report computed, on first use.
 */
class Closed {
  profile: Profile | null;
  pending: Stage | null;
  /** True while `pending` is a buffer of the monitor's pool. */
  pooled: boolean;
  report: DriftReport | null | undefined = undefined;
  /** The window as handed out (by windows() or roll()); null until then. */
  shown: MonitorWindow | null = null;
  constructor(readonly index: number, readonly start: number, readonly end: number, readonly rows: number, profile: Profile | null, pending: Stage | null) {
    this.profile = profile;
    this.pending = pending;
    this.pooled = pending !== null;
  }
  get profiledRows(): number { return (this.profile?.nRows ?? 0) + (this.pending?.n ?? 0); }
}

/** A copy of a gather buffer's rows, exactly their size (one allocation). */
function copyStage(st: Stage, numeric: readonly boolean[]): Stage {
  const n = st.n, view = st.view;
  let f64 = 0, i32 = 0;
  for (let j = 0; j < view.length; j++) if (view[j] !== null) { if (numeric[j]) f64++; else i32++; }
  const block = new ArrayBuffer(8 * n * f64 + 4 * n * i32);
  let at8 = 0, at4 = 8 * n * f64;
  const cols: (Float64Array | Int32Array | null)[] = new Array(view.length).fill(null);
  for (let j = 0; j < view.length; j++) {
    const src = view[j];
    if (src === null) continue;
    if (numeric[j]) { const v = new Float64Array(block, at8, n); v.set((src as Float64Array).subarray(0, n)); cols[j] = v; at8 += 8 * n; } else {
      const v = new Int32Array(block, at4, n); v.set((src as Int32Array).subarray(0, n)); cols[j] = v; at4 += 4 * n;
    }
  }
  return { n, bufs: [], view: cols };
}

/**
 * Watches a model in service. `observe` counts each scored batch (inputs and, optionally,
 * predictions) into the open window and gathers the values of the rows it profiles (all,
 * or a seeded uniform sample: `sampleRate`) into a fixed buffer; the buffer is profiled in
 * bulk (histogram counts, moments, category counts and a bounded sample; nothing per row is
 * kept) when it fills and when the open window is reported. Windows close by row count (a
 * batch that crosses the boundary is split, so every window has exactly `rows` rows, and
 * the rows gathered before the boundary belong to that window) or by age; a closing window
 * keeps its buffer (the open window takes another from a pool: nothing is copied or
 * allocated), and its gathered rows are profiled, and its report computed, when first
 * asked for. Memory is bounded whatever the traffic: one open profile, at most `maxWindows`
 * closed ones, and at most `maxWindows` + 1 gather buffers.
 *
 * @example
 * const monitor = new DriftMonitor({ reference: Profile.fromFrame(train), window: { rows: 500 } });
 * const scored = monitor.wrap(model);
 * scored.predictProba(batch);          // scores and observes
 * monitor.report().dataset.drifted;    // => false
 */
export class DriftMonitor {
  readonly reference: Profile;
  readonly windowRows: number;
  readonly windowMs: number;
  readonly maxWindows: number;
  /** Share of observed rows that are profiled (the resolved value when the option is `'auto'`). */
  readonly sampleRate: number;
  #opts: DriftMonitorOptions;
  #now: () => number;
  /** Profile of the open window; created when rows are first profiled into it. */
  #cur: Profile | null = null;
  #currentStart: number;
  /** The newest closed window with rows. */
  #lastWindow: Closed | null = null;
  /** Closed windows kept, oldest first. */
  #windows: Closed[] = [];
  #closed = 0;
  #rows = 0;
  #windowRowsSeen = 0;
  #batches = 0;
  #last: MonitorFigures['last'] = null;
  // row sampler: splitmix32 state, the law of skips (null when every row is profiled), rows still to skip before the next sampled one (carried across batches)
  #state: number;
  #law: SkipLaw | null;
  #skip = 0;
  /** Positions (in the batch) of the sampled rows, reused. */
  #pos = new Int32Array(64);
  #names: string[];
  #numeric: boolean[];
  #catIndex: (Map<Category, number> | null)[];
  /** Gather buffer of the open window. A closing window keeps its buffer (no copy) and the open one takes another from the pool. */
  #stage: Stage;
  /** Gather buffers free for reuse: at most maxWindows + 1 buffers ever exist (the open window's and one per kept window). */
  #pool: Stage[] = [];
  /** Columns handed to the kernels by the direct path. */
  #view: (Float64Array | Int32Array | null)[];
  // sources of the batch being observed, per reference column
  #kind: Int8Array;
  #src: (ArrayLike<unknown> | null)[];
  #stride: Int32Array;
  #off: Int32Array;
  #map: (Int32Array | null)[];
  /** Buffers of the direct path for sources that are not Float64Array columns (kept up to DIRECT_REUSE_ROWS rows). */
  #direct: (Float64Array | Int32Array | null)[];
  #probaIdx = new Int32Array(0);
  #probaFor = -1;
  /** Reference column index by name. */
  #colIndex: Map<string, number>;
  // an object of Float64Array columns: its keys in enumeration order as last seen, the reference column of each (-1: none), and the column found per reference column
  #keys: string[] = [];
  #keyCol: number[] = [];
  #f64: (Float64Array | null)[];

  /**
   * @param options - {@link DriftMonitorOptions}
   * @throws WasmlearnError `INVALID_PARAM` for a missing reference profile, window sizes / maxWindows that are not positive, or a sampleRate outside (0, 1]
   */
  constructor(options: DriftMonitorOptions) {
    if (!options || !(options.reference instanceof Profile)) {
      throw new WasmlearnError('INVALID_PARAM', `The 'reference' option of ${FN} must be a Profile (Profile.fromFrame(trainingData)); got ${show(options?.reference)}.`, { estimator: FN, field: 'reference' });
    }
    const w = options.window ?? { rows: 1000 };
    const rows = w.rows ?? Infinity, ms = w.ms ?? Infinity;
    if (!(rows === Infinity || (Number.isInteger(rows) && rows >= 1))) throw errors.invalidParam(FN, 'window.rows', 'an integer >= 1', w.rows);
    if (!(ms === Infinity || (typeof ms === 'number' && ms > 0))) throw errors.invalidParam(FN, 'window.ms', 'a number > 0', w.ms);
    if (rows === Infinity && ms === Infinity) throw errors.invalidParam(FN, 'window', 'an object with rows and/or ms', w);
    const maxWindows = options.maxWindows ?? 10;
    if (!Number.isInteger(maxWindows) || maxWindows < 1) throw errors.invalidParam(FN, 'maxWindows', 'an integer >= 1', maxWindows);
    const rateOpt = options.sampleRate ?? 'auto';
    const rate = rateOpt === 'auto' ? (rows === Infinity ? 1 : Math.min(1, AUTO_ROWS / rows)) : rateOpt;
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw errors.invalidParam(FN, 'sampleRate', "a number in (0, 1] or 'auto'", options.sampleRate);
    const seed = options.seed ?? 1;
    this.sampleRate = rate;
    this.#state = seed >>> 0;
    this.#law = rate < 1 ? skipLaw(rate) : null;
    this.reference = options.reference;
    this.windowRows = rows;
    this.windowMs = ms;
    this.maxWindows = maxWindows;
    this.#opts = options;
    this.#now = options.now ?? Date.now;
    this.#currentStart = this.#now();
    const cols = this.reference.columns;
    const nc = cols.length;
    this.#names = cols.map((c) => c.name);
    this.#colIndex = new Map(this.#names.map((name, j) => [name, j]));
    this.#f64 = new Array(nc).fill(null);
    this.#numeric = cols.map((c) => c.type === 'numeric');
    this.#catIndex = cols.map((c) => (c.type === 'categorical' ? new Map(c.categories.map((v, i) => [v, i])) : null));
    this.#stage = this.#newStage(null);
    this.#view = new Array(nc).fill(null);
    this.#kind = new Int8Array(nc);
    this.#src = new Array(nc).fill(null);
    this.#stride = new Int32Array(nc);
    this.#off = new Int32Array(nc);
    this.#map = new Array(nc).fill(null);
    this.#direct = new Array(nc).fill(null);
    if (rate < 1) this.#skip = this.#nextSkip();
  }

  /** Profile of the open window (created on first use). */
  get #current(): Profile { return (this.#cur ??= this.reference.emptyLike()); }

  /** An empty gather buffer (from the pool when it has one), with the columns present in `like` (all when null). */
  #newStage(like: Stage | null): Stage {
    let st = this.#pool.pop();
    if (st === undefined) {
      const bufs = this.#numeric.map((num) => (num ? new Float64Array(STAGE_ROWS) : new Int32Array(STAGE_ROWS)));
      st = { n: 0, bufs, view: bufs.slice() };
    }
    st.n = 0;
    for (let j = 0; j < st.view.length; j++) st.view[j] = like !== null && like.view[j] === null ? null : st.bufs[j];
    return st;
  }

  /** Rows to skip before the next sampled one (see {@link SkipLaw}). */
  #nextSkip(): number {
    const law = this.#law!, cdf = law.cdf;
    const st = (this.#state + 0x9e3779b9) >>> 0;
    this.#state = st;
    const z = mix(st);
    let g = law.guide[z >>> 22];
    while (z >= cdf[g]) g++;
    return g < law.size ? g : skipByFormula(z, law.invLogQ);
  }

  /** Writes the positions of the sampled rows among the next n observed rows into #pos; returns how many. */
  #sample(n: number): number {
    let pos = this.#pos, k = 0, i = this.#skip;
    while (i < n) {
      if (k === pos.length) { const p = new Int32Array(2 * k); p.set(pos); this.#pos = pos = p; }
      pos[k++] = i;
      i += 1 + this.#nextSkip();
    }
    this.#skip = i - n;
    return k;
  }

  /** Per reference column, the probability column it is (index below `cols`), or -1; cached per class count. */
  #probaIndex(cols: number): Int32Array {
    if (this.#probaFor === cols) return this.#probaIdx;
    const names = this.#opts.probaColumns ?? Array.from({ length: cols }, (_, j) => `proba_${j}`);
    this.#probaIdx = Int32Array.from(this.#names, (name) => { const j = names.indexOf(name); return j < cols ? j : -1; });
    this.#probaFor = cols;
    return this.#probaIdx;
  }

  /**
   * When X is an object of columns that are all Float64Array of one length (the form read
   * without building a Frame), puts the one of each reference column in #f64 (null when X
   * has none) and returns the length; -1 for any other form. One pass over the keys; the
   * reference column of each key is remembered by position, so a batch with the keys of the
   * previous one needs no lookup by name.
   */
  #f64Columns(x: FrameInput): number {
    if (x instanceof Frame || Array.isArray(x) || typeof x !== 'object' || x === null) return -1;
    const f64 = this.#f64, keys = this.#keys, keyCol = this.#keyCol;
    for (let j = 0; j < f64.length; j++) f64[j] = null;
    // for-in lists inherited keys too: they count only on other prototypes than a plain object's
    const proto = Object.getPrototypeOf(x);
    const plain = proto === Object.prototype || proto === null;
    let n = -1, i = 0;
    for (const k in x) {
      const v = (x as Record<string, unknown>)[k];
      if (!(v instanceof Float64Array)) return -1;
      if (n < 0) n = v.length; else if (v.length !== n) return -1;
      if (i === keys.length || keys[i] !== k) { keys[i] = k; keyCol[i] = this.#colIndex.get(k) ?? -1; }
      const j = keyCol[i++];
      if (j >= 0 && (plain || Object.prototype.hasOwnProperty.call(x, k))) f64[j] = v;
    }
    return n;
  }

  /**
   * Resolves where each reference column's values are in this batch (predictions first,
   * then inputs) and returns the batch's row count. Converts only what cannot be read in
   * place (row objects, plain arrays, categorical input for a numeric column).
   */
  #resolve(X: FrameInput, predictions: ObservedPredictions): number {
    let n = this.#f64Columns(X);
    let frame: Frame | null = null;
    if (n < 0) {
      frame = Frame.from(X, 'X');
      n = frame.nRows;
    }
    const p = predictions.proba;
    if (p !== undefined) {
      if (p.rows !== n) throw errors.lengthMismatch(`${FN}.observe: proba`, n, p.rows, { estimator: FN, field: 'proba' });
      if (p.data.length !== p.rows * p.cols) throw errors.lengthMismatch(`${FN}.observe: proba.data`, p.rows * p.cols, p.data.length, { estimator: FN, field: 'proba' });
    }
    const labels = predictions.labels;
    if (labels !== undefined && labels.length !== n) {
      throw errors.lengthMismatch(`${FN}.observe: labels`, n, labels.length, { estimator: FN, field: 'labels' });
    }
    const probaIdx = p !== undefined ? this.#probaIndex(p.cols) : null;
    const labelName = this.#opts.labelColumn ?? 'prediction';
    const names = this.#names;
    for (let j = 0; j < names.length; j++) {
      const name = names[j];
      let kind = ABSENT;
      let src: ArrayLike<unknown> | null = null, stride = 1, off = 0;
      let col: Column | null = null;
      // a probability column?
      if (p !== undefined) {
        const pj = probaIdx![j];
        if (pj >= 0 && pj < p.cols) { kind = p.data instanceof Float64Array ? STRIDED : GENERIC; src = p.data; stride = p.cols; off = pj; }
      }
      if (kind === ABSENT && labels !== undefined && name === labelName) {
        if (labels instanceof Float64Array) { kind = F64; src = labels; } else col = columnFromValues(name, (ArrayBuffer.isView(labels) ? labels : Array.from(labels)) as ColumnValues);
      }
      if (kind === ABSENT && col === null) {
        if (frame === null) { const a = this.#f64[j]; if (a !== null) { kind = F64; src = a; } } else if (frame.has(name)) col = frame.column(name);
      }
      let map: Int32Array | null = null;
      if (col !== null) {
        if (col.kind === 'numeric') { kind = F64; src = col.values; } else if (this.#numeric[j]) {
          kind = F64; src = numericValues(col, 'Profile'); // COLUMN_TYPE for a non-number
        } else {
          const index = this.#catIndex[j]!, d = col.dictionary;
          map = new Int32Array(d.length);
          for (let k = 0; k < d.length; k++) map[k] = index.get(d[k]) ?? -2;
          kind = CODES; src = col.codes;
        }
      }
      this.#kind[j] = kind; this.#src[j] = src; this.#stride[j] = stride; this.#off[j] = off; this.#map[j] = map;
    }
    return n;
  }

  /**
   * Copies the rows at positions pos[s .. e) of the batch (or rows s .. e when pos is null)
   * into the gather buffer from its row n on, checking numeric values; when `dry`, only checks.
   * @throws WasmlearnError `NON_FINITE` for ±Infinity in a numeric column (nothing is then committed)
   */
  #gather(pos: Int32Array | null, s: number, e: number, dry: boolean): void {
    const names = this.#names, at = this.#stage.n, kinds = this.#kind, srcs = this.#src, bufs = this.#stage.bufs, numeric = this.#numeric;
    for (let j = 0; j < names.length; j++) {
      const kind = kinds[j];
      if (kind === ABSENT) continue;
      const src = srcs[j]!;
      if (numeric[j]) {
        const out = dry ? null : bufs[j] as Float64Array;
        let bad: number;
        if (kind === F64) bad = pos === null ? gatherRange(src as Float64Array, s, e, out, at) : gatherAt(src as Float64Array, pos, s, e, out, at);
        else bad = gatherStrided(src as ArrayLike<number>, this.#stride[j], this.#off[j], pos, s, e, out, at);
        if (bad >= 0) {
          const v = kind === F64 ? (src as Float64Array)[bad] : +(src as ArrayLike<number>)[bad * this.#stride[j] + this.#off[j]];
          throw errors.nonFinite(names[j], bad, v, FN);
        }
      } else if (!dry) {
        const out = bufs[j] as Int32Array;
        if (kind === CODES) gatherCodes(src as Int32Array, this.#map[j]!, pos, s, e, out, at);
        else if (kind === F64) gatherCategory(src as ArrayLike<number>, 1, 0, this.#catIndex[j]!, pos, s, e, out, at);
        else gatherCategory(src as ArrayLike<number>, this.#stride[j], this.#off[j], this.#catIndex[j]!, pos, s, e, out, at);
      }
    }
  }

  /**
   * Profiles rows s .. e of the batch into the open window directly: Float64Array columns
   * in place, other sources through reused buffers (the kernel rejects ±Infinity before
   * anything is added).
   */
  #addDirect(s: number, e: number): void {
    const m = e - s, view = this.#view;
    for (let j = 0; j < view.length; j++) {
      const kind = this.#kind[j], src = this.#src[j];
      if (kind === ABSENT) { view[j] = null; continue; }
      if (this.#numeric[j] && kind === F64) { view[j] = (src as Float64Array).subarray(s, e); continue; }
      const numeric = this.#numeric[j];
      let out = this.#direct[j];
      if (out === null || out.length < m) {
        const len = m > DIRECT_REUSE_ROWS ? m : Math.max(m, 2 * (out?.length ?? 0));
        out = numeric ? new Float64Array(len) : new Int32Array(len);
        if (len <= DIRECT_REUSE_ROWS) this.#direct[j] = out;
      }
      if (numeric) gatherStrided(src as ArrayLike<number>, this.#stride[j], this.#off[j], null, s, e, out as Float64Array, 0);
      else if (kind === CODES) gatherCodes(src as Int32Array, this.#map[j]!, null, s, e, out as Int32Array, 0);
      else gatherCategory(src as ArrayLike<number>, kind === F64 ? 1 : this.#stride[j], kind === F64 ? 0 : this.#off[j], this.#catIndex[j]!, null, s, e, out as Int32Array, 0);
      view[j] = out;
    }
    this.#current.addColumns(m, view);
  }

  /** Profiles the gathered rows into the open window. */
  #flush(): void {
    const st = this.#stage, n = st.n;
    if (n === 0) return;
    st.n = 0;
    this.#current.addColumns(n, st.view);
  }

  /**
   * Adds a scored batch to the open window. Predictions become columns named by
   * `probaColumns` / `labelColumn` and are profiled when the reference has those columns.
   * Cost: counting is O(1); the profiled rows (all, or ~`sampleRate` x rows) are gathered
   * column by column into a fixed buffer, profiled in bulk when it fills or the window is reported.
   * Plain objects of Float64Array columns and Frames are read in place.
   * @param X - the batch's inputs (any table form; a Frame or an object of Float64Array columns avoids a conversion)
   * @param predictions - optional `proba` (matrix n x classes) and/or `labels` (n predicted labels)
   * @throws WasmlearnError `LENGTH_MISMATCH` when predictions and X differ in rows; `COLUMN_TYPE` for
   *   strings in a numeric column, `NON_FINITE` for ±Infinity in a profiled row of a numeric column (the batch is then not counted)
   * @example
   * monitor.observe([{ age: 61, cp: 4 }], { labels: [1] });
   */
  observe(X: FrameInput, predictions: ObservedPredictions = {}): void {
    const n = this.#resolve(X, predictions);
    const nc = this.#names.length;
    // a change in the columns present: the rows gathered so far are profiled first
    let same = true;
    const view = this.#stage.view;
    for (let j = 0; j < nc; j++) if ((this.#kind[j] === ABSENT) !== (view[j] === null)) { same = false; break; }
    if (!same) {
      this.#flush();
      for (let j = 0; j < nc; j++) view[j] = this.#kind[j] === ABSENT ? null : this.#stage.bufs[j];
    }
    // the clock is read per batch only when windows also close by age (else when one closes)
    let now = this.windowMs === Infinity ? NaN : this.#now();
    if (now - this.#currentStart >= this.windowMs) this.#close(now);
    // rows to profile: all (pos = null), or a uniform sample (positions in the batch, ascending)
    const state = this.#state, skip = this.#skip;
    const sampled = this.sampleRate < 1;
    const k = sampled ? this.#sample(n) : n;
    const pos = sampled ? this.#pos : null;
    try {
      // every row of a large batch: profiled in place, without gathering
      const direct = pos === null && n >= STAGE_ROWS;
      // more than one step that could fail: check every profiled row first, so that a bad batch commits nothing
      if (n > this.windowRows - this.#windowRowsSeen || (!direct && k > STAGE_ROWS - this.#stage.n)) this.#gather(pos, 0, k, true);
      let start = 0, s = 0;
      while (start < n) {
        const take = Math.min(this.windowRows - this.#windowRowsSeen, n - start);
        const end = start + take;
        let e = s;
        if (pos === null) e = end; else while (e < k && pos[e] < end) e++;
        if (direct) {
          this.#flush();
          this.#addDirect(s, e);
          s = e;
        }
        while (s < e) {
          const st = this.#stage;
          const c = Math.min(STAGE_ROWS - st.n, e - s);
          this.#gather(pos, s, s + c, false);
          st.n += c;
          s += c;
          if (st.n === STAGE_ROWS) this.#flush();
        }
        start = end;
        this.#rows += take;
        this.#windowRowsSeen += take;
        if (this.#windowRowsSeen >= this.windowRows) { if (now !== now) now = this.#now(); this.#close(now); }
      }
    } catch (err) {
      this.#state = state; this.#skip = skip;
      throw err;
    } finally {
      // positions of a very large batch are not kept
      if (this.#pos.length > POS_KEEP) this.#pos = new Int32Array(64);
    }
    this.#batches++;
  }

  #close(now: number): void {
    // The window keeps its last gathered rows in its buffer (the open window takes another
    // one from the pool); they are profiled, and the report computed, on first use
    // (windows()[k].report, latest(), report('last')), so closing a window on the scoring
    // path allocates nothing once the pool holds a buffer per kept window.
    const st = this.#stage;
    const win = new Closed(this.#closed, this.#currentStart, now, this.#windowRowsSeen, this.#cur, st.n > 0 ? st : null);
    this.#windows.push(win);
    if (win.profiledRows > 0) this.#lastWindow = win;
    if (this.#windows.length > this.maxWindows) this.#drop(this.#windows.shift()!);
    if (win.pending !== null) this.#stage = this.#newStage(st);
    this.#windowRowsSeen = 0;
    this.#closed++;
    this.#cur = null;
    this.#currentStart = now;
  }

  /**
   * A window leaves the kept list: its pooled buffer goes back to the pool, after its rows
   * are copied aside when the window can still be read (it was handed out, or it is the
   * newest window with rows).
   */
  #drop(w: Closed): void {
    const st = w.pending;
    if (st === null || !w.pooled) return;
    if (w.shown !== null || w === this.#lastWindow) w.pending = copyStage(st, this.#numeric);
    else { w.pending = null; w.profile = null; }
    w.pooled = false;
    this.#pool.push(st);
  }

  /** A closed window's profile, its pending rows folded in (once). */
  #profileOf(w: Closed): Profile {
    const p = (w.profile ??= this.reference.emptyLike());
    const st = w.pending;
    if (st !== null) {
      p.addColumns(st.n, st.view);
      w.pending = null;
      if (w.pooled) { w.pooled = false; this.#pool.push(st); }
    }
    return p;
  }

  /** A closed window's report (computed on first use; null when no row of it was profiled). */
  #reportOf(w: Closed): DriftReport | null {
    if (w.report === undefined) w.report = w.profiledRows > 0 ? this.#report(this.#profileOf(w), w.index) : null;
    return w.report;
  }

  /** The window as handed out: its figures and a `report` getter (the same object every time). */
  #shown(w: Closed): MonitorWindow {
    if (w.shown === null) {
      const win = { index: w.index, start: w.start, end: w.end, rows: w.rows, profiledRows: w.profiledRows } as MonitorWindow;
      Object.defineProperty(win, 'report', { enumerable: true, get: () => this.#reportOf(w) });
      w.shown = win;
    }
    return w.shown;
  }

  #report(p: Profile, window: number | 'current'): DriftReport {
    const r = driftReport(this.reference, p, this.#opts.report ?? {});
    // keep the summary of the newest window reported
    const newest = window === 'current' || this.#last === null || this.#last.window === 'current' || window >= this.#last.window;
    if (newest) {
      this.#last = {
        window, rows: p.nRows, datasetDrift: r.dataset.drifted, driftShare: r.dataset.share, driftedColumns: r.dataset.driftedColumns,
        columns: Object.fromEntries([...r.columns, ...(r.target ? [r.target] : []), ...(r.prediction ?? [])]
          .map((c) => [c.column, { method: c.method, statistic: c.statistic, pvalue: c.pvalue, drifted: c.drifted }])),
        retrain: r.retraining ? r.retraining.retrain : null,
      };
    }
    return r;
  }

  /**
   * Reports the open window against the reference, or the last closed window when the
   * open one has no rows yet (or when `which` is `'last'`).
   * @param which - `'auto'` (default), `'current'` or `'last'`
   * @returns a {@link DriftReport}
   * @throws WasmlearnError `EMPTY_INPUT` when the requested window has no rows
   * @example
   * monitor.report().dataset.driftedColumns; // => ['age']
   */
  report(which: 'auto' | 'current' | 'last' = 'auto'): DriftReport {
    this.#flush();
    const useCurrent = which === 'current' || (which === 'auto' && this.#current.nRows > 0);
    if (useCurrent) {
      if (this.#current.nRows === 0) throw errors.emptyInput(`${FN}.report`, 'an open window');
      return this.#report(this.#current, 'current');
    }
    const last = this.#lastWindow;
    if (last === null) throw errors.emptyInput(`${FN}.report`, 'no closed window and an open window');
    return this.#report(this.#profileOf(last), this.#closed - 1);
  }

  /** Profile of the open window (a copy). */
  currentProfile(): Profile { this.#flush(); return this.#current.clone(); }

  /** Closed windows kept (at most `maxWindows`, oldest first). */
  windows(): readonly MonitorWindow[] { return this.#windows.map((w) => this.#shown(w)); }

  /**
   * Closes the open window now (e.g. on a timer), reporting it when it has rows.
   * @returns the closed window
   */
  roll(): MonitorWindow {
    this.#close(this.#now());
    return this.#shown(this.#windows[this.#windows.length - 1]);
  }

  /**
   * Last figures for a metrics endpoint: counters and the summary of the newest closed
   * window's report (computed once, on the first request after the window closed).
   * @returns {@link MonitorFigures}
   */
  latest(): MonitorFigures {
    if (this.#lastWindow !== null) this.#reportOf(this.#lastWindow);
    return {
      rowsObserved: this.#rows, batchesObserved: this.#batches, currentWindowRows: this.#windowRowsSeen,
      windowsClosed: this.#closed, last: this.#last,
    };
  }

  /**
   * Wraps a model so that each scoring call also observes its batch: `predictProba`
   * observes the inputs and probabilities, `predict` the inputs and predicted labels.
   * (Call one of them per batch, or rows are counted twice.)
   * @param model - anything with `predictProba(X)` and `predict(X)`
   * @returns an object with the same two methods and `monitor`
   * @example
   * const scored = monitor.wrap(pipeline); scored.predict(rows); monitor.latest().rowsObserved; // => rows.length
   */
  wrap<M extends MonitoredModel>(model: M): { predictProba(X: FrameInput): ReturnType<M['predictProba']>; predict(X: FrameInput): ReturnType<M['predict']>; model: M; monitor: DriftMonitor } {
    if (!model || typeof model.predictProba !== 'function' || typeof model.predict !== 'function') {
      throw new WasmlearnError('INVALID_PARAM', `${FN}.wrap needs a model with predictProba(X) and predict(X); got ${show(model)}.`, { estimator: FN, field: 'model' });
    }
    return {
      model, monitor: this,
      predictProba: (X: FrameInput) => {
        const frame = Frame.from(X, 'X');
        const proba = model.predictProba(frame) as ReturnType<M['predictProba']>;
        this.observe(frame, { proba });
        return proba;
      },
      predict: (X: FrameInput) => {
        const frame = Frame.from(X, 'X');
        const labels = model.predict(frame) as ReturnType<M['predict']>;
        this.observe(frame, { labels });
        return labels;
      },
    };
  }
}
