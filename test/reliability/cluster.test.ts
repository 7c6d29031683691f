/**
 * Fault injection on `wasmlearn serve --workers 2` (node:cluster): a worker is killed with
 * SIGKILL while clients post requests; the other worker keeps answering, the primary starts a
 * replacement, and SIGTERM then stops everything with exit code 0. 127.0.0.1 only; the run is
 * bounded by request count and a 60 s guard, and the child processes are always stopped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveModel } from '../../src/index.js';
import { heartPipelineNoFunction } from './load.js';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-cluster-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
  });
}

describe('cluster: a worker killed under load', () => {
  it('the other worker keeps serving, a replacement starts, SIGTERM exits 0', async () => {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(saveModel(heartPipelineNoFunction())));
    const port = await freePort();
    child = spawn(TSX, [MAIN, 'serve', '--model', model, '--workers', '2', '--port', String(port), '--no-access-log'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const workers: number[] = [];
    const waiters: (() => void)[] = [];
    child.stderr!.on("data", (d) => {
      stderr += d;
      for (const m of String(d).matchAll(/serving on \S+ \(worker (\d+)\)/g)) { workers.push(Number(m[1])); waiters.splice(0).forEach((w) => w()); }
    });
    const exited = new Promise<number | null>((res) => child!.on('exit', (code) => res(code)));
    const guard = setTimeout(() => child?.kill('SIGKILL'), 60_000);
    const untilWorkers = async (n: number) => { while (workers.length < n) { if (child!.exitCode !== null) throw new Error(stderr); await new Promise<void>((r) => waiters.push(r)); } };
    await untilWorkers(2);

    const url = `http://127.0.0.1:${port}/invocations`;
    const body = JSON.stringify({ dataframe_records: [{ age: 63, sex: 1, cp: 1, trestbps: 145, chol: 233, fbs: 1, restecg: 2, thalach: 150, exang: 0, oldpeak: 2.3, slope: 3, ca: 0, thal: 6 }] });
    const tally = { before: 0, after: 0, connectionErrors: 0, hung: 0, non200: [] as number[] };
    let killed = false;
    // a fresh connection per request (agent: false), so the port's workers share the work
    const post = () => new Promise<void>((done) => {
      const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => { if (res.statusCode === 200) { if (killed) tally.after++; else tally.before++; } else tally.non200.push(res.statusCode ?? 0); done(); });
        res.on('error', () => { tally.connectionErrors++; done(); });
      });
      req.on('error', () => { tally.connectionErrors++; done(); });
      req.setTimeout(5_000, () => { tally.hung++; req.destroy(new Error('no answer in 5 s')); });
      req.end(body);
    });
    const load = async (n: number) => { for (let i = 0; i < n; i++) await post(); };
    const clients = Array.from({ length: 8 }, () => load(150));
    while (tally.before < 200 && tally.connectionErrors < 50) await new Promise((r) => setTimeout(r, 10));
    expect(tally.connectionErrors).toBe(0);
    const victim = workers[0];
    process.kill(victim, 'SIGKILL');
    killed = true;
    await untilWorkers(3);
    await Promise.all(clients);
    const replacement = workers[2];
    console.log(`cluster: killed worker ${victim}, replacement ${replacement}; 200s before ${tally.before}, after ${tally.after}, connection errors ${tally.connectionErrors}, unanswered ${tally.hung}, non-200 ${tally.non200.length}`);
    expect(stderr).toContain(`worker ${victim} died (SIGKILL); starting a new one`);
    expect(workers.slice(0, 2)).not.toContain(replacement);
    expect(tally.non200).toEqual([]);
    expect(tally.after).toBeGreaterThan(0);
    // Only the requests in flight on the killed worker fail: reset, or (a connection the primary
    // had just handed to it) never answered until the client's own timeout. At most one per client.
    expect(tally.connectionErrors).toBeLessThanOrEqual(8);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(guard);
  });
});
