/**
 * Server metrics in the Prometheus text exposition format (version 0.0.4): request
 * counts by path and status, errors by MLflow code, a latency histogram, rows scored,
 * requests in flight, and the attached drift monitor's latest figures as gauges.
 * Counters are per process: with `--workers N`, each worker counts its own requests.
 * @packageDocumentation
 */
import type { ScoringMonitor } from './types.js';

/** Latency histogram bucket upper bounds, in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const KNOWN_PATHS = new Set(['/invocations', '/ping', '/health', '/version', '/metrics']);

/** Prometheus label-value escaping. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** A metric name from a monitor key: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function metricName(key: string): string {
  const s = key.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(s) ? s : `_${s}`;
}

/** Numeric and boolean leaves of an object, keys joined with `_` in snake_case. */
export function numericLeaves(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix + k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (typeof v === 'number') out[key] = v;
    else if (typeof v === 'boolean') out[key] = v ? 1 : 0;
    else if (v && typeof v === 'object') numericLeaves(v, `${key}_`, out);
  }
  return out;
}

/** Prometheus sample value: integers plainly, NaN and infinities spelled. */
function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * The counters of one server process. `observe` is called once per finished request;
 * `render` writes the exposition text.
 *
 * @example
 * const m = new ServerMetrics();
 * m.observe('/invocations', 200, 0.002, 10);
 * m.render().includes('wasmlearn_rows_scored_total 10'); // => true
 */
export class ServerMetrics {
  readonly #requests = new Map<string, number>();
  readonly #errors = new Map<string, number>();
  readonly #buckets = new Float64Array(LATENCY_BUCKETS.length);
  #latencySum = 0;
  #latencyCount = 0;
  #rows = 0;
  #monitorErrors = 0;
  /** Requests being handled now. */
  inFlight = 0;
  readonly #started = Date.now() / 1000;

  /**
   * Records a finished request.
   * @param path - the request path (unknown paths are counted as `other`)
   * @param status - the HTTP status sent
   * @param seconds - time from request to response end
   * @param rows - rows scored (0 when none)
   * @param errorCode - the MLflow error code answered, if any
   */
  observe(path: string, status: number, seconds: number, rows = 0, errorCode?: string): void {
    const p = KNOWN_PATHS.has(path) ? path : 'other';
    const key = `path="${p}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    if (errorCode) this.#errors.set(errorCode, (this.#errors.get(errorCode) ?? 0) + 1);
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]) this.#buckets[i]++;
    this.#latencySum += seconds;
    this.#latencyCount++;
    this.#rows += rows;
  }

  /** Counts a monitor that threw (its failures never reach the client). */
  monitorFailed(): void { this.#monitorErrors++; }

  /**
   * The exposition text.
   * @param monitor - when given, its `latest()` figures become `wasmlearn_monitor_<name>` gauges
   */
  render(monitor?: ScoringMonitor): string {
    const out: string[] = [];
    out.push('# HELP wasmlearn_requests_total HTTP requests handled, by path and status code.');
    out.push('# TYPE wasmlearn_requests_total counter');
    for (const [k, v] of this.#requests) out.push(`wasmlearn_requests_total{${k}} ${v}`);
    out.push('# HELP wasmlearn_request_errors_total Error replies, by MLflow error code.');
    out.push('# TYPE wasmlearn_request_errors_total counter');
    for (const [k, v] of this.#errors) out.push(`wasmlearn_request_errors_total{error_code="${esc(k)}"} ${v}`);
    out.push('# HELP wasmlearn_request_duration_seconds Time from request start to response end.');
    out.push('# TYPE wasmlearn_request_duration_seconds histogram');
    LATENCY_BUCKETS.forEach((b, i) => out.push(`wasmlearn_request_duration_seconds_bucket{le="${b}"} ${this.#buckets[i]}`));
    out.push(`wasmlearn_request_duration_seconds_bucket{le="+Inf"} ${this.#latencyCount}`);
    out.push(`wasmlearn_request_duration_seconds_sum ${this.#latencySum}`);
    out.push(`wasmlearn_request_duration_seconds_count ${this.#latencyCount}`);
    out.push('# HELP wasmlearn_rows_scored_total Rows scored by /invocations.');
    out.push('# TYPE wasmlearn_rows_scored_total counter');
    out.push(`wasmlearn_rows_scored_total ${this.#rows}`);
    out.push('# HELP wasmlearn_requests_in_flight Requests being handled.');
    out.push('# TYPE wasmlearn_requests_in_flight gauge');
    out.push(`wasmlearn_requests_in_flight ${this.inFlight}`);
    out.push('# HELP wasmlearn_process_start_time_seconds Start time of the process, Unix seconds.');
    out.push('# TYPE wasmlearn_process_start_time_seconds gauge');
    out.push(`wasmlearn_process_start_time_seconds ${this.#started}`);
    if (monitor) {
      out.push('# HELP wasmlearn_monitor_errors_total Drift monitor calls that failed.');
      out.push('# TYPE wasmlearn_monitor_errors_total counter');
      let latest: Record<string, number> = {};
      try {
        latest = numericLeaves(monitor.latest());
      } catch {
        this.#monitorErrors++;
      }
      out.push(`wasmlearn_monitor_errors_total ${this.#monitorErrors}`);
      for (const [k, v] of Object.entries(latest)) {
        const name = `wasmlearn_monitor_${metricName(k)}`;
        out.push(`# HELP ${name} Drift monitor: latest ${esc(k)}.`);
        out.push(`# TYPE ${name} gauge`);
        out.push(`${name} ${num(v)}`);
      }
    }
    return out.join('\n') + '\n';
  }
}
