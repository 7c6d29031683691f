import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { FakeModel, ROWS, expectedLabels } from './fake-model.js';

const JSON_CT = { 'Content-Type': 'application/json' };
let srv: RunningServer;
let small: RunningServer;
const model = new FakeModel();

beforeAll(async () => {
  srv = await startServer({ model, port: 0 });
  small = await startServer({ model, port: 0, maxBodyBytes: 1024 });
});
afterAll(async () => {
  await srv?.close();
  await small?.close();
});

async function post(body: string | Buffer, headers: Record<string, string> = JSON_CT, base = srv.url) {
  const res = await fetch(`${base}/invocations`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* plain text */ }
  return { status: res.status, text, json, type: res.headers.get('content-type') };
}

const labels = expectedLabels(ROWS);
const split = { columns: ['age', 'sex', 'cp'], data: ROWS.map((r) => [r.age, r.sex, r.cp]) };

describe('health and version endpoints', () => {
  it('GET /ping and /health answer 200 with a newline, as MLflow', async () => {
    for (const p of ['/ping', '/health']) {
      const res = await fetch(`${srv.url}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('\n');
    }
  });
  it('GET /version answers the package version', async () => {
    const res = await fetch(`${srv.url}/version`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('unknown paths are 404 ENDPOINT_NOT_FOUND and GET /invocations is 405', async () => {
    const a = await fetch(`${srv.url}/nope`);
    expect(a.status).toBe(404);
    expect((await a.json()).error_code).toBe('ENDPOINT_NOT_FOUND');
    const b = await fetch(`${srv.url}/invocations`);
    expect(b.status).toBe(405);
    expect(b.headers.get('allow')).toBe('POST');
  });
  it('sends no CORS headers by default', async () => {
    const res = await fetch(`${srv.url}/ping`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('POST /invocations input formats', () => {
  it('dataframe_split', async () => {
    const r = await post(JSON.stringify({ dataframe_split: split }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
  });
  it('dataframe_split with an index (pandas to_json(orient="split"))', async () => {
    const r = await post(JSON.stringify({ dataframe_split: { ...split, index: [0, 1, 2, 3, 4] } }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('dataframe_records', async () => {
    const r = await post(JSON.stringify({ dataframe_records: ROWS }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
  });
  it('instances as records', async () => {
    const r = await post(JSON.stringify({ instances: ROWS }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('inputs as columns', async () => {
    const cols = { age: ROWS.map((r) => r.age), sex: ROWS.map((r) => r.sex), cp: ROWS.map((r) => r.cp) };
    const r = await post(JSON.stringify({ inputs: cols }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('inputs as positional rows take the signature order', async () => {
    const r = await post(JSON.stringify({ inputs: split.data }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('params are accepted alongside the data', async () => {
    const r = await post(JSON.stringify({ dataframe_records: ROWS, params: { threshold: 0.5 } }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
  });
  it('text/csv, including the unnamed index column pandas writes', async () => {
    const csv = ',age,sex,cp\n' + ROWS.map((r, i) => `${i},${r.age},${r.sex},${r.cp}`).join('\n') + '\n';
    const r = await post(csv, { 'Content-Type': 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
  });
  it('charset=utf-8 is accepted in any case', async () => {
    const r = await post(JSON.stringify({ dataframe_records: ROWS }), { 'Content-Type': 'application/json; charset=UTF-8' });
    expect(r.status).toBe(200);
  });
  it('extra columns are ignored and integers cast to double', async () => {
    const rows = ROWS.map((r) => ({ ...r, extra: 'x', age: Math.round(r.age) }));
    const r = await post(JSON.stringify({ dataframe_records: rows }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('numeric strings in a double column are cast to numbers', async () => {
    const rows = ROWS.map((r) => ({ ...r, age: String(r.age) }));
    const r = await post(JSON.stringify({ dataframe_records: rows }));
    expect(r.json).toEqual({ predictions: labels });
  });
  it('the unwrapped split document of MLflow 1.x clients is read as dataframe_split', async () => {
    const r = await post(JSON.stringify({ ...split, index: [0, 1, 2, 3, 4] }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
  });
});

describe('POST /invocations errors', () => {
  it('malformed JSON is 400 BAD_REQUEST', async () => {
    const r = await post('{"dataframe_split": ');
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('BAD_REQUEST');
    expect(r.json.message).toContain('valid JSON');
    expect(r.json.stack_trace).toBeUndefined();
  });
  it('a JSON list is 400 and names the accepted fields', async () => {
    const r = await post('[1, 2]');
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('Received a list');
  });
  it('unknown or several format keys are 400 BAD_REQUEST', async () => {
    const a = await post(JSON.stringify({ frame: split }));
    expect(a.status).toBe(400);
    expect(a.json.error_code).toBe('BAD_REQUEST');
    expect(a.json.message).toContain("Received dictionary with input fields: ['frame']");
    const b = await post(JSON.stringify({ dataframe_split: split, inputs: split.data }));
    expect(b.status).toBe(400);
  });
  it('dataframe_split with wrong shapes is 400', async () => {
    const a = await post(JSON.stringify({ dataframe_split: [[1, 2]] }));
    expect(a.status).toBe(400);
    expect(a.json.message).toContain('must be a dictionary');
    const b = await post(JSON.stringify({ dataframe_split: { columns: ['age', 'sex', 'cp'], data: [[1, 'male']] } }));
    expect(b.status).toBe(400);
    expect(b.json.error_code).toBe('BAD_REQUEST');
    const c = await post(JSON.stringify({ dataframe_split: { columns: ['age'], rows: [] } }));
    expect(c.status).toBe(400);
    expect(c.json.message).toContain("must have 'data' field");
  });
  it('dataframe_records that is not a list is 400', async () => {
    const r = await post(JSON.stringify({ dataframe_records: { age: 1 } }));
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('must be a list of records. Got dictionary');
  });
  it('another content type is 415 with a plain-text reason', async () => {
    const r = await post('age=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(r.type).toContain('text/plain');
    expect(r.text).toContain("only supports the following content types");
    const none = await fetch(`${srv.url}/invocations`, { method: 'POST', body: new Uint8Array([123, 125]) });
    expect(none.status).toBe(415);
  });
  it('a charset other than UTF-8 is 415', async () => {
    const r = await post(JSON.stringify({ dataframe_records: ROWS }), { 'Content-Type': 'application/json; charset=latin-1' });
    expect(r.status).toBe(415);
    expect(r.text).toBe('The scoring server only supports UTF-8');
  });
  it('unknown content-type parameters (MLflow 1.x format=pandas-split) are 415', async () => {
    const r = await post(JSON.stringify(split), { 'Content-Type': 'application/json; format=pandas-split' });
    expect(r.status).toBe(415);
    expect(r.text).toContain('Unrecognized content type parameters: format');
  });
  it('bytes that are not UTF-8 are 400 MALFORMED_REQUEST', async () => {
    const r = await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('MALFORMED_REQUEST');
  });
  it('NaN in JSON reaches the model as a missing value (as Python json.loads reads it)', async () => {
    const r = await post('{"dataframe_split": {"columns": ["age", "sex", "cp"], "data": [[NaN, "male", 1]]}}');
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('BAD_REQUEST');
    expect(r.json.message).toContain('NaN (a missing value) in column "age" at row 0');
  });
  it('Infinity in JSON reaches the model and is refused as non-finite', async () => {
    const r = await post('{"dataframe_records": [{"age": -Infinity, "sex": "male", "cp": 1}]}');
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('-Infinity');
  });
  it('a string containing NaN is not rewritten', async () => {
    const r = await post('{"dataframe_records": [{"age": 50, "sex": "NaN", "cp": 1}], "params": {"x": NaN}}');
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('unknown category "NaN"');
  });
  it('a missing column is 400 INVALID_PARAMETER_VALUE naming it and the extras', async () => {
    const r = await post(JSON.stringify({ dataframe_records: [{ age: 50, sex: 'male', chest_pain: 1 }] }));
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(r.json.message).toContain("Model is missing inputs ['cp']. Note that there were extra inputs: ['chest_pain'].");
  });
  it('a string in a double column is 400 naming the column and value', async () => {
    const r = await post(JSON.stringify({ dataframe_records: [{ age: 'old', sex: 'male', cp: 1 }] }));
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('BAD_REQUEST');
    expect(r.json.message).toContain("Failed to convert column age to type 'float64'");
    expect(r.json.message).toContain("'old'");
  });
  it('a fractional value in a long column is refused, not truncated', async () => {
    const r = await post(JSON.stringify({ dataframe_records: [{ age: 50, sex: 'male', cp: 1.5 }] }));
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(r.json.message).toContain('Can not safely convert float64 to int64');
  });
  it('an unknown category is 400 with the model message', async () => {
    const r = await post(JSON.stringify({ dataframe_records: [{ age: 50, sex: 'x', cp: 1 }] }));
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('unknown category "x"');
  });
  it('a malformed CSV is 400', async () => {
    const r = await post('age,sex,cp\n"63,male,1\n', { 'Content-Type': 'text/csv' });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('Failed to parse input as a Pandas DataFrame');
  });
  it('a body over the limit is 413 (declared length)', async () => {
    const r = await post(JSON.stringify({ dataframe_records: Array(100).fill(ROWS[0]) }), JSON_CT, small.url);
    expect(r.status).toBe(413);
    expect(r.json.error_code).toBe('REQUEST_LIMIT_EXCEEDED');
  });
  it('a chunked body over the limit is 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${small.url}/invocations`, { method: 'POST', headers: JSON_CT }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(512, 32));
      req.end();
    });
    expect(status).toBe(413);
  });
  it('a body over the default 50 MB limit is 413', async () => {
    const r = await post(Buffer.alloc(50 * 1024 * 1024 + 10, 32));
    expect(r.status).toBe(413);
  });
  it('keeps serving after all of the above', async () => {
    const r = await post(JSON.stringify({ dataframe_split: split }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ predictions: labels });
    const s = await post(JSON.stringify({ dataframe_split: split }), JSON_CT, small.url);
    expect(s.status).toBe(200);
  });
});

describe('/metrics', () => {
  it('reports requests by status, errors, latency and rows scored in Prometheus text', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toMatch(/wasmlearn_requests_total\{path="\/invocations",status="200"\} \d+/);
    expect(text).toMatch(/wasmlearn_requests_total\{path="\/invocations",status="400"\} \d+/);
    expect(text).toMatch(/wasmlearn_request_errors_total\{error_code="INVALID_PARAMETER_VALUE"\} \d+/);
    expect(text).toContain('# TYPE wasmlearn_request_duration_seconds histogram');
    expect(text).toMatch(/wasmlearn_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    expect(text).toMatch(/wasmlearn_rows_scored_total [1-9]\d*/);
    for (const line of text.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [-+\dNaInf.e]+)$/);
    }
  });
});
