/**
 * In-service drift monitoring: observe scored batches into rolling windows of
 * profiles, report against the training profile on demand, bounded memory.
 */
import { WasmlearnError, errors, show } from '../core/errors.js';
import { Frame, columnFromValues, type Column, type FrameInput, type Scalar } from '../core/frame.js';
import { rng } from '../core/random.js';
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
   * Share of observed rows that are profiled, in (0, 1] (default 1: every row). Below 1, a
   * seeded uniform sample of rows (geometric skips, so the cost follows the sampled rows,
   * not the batch) feeds the window profile, while row counts and window boundaries stay
   * exact. Drift statistics are then estimated from the sample: e.g. 0.02 of a
   * 50,000-row window profiles ~1,000 rows, as the small-data rules expect.
   */
  sampleRate?: number;
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
  /** Report of this window against the reference (null when the window had no rows). */
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

/** Something that scores: what {@link DriftMonitor.wrap} accepts. */
export interface MonitoredModel {
  predictProba(X: FrameInput): { rows: number; cols: number; data: Float64Array };
  predict(X: FrameInput): ArrayLike<unknown>;
}

const FN = 'DriftMonitor';
/** Probability columns of batches up to this many rows reuse one buffer (at most 512 KiB each). */
const REUSE_MAX_ROWS = 65_536;

/** Writes column j of a row-major n x cols matrix into out (monomorphic on Float64Array, the common case). */
function strided(d: Float64Array, n: number, cols: number, j: number, out: Float64Array): Float64Array {
  for (let i = 0, k = j; i < n; i++, k += cols) out[i] = d[k];
  return out;
}
function stridedAny(d: ArrayLike<number>, n: number, cols: number, j: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = d[i * cols + j];
  return out;
}

/**
 * Watches a model in service. `observe` adds each scored batch (inputs and, optionally,
 * predictions) into the open window's profile: histogram counts, moments, category
 * counts and a bounded sample, nothing per row is kept. Windows close by row count
 * (a batch that crosses the boundary is split, so every window has exactly `rows` rows)
 * or by age; a closed window is reported against the reference right away. Memory is
 * bounded whatever the traffic: one open profile, the last closed profile, and at most
 * `maxWindows` reports.
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
  #opts: DriftMonitorOptions;
  /** Reused buffers for probability columns (a profile keeps nothing of a batch once updated). */
  #probaBuf: Float64Array[] = [];
  #now: () => number;
  #current: Profile;
  #currentStart: number;
  #lastClosed: Profile | null = null;
  #lastWindow: MonitorWindow | null = null;
  #windows: MonitorWindow[] = [];
  #closed = 0;
  #rows = 0;
  #windowRowsSeen = 0;
  #batches = 0;
  readonly sampleRate: number;
  #rand: () => number;
  /** Rows still to skip before the next sampled row (carried across batches). */
  #skip = 0;
  #last: MonitorFigures['last'] = null;

  /**
   * @param options - {@link DriftMonitorOptions}
   * @throws WasmlearnError `INVALID_PARAM` for a missing reference profile, or window sizes / maxWindows that are not positive
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
    const rate = options.sampleRate ?? 1;
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw errors.invalidParam(FN, 'sampleRate', 'a number in (0, 1]', options.sampleRate);
    this.sampleRate = rate;
    this.#rand = rng(options.seed ?? 1);
    this.reference = options.reference;
    this.windowRows = rows;
    this.windowMs = ms;
    this.maxWindows = maxWindows;
    this.#opts = options;
    this.#now = options.now ?? Date.now;
    this.#current = this.reference.emptyLike();
    this.#currentStart = this.#now();
    if (rate < 1) this.#skip = this.#nextSkip();
  }

  /** Rows to skip before the next sampled one: Geometric(sampleRate) - 1. */
  #nextSkip(): number {
    const u = 1 - this.#rand(); // (0, 1]
    return Math.floor(Math.log(u) / Math.log1p(-this.sampleRate));
  }

  /** Positions of the sampled rows among the next n observed rows. */
  #sampled(n: number): Int32Array {
    const out: number[] = [];
    let i = this.#skip;
    while (i < n) { out.push(i); i += 1 + this.#nextSkip(); }
    this.#skip = i - n;
    return Int32Array.from(out);
  }

  /**
   * Adds a scored batch to the open window. Predictions become columns named by
   * `probaColumns` / `labelColumn` and are profiled when the reference has those columns.
   * Cost: O(rows x profiled columns), no per-row allocation beyond input normalisation.
   * @param X - the batch's inputs (any table form; a Frame avoids a conversion)
   * @param predictions - optional `proba` (matrix n x classes) and/or `labels` (n predicted labels)
   * @throws WasmlearnError `LENGTH_MISMATCH` when predictions and X differ in rows; errors of {@link Profile.update}
   * @example
   * monitor.observe([{ age: 61, cp: 4 }], { labels: [1] });
   */
  observe(X: FrameInput, predictions: { proba?: { rows: number; cols: number; data: ArrayLike<number> }; labels?: ArrayLike<unknown> } = {}): void {
    let frame = Frame.from(X, 'X');
    const n = frame.nRows;
    if (predictions.proba !== undefined) {
      const p = predictions.proba;
      if (p.rows !== n) throw errors.lengthMismatch(`${FN}.observe: proba`, n, p.rows, { estimator: FN, field: 'proba' });
      if (p.data.length !== p.rows * p.cols) throw errors.lengthMismatch(`${FN}.observe: proba.data`, p.rows * p.cols, p.data.length, { estimator: FN, field: 'proba' });
    }
    if (predictions.labels !== undefined && predictions.labels.length !== n) {
      throw errors.lengthMismatch(`${FN}.observe: labels`, n, predictions.labels.length, { estimator: FN, field: 'labels' });
    }
    // Rows to profile: all, or a uniform sample (positions in the batch, ascending).
    const rows = this.sampleRate < 1 ? this.#sampled(n) : null;
    const m = rows ? rows.length : n;
    if (rows) frame = frame.take(rows);
    const extra: Column[] = [];
    if (predictions.proba !== undefined) {
      const p = predictions.proba;
      const names = this.#opts.probaColumns ?? Array.from({ length: p.cols }, (_, j) => `proba_${j}`);
      for (let j = 0; j < p.cols; j++) {
        if (!this.reference.has(names[j] ?? '')) continue;
        let out: Float64Array;
        if (m > REUSE_MAX_ROWS) out = new Float64Array(m);
        else {
          if ((this.#probaBuf[j]?.length ?? 0) < m) this.#probaBuf[j] = new Float64Array(m);
          out = this.#probaBuf[j].subarray(0, m);
        }
        if (rows) for (let i = 0; i < m; i++) out[i] = p.data[rows[i] * p.cols + j];
        else if (p.data instanceof Float64Array) strided(p.data, n, p.cols, j, out);
        else stridedAny(p.data, n, p.cols, j, out);
        extra.push({ kind: 'numeric', name: names[j], values: out });
      }
    }
    if (predictions.labels !== undefined) {
      const name = this.#opts.labelColumn ?? 'prediction';
      const l = predictions.labels;
      if (this.reference.has(name)) extra.push(columnFromValues(name, (rows ? Array.from(rows, (r) => l[r]) : Array.from(l)) as Scalar[]));
    }
    if (extra.length) {
      const kept = frame.columns.filter((c) => !extra.some((e) => e.name === c.name));
      frame = new Frame([...kept, ...extra], m, frame.hasNames);
    }
    const now = this.#now();
    if (now - this.#currentStart >= this.windowMs) this.#close(now);
    // Split the batch at window boundaries (counted in observed rows, exactly).
    let start = 0, s = 0;
    while (start < n) {
      const take = Math.min(this.windowRows - this.#windowRowsSeen, n - start);
      let e = m;
      if (rows) { e = s; while (e < m && rows[e] < start + take) e++; } else e = start + take;
      if (e > s) this.#current.update(s === 0 && e === m ? frame : frame.slice(s, e));
      start += take;
      s = e;
      this.#rows += take;
      this.#windowRowsSeen += take;
      if (this.#windowRowsSeen >= this.windowRows) this.#close(now);
    }
    this.#batches++;
  }

  #close(now: number): void {
    const p = this.#current;
    const index = this.#closed;
    // The window's report is computed on first use (windows(), latest(), report('last')),
    // so closing a window costs nothing on the scoring path.
    let cached: DriftReport | null | undefined;
    const win = { index, start: this.#currentStart, end: now, rows: this.#windowRowsSeen, profiledRows: p.nRows } as MonitorWindow;
    Object.defineProperty(win, 'report', {
      enumerable: true,
      get: () => {
        if (cached === undefined) cached = p.nRows > 0 ? this.#report(p, index) : null;
        return cached;
      },
    });
    this.#windows.push(win);
    this.#windowRowsSeen = 0;
    if (this.#windows.length > this.maxWindows) this.#windows.shift();
    if (p.nRows > 0) { this.#lastClosed = p; this.#lastWindow = win; }
    this.#closed++;
    this.#current = this.reference.emptyLike();
    this.#currentStart = now;
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
    const useCurrent = which === 'current' || (which === 'auto' && this.#current.nRows > 0);
    if (useCurrent) {
      if (this.#current.nRows === 0) throw errors.emptyInput(`${FN}.report`, 'an open window');
      return this.#report(this.#current, 'current');
    }
    if (!this.#lastClosed) throw errors.emptyInput(`${FN}.report`, 'no closed window and an open window');
    return this.#report(this.#lastClosed, this.#closed - 1);
  }

  /** Profile of the open window (a copy). */
  currentProfile(): Profile { return this.#current.clone(); }

  /** Closed windows kept (at most `maxWindows`, oldest first). */
  windows(): readonly MonitorWindow[] { return [...this.#windows]; }

  /**
   * Closes the open window now (e.g. on a timer), reporting it when it has rows.
   * @returns the closed window
   */
  roll(): MonitorWindow {
    this.#close(this.#now());
    return this.#windows[this.#windows.length - 1];
  }

  /**
   * Last figures for a metrics endpoint: counters and the summary of the newest closed
   * window's report (computed once, on the first request after the window closed).
   * @returns {@link MonitorFigures}
   */
  latest(): MonitorFigures {
    if (this.#lastWindow) void this.#lastWindow.report;
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
