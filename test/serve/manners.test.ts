import { afterAll, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createScoringHandler, startServer, type AccessLogEntry, type RunningServer } from '../../src/serve/index.js';
import { FakeModel, ROWS, expectedLabels } from './fake-model.js';

const JSON_CT = { 'Content-Type': 'application/json' };
const body = JSON.stringify({ dataframe_records: ROWS });
const toClose: RunningServer[] = [];
afterAll(async () => { await Promise.all(toClose.map((s) => s.close())); });

async function start(opts: Partial<Parameters<typeof startServer>[0]> = {}) {
  const srv = await startServer({ model: new FakeModel(), port: 0, ...opts });
  toClose.push(srv);
  return srv;
}

describe('predict_proba', () => {
  it('returns one probability row per input row', async () => {
    const srv = await start({ predictFn: 'predict_proba' });
    const res = await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body });
    const { predictions } = await res.json();
    expect(predictions).toHaveLength(ROWS.length);
    predictions.forEach((row: number[], i: number) => {
      expect(row).toHaveLength(2);
      expect(row[0] + row[1]).toBeCloseTo(1, 12);
      expect(row[1] > 0.5 ? 1 : 0).toBe(expectedLabels(ROWS)[i]);
    });
  });
});

describe('access log, debug, CORS, monitor', () => {
  it('writes one structured JSON line per request', async () => {
    const lines: string[] = [];
    const srv = await start({ log: { write: (l: string) => lines.push(l) } });
    await (await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body })).text();
    await (await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body: '{' })).text();
    await new Promise((r) => setTimeout(r, 20));
    expect(lines).toHaveLength(2);
    const [ok, bad] = lines.map((l) => JSON.parse(l) as AccessLogEntry);
    expect(ok).toMatchObject({ method: 'POST', path: '/invocations', status: 200, rows: ROWS.length });
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    expect(bad).toMatchObject({ status: 400, errorCode: 'BAD_REQUEST' });
  });
  it('puts stack traces in error replies only with debug', async () => {
    const srv = await start({ debug: true });
    const res = await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body: '{"dataframe_records": [{"age": 1}]}' });
    const json = await res.json();
    expect(json.stack_trace).toEqual(expect.any(String));
  });
  it('answers CORS preflight and adds the origin header when enabled', async () => {
    const srv = await start({ cors: 'https://app.example' });
    const pre = await fetch(`${srv.url}/invocations`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const res = await fetch(`${srv.url}/ping`);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
  it('hands scored batches to the monitor and publishes its latest figures', async () => {
    let seen = 0;
    const monitor = { latest: () => ({ dataset_drift_share: 0.25, 'psi.age': 0.01 }), observe: (X: any) => { seen += X.nRows; } };
    const srv = await start({ monitor });
    await (await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body })).text();
    expect(seen).toBe(ROWS.length);
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    expect(text).toContain('wasmlearn_monitor_dataset_drift_share 0.25');
    expect(text).toContain('wasmlearn_monitor_psi_age 0.01');
  });
  it('a monitor that throws never fails a request', async () => {
    const monitor = { latest: () => { throw new Error('boom'); }, observe: () => { throw new Error('boom'); } };
    const srv = await start({ monitor });
    const res = await fetch(`${srv.url}/invocations`, { method: 'POST', headers: JSON_CT, body });
    expect(res.status).toBe(200);
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    expect(text).toContain('wasmlearn_monitor_errors_total 2');
  });
});

describe('mounting', () => {
  it('works as a plain node:http handler and after a JSON body parser (Express style)', async () => {
    const handler = createScoringHandler({ model: new FakeModel() });
    const server: Server = createServer((req, res) => {
      if (req.url === '/parsed/invocations') {
        // What express.json() leaves behind: the stream consumed, req.body an object.
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          (req as any).body = JSON.parse(Buffer.concat(chunks).toString());
          req.url = '/invocations';
          handler(req, res);
        });
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const p of ['/invocations', '/parsed/invocations']) {
        const res = await fetch(`${base}${p}`, { method: 'POST', headers: JSON_CT, body });
        expect(await res.json()).toEqual({ predictions: expectedLabels(ROWS) });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('limits', () => {
  it('a header block over maxHeaderSize is 431', async () => {
    const srv = await start({ maxHeaderSize: 2048 });
    const res = await fetch(`${srv.url}/ping`, { headers: { 'X-Big': 'a'.repeat(4096) } });
    expect(res.status).toBe(431);
  });
  it('a request slower than requestTimeoutMs is cut with 408', async () => {
    const srv = await start({ requestTimeoutMs: 300, headersTimeoutMs: 300 });
    srv.server.setTimeout(0);
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(srv.port, '127.0.0.1', () => {
        sock.write('POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
      });
      let data = '';
      sock.on('data', (d) => { data += d; });
      sock.on('close', () => resolve(data));
      sock.on('error', () => resolve(data));
      setTimeout(() => sock.destroy(), 5000).unref();
    });
    expect(reply).toContain('408');
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight finish, refuses new connections, then resolves close()', async () => {
    const srv = await startServer({ model: new FakeModel(), port: 0 });
    const payload = Buffer.from(body);
    const half = Math.floor(payload.length / 2);
    let resolveSent: () => void;
    const headersSent = new Promise<void>((r) => { resolveSent = r; });
    const response = new Promise<{ status: number; text: string; connection?: string }>((resolve, reject) => {
      const req = httpRequest(`${srv.url}/invocations`, {
        method: 'POST', headers: { ...JSON_CT, 'Content-Length': String(payload.length) },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.write(payload.subarray(0, half), () => resolveSent());
      setTimeout(() => req.end(payload.subarray(half)), 300);
    });
    await headersSent;
    for (let i = 0; i < 50 && srv.handler.metrics.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(srv.handler.metrics.inFlight).toBe(1);
    let closed = false;
    const closing = srv.close().then(() => { closed = true; });
    await new Promise((r) => setTimeout(r, 50));
    const refused = await new Promise<string>((resolve) => {
      const s = connect(srv.port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve('connected'); });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(closed).toBe(false);
    const r = await response;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ predictions: expectedLabels(ROWS) });
    expect(r.connection).toBe('close');
    await closing;
    expect(closed).toBe(true);
  });
});
