/**
 * The load driver shared by the load tests and `bench/soak.ts`: the heart model, a mix of
 * valid and invalid `POST /invocations` requests (1 to 10,000 rows; malformed JSON, wrong
 * types, missing columns, unsupported media types, oversized bodies, wrong paths and
 * methods), and an autocannon run on 127.0.0.1 that classifies every response by the
 * request that produced it.
 */
// autocannon ships no types; the few fields used here are typed below (AutocannonResult).
// @ts-ignore -- untyped module
import autocannonUntyped from 'autocannon';
import {
  ColumnTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler, heartToCsv, makeHeart,
} from '../../src/index.js';
import { heartData } from '../helpers/heart.js';

/** The heart pipeline without its FunctionTransformer, so a separate process (the CLI) can load it. */
export function heartPipelineNoFunction(): Pipeline {
  const pre = new ColumnTransformer([
    ['num', new Pipeline([['imputer', new SimpleImputer({ strategy: 'median' })], ['scaler', new StandardScaler()]]), ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']],
    ['cat', new Pipeline([['imputer', new SimpleImputer({ strategy: 'constant', fillValue: 0 })], ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })]]), ['cp', 'restecg', 'ca', 'thal', 'slope']],
    ['binary', new SimpleImputer({ strategy: 'constant', fillValue: 0 }), ['sex', 'fbs', 'exang']],
  ]);
  const { X, y } = heartData(500, 3);
  return new Pipeline([['preprocessor', pre], ['classifier', new LogisticRegression()]]).fit(X, y);
}

/** One request template: what is sent and what class of answer it must get. */
export interface RequestTemplate {
  name: string;
  method: 'POST' | 'GET' | 'PUT';
  path: string;
  contentType?: string;
  body?: string;
  /** Rows scored when valid. */
  rows: number;
  /** 'valid' must be 200; 'invalid' must be this 4xx status. */
  expect: 'valid' | number;
}

function splitBody(nRows: number, seed: number): string {
  const { columns } = makeHeart({ nRows, seed });
  const { num: _n, target: _t, ...features } = columns as Record<string, Float64Array>;
  const names = Object.keys(features);
  const data = Array.from({ length: nRows }, (_, i) => names.map((c) => features[c][i]));
  return JSON.stringify({ dataframe_split: { columns: names, data } });
}

/**
 * The mixed request set: valid bodies of 1, 10, 100, 1,000 and 10,000 rows, and invalid ones.
 * Bodies over the limit are sent separately ({@link postOversized}): the server answers 413
 * and closes the connection, which autocannon's per-request bookkeeping does not follow.
 */
export function requestMix(): RequestTemplate[] {
  const one = makeHeart({ nRows: 1, seed: 9 }).columns as Record<string, Float64Array>;
  const row = Object.fromEntries(Object.entries(one).filter(([k]) => k !== 'num' && k !== 'target').map(([k, v]) => [k, v[0]]));
  const csv = heartToCsv(makeHeart({ nRows: 100, seed: 4 }));
  const J = 'application/json';
  return [
    { name: 'valid 1 row (records)', method: 'POST', path: '/invocations', contentType: J, body: JSON.stringify({ dataframe_records: [row] }), rows: 1, expect: 'valid' },
    { name: 'invalid JSON', method: 'POST', path: '/invocations', contentType: J, body: '{"dataframe_split": {', rows: 0, expect: 400 },
    { name: 'valid 10 rows (split)', method: 'POST', path: '/invocations', contentType: J, body: splitBody(10, 1), rows: 10, expect: 'valid' },
    { name: 'invalid: string in a numeric column', method: 'POST', path: '/invocations', contentType: J, body: JSON.stringify({ dataframe_records: [{ ...row, chol: 'high' }] }), rows: 0, expect: 400 },
    { name: 'valid 100 rows (csv)', method: 'POST', path: '/invocations', contentType: 'text/csv', body: csv, rows: 100, expect: 'valid' },
    { name: 'invalid: missing column', method: 'POST', path: '/invocations', contentType: J, body: JSON.stringify({ dataframe_records: [{ age: 50 }] }), rows: 0, expect: 400 },
    { name: 'valid 1,000 rows (split)', method: 'POST', path: '/invocations', contentType: J, body: splitBody(1000, 2), rows: 1000, expect: 'valid' },
    { name: 'invalid: media type', method: 'POST', path: '/invocations', contentType: 'text/plain', body: 'age=1', rows: 0, expect: 415 },
    { name: 'invalid: infinity', method: 'POST', path: '/invocations', contentType: J, body: `{"dataframe_records": [${JSON.stringify({ ...row, age: 0 }).replace('"age":0', '"age":Infinity')}]}`, rows: 0, expect: 400 },
    { name: 'valid 10,000 rows (split)', method: 'POST', path: '/invocations', contentType: J, body: splitBody(10_000, 3), rows: 10_000, expect: 'valid' },
    { name: 'invalid: unknown path', method: 'GET', path: '/nope', rows: 0, expect: 404 },
    { name: 'invalid: GET /invocations', method: 'GET', path: '/invocations', rows: 0, expect: 405 },
    { name: 'invalid: a list body', method: 'POST', path: '/invocations', contentType: J, body: '[1, 2, 3]', rows: 0, expect: 400 },
  ];
}

export interface TemplateCounts { sent: number; status: Record<number, number> }

export interface LoadResult {
  durationS: number;
  connections: number;
  requests: number;
  /** Connection errors and timeouts (no HTTP status). */
  errors: number;
  timeouts: number;
  non2xx: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  byTemplate: Record<string, TemplateCounts>;
  /** Valid requests answered 5xx or anything but 200. */
  validFailures: number;
  /** Invalid requests not answered with their expected 4xx. */
  invalidWrong: number;
  rowsScored: number;
}

/**
 * Runs autocannon against `url` with the request mix (each connection cycles through it).
 * Bounded by `durationS` or `amount` (whichever is given; `amount` wins).
 */
export async function runLoad(url: string, templates: RequestTemplate[], opts: { durationS?: number; amount?: number; connections: number }): Promise<LoadResult> {
  const byTemplate: Record<string, TemplateCounts> = Object.fromEntries(templates.map((t) => [t.name, { sent: 0, status: {} }]));
  let validFailures = 0, invalidWrong = 0, rowsScored = 0;
  const requests = templates.map((t) => ({
    method: t.method, path: t.path, body: t.body,
    headers: t.contentType ? { 'content-type': t.contentType } : {},
    onResponse: (status: number) => {
      const c = byTemplate[t.name];
      c.sent++;
      c.status[status] = (c.status[status] ?? 0) + 1;
      if (t.expect === 'valid') { if (status !== 200) validFailures++; else rowsScored += t.rows; }
      else if (status !== t.expect) invalidWrong++;
    },
  }));
  const result = await autocannon({
    url, connections: opts.connections, requests, timeout: 30,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS ?? 5 }),
  });
  return {
    durationS: result.duration, connections: opts.connections, requests: result.requests.total,
    errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    byTemplate, validFailures, invalidWrong, rowsScored,
  };
}

/**
 * Posts `count` bodies one byte over `maxBodyBytes`, `parallel` at a time, on fresh
 * connections; returns the status of each (or the socket error when the server closed first).
 */
export async function postOversized(url: string, maxBodyBytes: number, count: number, parallel = 4): Promise<(number | string)[]> {
  const { request } = await import('node:http');
  const body = Buffer.alloc(maxBodyBytes + 1, 0x20);
  const one = () => new Promise<number | string>((resolve) => {
    const req = request(`${url}/invocations`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(String(e.code)));
    req.end(body);
  });
  const out: (number | string)[] = [];
  for (let i = 0; i < count; i += parallel) out.push(...await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, one)));
  return out;
}

interface AutocannonResult {
  duration: number; errors: number; timeouts: number; non2xx: number;
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
}
const autocannon = autocannonUntyped as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/** Resident set size in MB. */
export const rssMb = () => Math.round(process.memoryUsage().rss / 1e5) / 10;
