/**
 * Fuzzing the two text front doors: the CSV reader shared by the server's `text/csv` bodies
 * and the CLI (`parseCsv`, `readCsvChunks`), and HTTP bodies posted to the scoring handler
 * (`startServer` on 127.0.0.1, ephemeral port, the heart model). CSV: typed columns or
 * INVALID_INPUT. HTTP: 200 with finite probabilities, or a 4xx whose JSON body is MLflow's
 * `{error_code, message}` without a stack trace (415 is plain text, as MLflow); never a 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame } from '../../src/index.js';
import { parseCsv } from '../../src/serve/csv.js';
import { readCsvChunks } from '../../src/cli/csv-stream.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { HEART_COLS, HEART_ROW, fuzz, fuzzAsync, heartModel, typed } from './helpers.js';

const cellText = fc.oneof(
  fc.constantFrom('', 'NA', 'NaN', 'nan', 'null', 'None', '-nan', 'inf', '-Infinity', '1e400', '-0', '0x10', '1_000', ' 1 ', '1,5', '"', '""', '"a,b"',
    '"unclosed', 'a"b', '\r', '\n', '\r\n', '\uFEFF', '\u0000', 'é', '1e-400', '9007199254740993', '--1', '+.5', '.', 'e5', 'TRUE'),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 5 }),
);
const csvText = fc.tuple(
  fc.array(fc.oneof(fc.constantFrom(...HEART_COLS), fc.constantFrom('', 'a', 'age', 'Unnamed: 0'), fc.string({ maxLength: 3 })), { minLength: 0, maxLength: 6 }),
  fc.array(fc.array(cellText, { maxLength: 7 }), { maxLength: 8 }),
  fc.constantFrom('\n', '\r\n', '\r'),
  fc.boolean(),
).map(([header, rows, eol, bom]) => (bom ? '\uFEFF' : '') + [header, ...rows].map((r) => r.join(',')).join(eol));

describe('CSV reader', () => {
  it('parseCsv: typed columns (numbers or strings or null, equal lengths) or INVALID_INPUT', () => {
    fuzz('parseCsv', fc.oneof(csvText, fc.string({ maxLength: 200 })), 3000, 0x5eed31, (text) => {
      const r = typed(() => {
        const cols = parseCsv(text);
        const lens = new Set(Object.values(cols).map((c) => c.length));
        expect(lens.size).toBeLessThanOrEqual(1);
        for (const c of Object.values(cols)) for (const v of c) expect(v === null || typeof v === 'number' || typeof v === 'string').toBe(true);
        return typed(() => Frame.from(cols));
      });
      return r;
    });
  });

  it('readCsvChunks (the CLI reader) on the same inputs: chunks or INVALID_INPUT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-fuzz-'));
    try {
      await fuzzAsync('readCsvChunks', csvText, 200, 0x5eed32, async (text) => {
        const f = join(dir, 'in.csv');
        writeFileSync(f, text);
        try {
          let rows = 0;
          for await (const c of readCsvChunks(f, 3)) rows += c.nRows;
          expect(rows).toBeGreaterThanOrEqual(0);
          return 'ok';
        } catch (e) {
          expect(e).toMatchObject({ name: 'WasmlearnError', code: 'INVALID_INPUT' });
          return 'error';
        }
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('HTTP bodies to the scoring server', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await startServer({ model: heartModel().model, predictFn: 'predict_proba', port: 0, host: '127.0.0.1', maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => { await srv?.close(); });

  const rows = fc.array(fc.record(Object.fromEntries(HEART_COLS.map((c) => [c, fc.oneof(
    { weight: 8, arbitrary: fc.constant(HEART_ROW[c]) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  )])), { requiredKeys: [] }), { maxLength: 5 });
  const jsonBody = fc.oneof(
    rows.map((r) => ({ dataframe_records: r })),
    rows.map((r) => ({ dataframe_split: { columns: HEART_COLS, data: r.map((o) => HEART_COLS.map((c) => (o as Record<string, unknown>)[c])) } })),
    rows.map((r) => ({ instances: r })),
    rows.map((r) => ({ inputs: Object.fromEntries(HEART_COLS.map((c) => [c, r.map((o) => (o as Record<string, unknown>)[c])])) })),
    rows.map((r) => ({ columns: HEART_COLS, data: r.map((o) => HEART_COLS.map((c) => (o as Record<string, unknown>)[c])) })),
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ dataframe_split: fc.jsonValue({ maxDepth: 3 }), params: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
  ).map((v) => JSON.stringify(v));
  const body = fc.oneof(
    { weight: 6, arbitrary: jsonBody },
    { weight: 2, arbitrary: fc.tuple(jsonBody, fc.nat(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '"', '{', ']', '\u0000', '\\u0000', ',', '1e999'))
      .map(([s, at, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: csvText },
    { weight: 1, arbitrary: fc.constant('x'.repeat(70 * 1024)) },
  );
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/csv', 'text/csv; charset=latin-1',
    'application/json; format=pandas-split', 'text/plain', '', 'APPLICATION/JSON', 'multipart/form-data; boundary=x');
  const path = fc.constantFrom('/invocations', '/invocations', '/invocations', '/ping', '/nope', '/invocations?x=1', '//invocations');
  const method = fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE');

  it('any body, content type, path and method: 200 with valid probabilities, or a 4xx in MLflow shape', async () => {
    await fuzzAsync('HTTP /invocations', fc.tuple(body, contentType, path, method), 800, 0x5eed33, async ([b, ct, p, m]) => {
      const headers: Record<string, string> = ct ? { 'Content-Type': ct } : {};
      const res = await fetch(`${srv.url}${p}`, { method: m, headers, body: m === 'GET' ? undefined : (typeof b === 'string' ? b : b) });
      const text = await res.text();
      expect(res.status, text).toBeLessThan(500);
      if (res.status === 200) {
        if (p.startsWith('/invocations')) {
          const preds = JSON.parse(text).predictions as number[][];
          for (const row of preds) {
            expect(row.every((x) => typeof x === 'number' && x >= 0 && x <= 1)).toBe(true);
            expect(Math.abs(row[0] + row[1] - 1)).toBeLessThan(1e-9);
          }
        }
        return 'ok';
      }
      expect(res.status).toBeGreaterThanOrEqual(400);
      if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
        const j = JSON.parse(text);
        expect(typeof j.error_code).toBe('string');
        expect(typeof j.message).toBe('string');
        expect(j.stack_trace).toBeUndefined();
        expect(text).not.toMatch(/\n\s+at /);
      } else {
        expect([413, 415, 408, 431]).toContain(res.status);
      }
      return 'error';
    });
  });
});
