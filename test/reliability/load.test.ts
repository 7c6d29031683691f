/**
 * Short, bounded load tests of the scoring server on 127.0.0.1 (ephemeral ports): a mixed
 * load of valid and invalid requests (1–10,000 rows), graceful shutdown under load, and a
 * drift monitor attached under concurrent requests. The long version is `npm run soak`
 * (bench/soak.ts). Nothing here asserts timings; latency and RSS are printed for the record.
 */
import { describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { DriftMonitor, Profile } from '../../src/index.js';
import { startServer } from '../../src/serve/index.js';
import { heartData } from '../helpers/heart.js';
import { heartModel } from '../fuzz/helpers.js';
import { postOversized, requestMix, rssMb, runLoad } from './load.js';

const MAX_BODY = 2 * 1024 * 1024;

describe('mixed load', () => {
  it('3 s at 16 connections plus 20 oversized bodies: every valid request 200, every invalid one its 4xx, no 5xx', async () => {
    const srv = await startServer({ model: heartModel().model, predictFn: 'predict_proba', port: 0, maxBodyBytes: MAX_BODY });
    try {
      const rss0 = rssMb();
      const [r, oversized] = await Promise.all([
        runLoad(srv.url, requestMix(), { durationS: 3, connections: 16 }),
        postOversized(srv.url, MAX_BODY, 20),
      ]);
      expect(oversized).toEqual(new Array(20).fill(413));
      console.log(`load: ${r.requests} requests, ${r.connections} connections, ${r.durationS} s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
        `errors ${r.errors}, valid failures ${r.validFailures}, invalid misanswered ${r.invalidWrong}, rows ${r.rowsScored}, RSS ${rss0} → ${rssMb()} MB`);
      expect(r.validFailures).toBe(0);
      expect(r.invalidWrong).toBe(0);
      for (const [name, c] of Object.entries(r.byTemplate)) {
        expect(Object.keys(c.status).filter((s) => Number(s) >= 500), name).toEqual([]);
        expect(c.sent, name).toBeGreaterThan(0);
      }
      expect(r.requests).toBeGreaterThan(0);
      // the server counted what the clients saw
      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      // (autocannon stops counting at the deadline; requests then in flight are scored but not seen)
      const scored = Number(/wasmlearn_rows_scored_total (\d+)/.exec(metrics)![1]);
      expect(scored).toBeGreaterThanOrEqual(r.rowsScored);
    } finally {
      await srv.close();
    }
  });
});

describe('graceful shutdown under load', () => {
  it('close() during the 100th of many concurrent 1,000-row requests (32 clients): every request that reached the model is answered 200', async () => {
    const { model } = heartModel();
    let modelCalls = 0;
    let inFlightAtClose = -1;
    let closing: Promise<void> | null = null;
    // close() is called from inside the 100th scoring call, so requests are certainly in flight.
    const counted = {
      classes_: model.classes_, signature_: model.signature_,
      predict: (X: Parameters<typeof model.predict>[0]) => { modelCalls++; return model.predict(X); },
      predictProba: (X: Parameters<typeof model.predictProba>[0]) => {
        if (++modelCalls === 100) { inFlightAtClose = srv.handler.metrics.inFlight; closing = srv.close(); }
        return model.predictProba(X);
      },
    };
    const srv = await startServer({ model: counted, predictFn: 'predict_proba', port: 0, shutdownTimeoutMs: 10_000 });
    const { X } = heartData(1000, 8);
    const names = Object.keys(X);
    const body = JSON.stringify({ dataframe_split: { columns: names, data: Array.from({ length: 1000 }, (_, i) => names.map((c) => X[c][i])) } });
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    let ok = 0, refused = 0, other = 0, stop = false;
    const otherErrors: string[] = [];
    const one = () => new Promise<void>((resolve) => {
      const req = request(`${srv.url}/invocations`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let n = 0;
        res.on('data', (d) => { n += d.length; });
        res.on('end', () => { if (res.statusCode === 200 && n > 0) ok++; else { other++; otherErrors.push(`status ${res.statusCode}`); } resolve(); });
        res.on('error', () => { other++; otherErrors.push('response cut'); resolve(); });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        // Refused after close, or a keep-alive socket the server closed as idle before this
        // request reached it: the request was never accepted.
        if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EPIPE') refused++;
        else { other++; otherErrors.push(String(e.code ?? e.message)); }
        resolve();
      });
      req.end(body);
    });
    const client = async () => { while (!stop) await one(); };
    const clients = Array.from({ length: 32 }, client);
    while (!closing) await new Promise((r) => setTimeout(r, 20));
    await closing;
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    console.log(`shutdown: ${ok} answered 200, ${modelCalls} reached the model, ${refused} refused/reset before acceptance, ${inFlightAtClose} in flight at close`);
    expect(inFlightAtClose).toBeGreaterThanOrEqual(1);
    expect(otherErrors).toEqual([]);
    expect(ok).toBe(modelCalls);
    expect(ok).toBeGreaterThan(0);
  });
});

describe('drift monitor under concurrent load', () => {
  it('observed rows == scored rows, windows bounded, over 400 concurrent requests of 1–500 rows', async () => {
    const { X } = heartModel();
    const reference = Profile.fromFrame(X);
    const monitor = new DriftMonitor({ reference, window: { rows: 700 }, maxWindows: 4 });
    const srv = await startServer({ model: heartModel().model, monitor, port: 0 });
    try {
      const data = heartData(500, 21, 1).X;
      const names = Object.keys(data);
      let sent = 0;
      const post = async (i: number) => {
        const n = 1 + ((i * 97) % 500);
        const body = JSON.stringify({ dataframe_split: { columns: names, data: Array.from({ length: n }, (_, r) => names.map((c) => data[c][r])) } });
        const res = await fetch(`${srv.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.status).toBe(200);
        const { predictions } = await res.json();
        expect(predictions).toHaveLength(n);
        sent += n;
      };
      for (let wave = 0; wave < 10; wave++) await Promise.all(Array.from({ length: 40 }, (_, j) => post(wave * 40 + j)));
      const f = monitor.latest();
      expect(f.rowsObserved).toBe(sent);
      expect(f.batchesObserved).toBe(400);
      expect(f.windowsClosed).toBe(Math.floor(sent / 700));
      expect(f.currentWindowRows).toBe(sent % 700);
      expect(monitor.windows().length).toBe(Math.min(4, f.windowsClosed));
      for (const w of monitor.windows()) expect(w.rows).toBe(700);
      const metrics = await (await fetch(`${srv.url}/metrics`)).text();
      expect(metrics).toContain(`wasmlearn_monitor_rows_observed ${sent}`);
      expect(metrics).toContain(`wasmlearn_rows_scored_total ${sent}`);
      expect(metrics).toContain('wasmlearn_monitor_errors_total 0');
    } finally {
      await srv.close();
    }
  });
});
