/**
 * The scoring request handler: MLflow's scoring server as one `(req, res) => void`
 * function that mounts in `node:http`, Express or Fastify.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PlainReply, ScoringError, errorBody, toScoringError } from './errors.js';
import { ServerMetrics } from './metrics.js';
import { formatPredictions, parseInvocation, score } from './protocol.js';
import type { AccessLog, AccessLogEntry, PredictFn, ScoringModel, ScoringMonitor } from './types.js';
import { VERSION } from './version.js';

/** Default request body limit: 50 MB. */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Options of {@link createScoringHandler}. */
export interface ScoringHandlerOptions {
  /** The model to serve (a loaded wasmlearn `Pipeline`, or anything with its methods). */
  model: ScoringModel;
  /** `predict` (labels; default, as MLflow's sklearn flavor) or `predict_proba` (probability rows). */
  predictFn?: PredictFn;
  /** Largest accepted request body in bytes (default 50 MB); larger → 413. */
  maxBodyBytes?: number;
  /** A drift monitor: handed each scored batch, its latest figures published on `/metrics`. */
  monitor?: ScoringMonitor;
  /** Put stack traces in error replies (default `false`: never expose internals). */
  debug?: boolean;
  /** Structured access log, one JSON line per request (default: none). */
  log?: AccessLog;
  /** CORS: `true` allows any origin (`*`), a string allows that origin; default off (no CORS headers). */
  cors?: boolean | string;
  /** Metrics registry; pass one to share counters between handlers (default: a new one). */
  metrics?: ServerMetrics;
}

/** A request handler with its metrics registry attached. */
export interface ScoringHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** The handler's counters (what `/metrics` renders). */
  readonly metrics: ServerMetrics;
  /** While true, replies carry `Connection: close` so keep-alive clients move on (set during shutdown). */
  draining: boolean;
}

type BodyRequest = IncomingMessage & { body?: unknown };

/**
 * Creates the MLflow-compatible scoring handler.
 *
 * Routes: `GET /ping` and `GET /health` (200, body `"\n"`), `GET /version` (the package
 * version), `GET /metrics` (Prometheus text), `POST /invocations` (scoring). Each request
 * is independent (no state is kept between requests apart from the metrics counters),
 * so any number of processes or replicas can serve the same model behind a load balancer.
 *
 * Scoring runs synchronously on the event loop: the WASM kernels are fast enough that a
 * single-row request takes well under a millisecond; use `--workers` for more cores.
 *
 * @param options - see {@link ScoringHandlerOptions}
 * @returns a `(req, res) => void` handler (also carrying `metrics`)
 * @example
 * import { createServer } from 'node:http';
 * const handler = createScoringHandler({ model: await loadModel(doc) });
 * createServer(handler).listen(5000, '127.0.0.1');
 * // Express: app.use('/model', handler)  → POST /model/invocations
 */
export function createScoringHandler(options: ScoringHandlerOptions): ScoringHandler {
  const { model, monitor, log } = options;
  const predictFn: PredictFn = options.predictFn ?? 'predict';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const debug = options.debug ?? false;
  const metrics = options.metrics ?? new ServerMetrics();
  const corsOrigin = options.cors === true ? '*' : typeof options.cors === 'string' ? options.cors : null;
  const signature = model.signature_ ?? null;
  if (predictFn !== 'predict' && predictFn !== 'predict_proba') {
    throw new ScoringError('INVALID_PARAMETER_VALUE', `predictFn must be 'predict' or 'predict_proba'; got '${String(predictFn)}'.`);
  }

  const handler = ((req: BodyRequest, res: ServerResponse) => {
    const start = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    const state = { rows: 0, errorCode: undefined as string | undefined, bytesIn: 0, bytesOut: 0 };
    metrics.inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      metrics.inFlight--;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observe(path, res.statusCode, seconds, state.rows, state.errorCode);
      if (log) {
        const entry: AccessLogEntry = {
          time: new Date().toISOString(), method: req.method ?? '', path, status: res.statusCode,
          durationMs: Math.round(seconds * 1e6) / 1e3, bytesIn: state.bytesIn, bytesOut: state.bytesOut,
        };
        if (state.rows) entry.rows = state.rows;
        if (state.errorCode) entry.errorCode = state.errorCode;
        if (req.socket?.remoteAddress) entry.remote = req.socket.remoteAddress;
        try {
          if (typeof log === 'function') log(entry);
          else log.write(JSON.stringify(entry) + '\n');
        } catch { /* a failing log never fails a request */ }
      }
    };
    res.once('finish', finish);
    res.once('close', finish);

    const send = (status: number, contentType: string, body: string, extra: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      const buf = Buffer.from(body, 'utf8');
      state.bytesOut = buf.length;
      const headers: Record<string, string | number> = { 'Content-Type': contentType, 'Content-Length': buf.length, ...extra };
      if (corsOrigin) {
        headers['Access-Control-Allow-Origin'] = corsOrigin;
        if (corsOrigin !== '*') headers.Vary = 'Origin';
      }
      if (handler.draining) headers.Connection = 'close';
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : buf);
    };
    const sendError = (err: ScoringError, extra?: Record<string, string>) => {
      state.errorCode = err.errorCode;
      send(err.status, 'application/json', errorBody(err, debug), extra);
    };

    try {
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS' && corsOrigin) {
        if (res.headersSent) return;
        res.writeHead(204, {
          'Access-Control-Allow-Origin': corsOrigin,
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      switch (path) {
        case '/ping':
        case '/health':
        case '/version':
        case '/metrics':
          if (method !== 'GET' && method !== 'HEAD') {
            sendError(new ScoringError('BAD_REQUEST', `Method ${method} is not allowed on ${path}; use GET.`, { status: 405 }), { Allow: 'GET, HEAD' });
            req.resume();
            return;
          }
          if (path === '/version') send(200, 'application/json', VERSION);
          else if (path === '/metrics') send(200, 'text/plain; version=0.0.4; charset=utf-8', metrics.render(monitor));
          else send(200, 'application/json', '\n');
          req.resume();
          return;
        case '/invocations':
          if (method !== 'POST') {
            sendError(new ScoringError('BAD_REQUEST', `Method ${method} is not allowed on /invocations; use POST.`, { status: 405 }), { Allow: 'POST' });
            req.resume();
            return;
          }
          break;
        default:
          sendError(new ScoringError('ENDPOINT_NOT_FOUND',
            `No endpoint ${path}. The endpoints are POST /invocations, GET /ping, /health, /version, /metrics.`));
          req.resume();
          return;
      }
    } catch (e) {
      sendError(toScoringError(e));
      return;
    }

    const invoke = (body: Uint8Array | string | object) => {
      try {
        const parsed = parseInvocation(body, req.headers['content-type'], signature);
        const predictions = score(model, parsed.frame, predictFn);
        state.rows = parsed.frame.nRows;
        if (monitor?.observe) {
          try {
            if (predictFn === 'predict') monitor.observe(parsed.frame, { labels: predictions as (number | string)[] });
            else monitor.observe(parsed.frame);
          } catch { metrics.monitorFailed(); }
        }
        send(200, 'application/json', formatPredictions(predictions));
      } catch (e) {
        if (e instanceof PlainReply) {
          state.errorCode = 'UNSUPPORTED_MEDIA_TYPE';
          send(e.status, 'text/plain; charset=utf-8', e.message);
        } else {
          sendError(toScoringError(e));
        }
      }
    };

    // A framework's body parser may have consumed the stream already.
    if (req.body !== undefined && (req.readableEnded || typeof req.body !== 'object' || req.body instanceof Uint8Array)) {
      const b = req.body;
      state.bytesIn = typeof b === 'string' ? Buffer.byteLength(b) : b instanceof Uint8Array ? b.length : 0;
      invoke(b as Uint8Array | string | object);
      return;
    }

    const tooLarge = () => new ScoringError('REQUEST_LIMIT_EXCEEDED',
      `The request body exceeds the limit of ${maxBodyBytes} bytes. Send smaller batches, or raise the limit (--max-body-bytes).`,
      { status: 413 });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      state.bytesIn = declared;
      sendError(tooLarge(), { Connection: 'close' });
      req.resume(); // discard the body; the connection closes after it
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > maxBodyBytes) {
        over = true;
        chunks.length = 0;
        sendError(tooLarge(), { Connection: 'close' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      state.bytesIn = size;
      if (over) return;
      invoke(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', () => { /* client went away: nothing to answer */ });
  }) as ScoringHandler;
  Object.defineProperty(handler, 'metrics', { value: metrics, enumerable: true });
  handler.draining = false;
  return handler;
}
