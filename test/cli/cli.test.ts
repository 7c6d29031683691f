import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeFixtures, type CliFixtures } from './fixtures.js';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');

interface Result { code: number | null; stdout: string; stderr: string }

function cli(args: string[], input?: string, timeoutMs = 60_000): Promise<Result> {
  return new Promise((res, rej) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`timed out: ${args.join(' ')}\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); res({ code, stdout, stderr }); });
    child.stdin.end(input ?? '');
  });
}

let fx: CliFixtures;
beforeAll(() => { fx = makeFixtures(); });
afterAll(() => { if (fx) rmSync(fx.dir, { recursive: true, force: true }); });

describe('wasmlearn help and usage errors', () => {
  it('--help lists the commands and exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['score', 'evaluate', 'drift', 'check', 'serve']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes');
  });
  it('each command has --help', async () => {
    for (const c of ['score', 'evaluate', 'drift', 'check', 'serve']) {
      const r = await cli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: wasmlearn ${c}`);
    }
  });
  it('an unknown command or option, or a missing value, exits 2', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    const a = await cli(['score', '--model', 'm.json', '--bogus']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("Unknown option '--bogus'");
    const b = await cli(['score', '--input', 'x.csv']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--model is required');
    const c = await cli(['score', '--model', 'm.json', '--input', 'x.csv', '--predict-fn', 'decision']);
    expect(c.code).toBe(2);
  });
});

describe('wasmlearn score', () => {
  it('writes prediction and proba_<class> columns matching the model', async () => {
    const out = join(fx.dir, 'scores.csv');
    const r = await cli(['score', '--model', fx.model, '--input', fx.unlabelled, '--output', out, '--predict-fn', 'predict_proba']);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('prediction,proba_0,proba_1');
    expect(lines).toHaveLength(fx.testRows.length + 1);
    const labels = fx.clf.predict(fx.testRows);
    const proba = fx.clf.predictProba(fx.testRows);
    lines.slice(1).forEach((line, i) => {
      const [p, p0, p1] = line.split(',').map(Number);
      expect(p).toBe(labels[i]);
      expect(p0).toBe(proba.get(i, 0));
      expect(p1).toBe(proba.get(i, 1));
    });
  });
  it('streams large inputs from stdin in chunks, with progress on stderr', async () => {
    const csv = readFileSync(fx.unlabelled, 'utf8').trim().split('\n');
    const body = [csv[0], ...Array.from({ length: 40 }, () => csv.slice(1)).flat()].join('\n') + '\n';
    const r = await cli(['score', '--model', fx.model, '--input', '-', '--chunk-rows', '1000'], body);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('prediction');
    expect(lines).toHaveLength(40 * (csv.length - 1) + 1);
    expect(r.stderr).toMatch(/scored \d+ rows/);
    const labels = fx.clf.predict(fx.testRows);
    expect(lines.slice(1, 1 + labels.length).map(Number)).toEqual(labels);
  });
  it('a missing column or a bad value exits 3 with the row in the whole file', async () => {
    const csv = readFileSync(fx.unlabelled, 'utf8').trim().split('\n');
    const noAge = csv.map((l) => l.split(',').slice(1).join(',')).join('\n');
    writeFileSync(join(fx.dir, 'noage.csv'), noAge);
    const a = await cli(['score', '--model', fx.model, '--input', join(fx.dir, 'noage.csv')]);
    expect(a.code).toBe(3);
    expect(a.stderr).toContain("Model is missing inputs ['age']");
    const bad = [...csv];
    bad[150] = 'old' + bad[150].slice(bad[150].indexOf(','));
    writeFileSync(join(fx.dir, 'bad.csv'), bad.join('\n'));
    const b = await cli(['score', '--model', fx.model, '--input', join(fx.dir, 'bad.csv'), '--chunk-rows', '100']);
    expect(b.code).toBe(3);
    expect(b.stderr).toContain("'old'");
    const c = await cli(['score', '--model', join(fx.dir, 'nope.json'), '--input', fx.unlabelled]);
    expect(c.code).toBe(3);
    expect(c.stderr).toContain('No model at');
    const d = await cli(['score', '--model', fx.model, '--input', join(fx.dir, 'nope.csv')]);
    expect(d.code).toBe(3);
  });
});

describe('wasmlearn evaluate and check', () => {
  it('evaluate prints metrics and writes JSON', async () => {
    const json = join(fx.dir, 'eval.json');
    const r = await cli(['evaluate', '--model', fx.model, '--input', fx.test, '--target', 'target', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy\s+0\.\d+/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.summary.n).toBe(fx.testRows.length);
    expect(out.figures.accuracy).toBeGreaterThan(0.7);
    expect(out.figures.roc_auc).toBeGreaterThan(0.7);
  });
  it('evaluate with a missing target column exits 3', async () => {
    const r = await cli(['evaluate', '--model', fx.model, '--input', fx.test, '--target', 'label']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('"label"');
  });
  it('check passes (0) and fails (1) on thresholds, printing Markdown', async () => {
    const pass = await cli(['check', '--model', fx.model, '--input', fx.test, '--target', 'target', '--min', 'accuracy=0.6']);
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toContain('## wasmlearn check');
    expect(pass.stdout).toContain('| `accuracy` |');
    const fail = await cli(['check', '--model', fx.model, '--input', fx.test, '--target', 'target', '--min', 'accuracy=0.99,roc_auc=0.5']);
    expect(fail.code, fail.stderr).toBe(1);
    expect(fail.stdout, fail.stderr).toContain('## wasmlearn check');
    expect(fail.stdout).toContain('**FAIL**');
    expect(fail.stdout).toContain('**Failed**: 1 of 2 gates.');
    const bad = await cli(['check', '--model', fx.model, '--input', fx.test, '--target', 'target', '--min', 'accuracy']);
    expect(bad.code).toBe(2);
  });
});

describe('wasmlearn drift', () => {
  it('reports drift between reference and current data', async () => {
    const json = join(fx.dir, 'drift.json');
    const r = await cli(['drift', '--reference', fx.train, '--current', fx.drifted, '--exclude', 'target', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dataset_drift_share\s+\d/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.dataset.share).toBeGreaterThan(0);
  });
  it('check gates on drift: dataset_drift_share above --max exits 1', async () => {
    const same = await cli(['check', '--reference', fx.train, '--current', fx.test, '--max', 'dataset_drift_share=0.5']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    const drifted = await cli(['check', '--reference', fx.train, '--current', fx.drifted, '--max', 'dataset_drift_share=0.1']);
    expect(drifted.code, drifted.stderr).toBe(1);
    expect(drifted.stdout).toContain('`dataset_drift_share`');
  });
  it('--report writes a self-contained HTML report with a histogram per column', async () => {
    const path = join(fx.dir, 'r.html');
    const r = await cli(['drift', '--reference', fx.train, '--current', fx.drifted, '--report', path]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toMatch(/<(link|img)[^>]+(href|src)=["']https?:/i);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(10);
  });
});

describe('wasmlearn serve', () => {
  function startServe(args: string[], model = fx.model): Promise<{ child: ChildProcess; url: string; stderr: () => string; stdout: () => string }> {
    return new Promise((res, rej) => {
      const child = spawn(TSX, [MAIN, 'serve', '--model', model, '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '', stdout = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`serve did not start:\n${stderr}`)); }, 30_000);
      child.stdout!.on('data', (d) => { stdout += d; });
      child.stderr!.on('data', (d) => {
        stderr += d;
        const m = /serving on (http:\/\/[^ ]+)/.exec(stderr);
        if (m) { clearTimeout(timer); res({ child, url: m[1], stderr: () => stderr, stdout: () => stdout }); }
      });
      child.on('exit', () => { clearTimeout(timer); rej(new Error(`serve exited:\n${stderr}`)); });
    });
  }
  const exited = (child: ChildProcess) => new Promise<number | null>((r) => {
    if (child.exitCode !== null) r(child.exitCode);
    else child.once('exit', (code) => r(code));
  });

  it('serves the model, logs JSON lines, and exits 0 on SIGTERM', async () => {
    const s = await startServe([]);
    try {
      const res = await fetch(`${s.url}/invocations`, {
        method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: readFileSync(fx.unlabelled, 'utf8'),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).predictions).toEqual(fx.clf.predict(fx.testRows));
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await exited(s.child)).toBe(0);
    const entry = JSON.parse(s.stdout().trim().split('\n')[0]);
    expect(entry).toMatchObject({ method: 'POST', path: '/invocations', status: 200 });
  });

  it('serves an MLflow model directory (cloudpickled scikit-learn pipeline) with --functions: same predictions as scikit-learn', async () => {
    const fixtures = join(ROOT, 'test', 'fixtures', 'pickles');
    const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')).heart;
    const fnPath = join(fx.dir, 'functions.mjs');
    writeFileSync(fnPath, 'export function ratio({ thalach, trestbps }) { return thalach.map((v, i) => v / trestbps[i]); }\n');
    const without = await cli(['serve', '--model', join(fixtures, 'mlflow_model'), '--port', '0']);
    expect(without.code).toBe(3);
    expect(without.stderr).toContain('NOT_REGISTERED');
    const s = await startServe(['--no-access-log', '--functions', fnPath], join(fixtures, 'mlflow_model'));
    try {
      // the MLflow tutorial's client request: test.to_json(orient='split') as the body
      const res = await fetch(`${s.url}/invocations`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(expected.input),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).predictions).toEqual(expected.predict);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await exited(s.child)).toBe(0);
  });

  it('a model that cannot be loaded exits 3', async () => {
    writeFileSync(join(fx.dir, 'broken.json'), '{"format": "wasmlearn.model", "formatVersion": 99}');
    const r = await cli(['serve', '--model', join(fx.dir, 'broken.json'), '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('INVALID_MODEL');
  });

  it('--workers 2 shares the port and replaces a worker that dies', async () => {
    const s = await startServe(['--workers', '2', '--no-access-log']);
    try {
      for (let i = 0; i < 50 && (s.stderr().match(/serving on/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      const pids = [...s.stderr().matchAll(/\(worker (\d+)\)/g)].map((m) => Number(m[1]));
      expect(pids).toHaveLength(2);
      process.kill(pids[0], 'SIGKILL');
      for (let i = 0; i < 100 && (s.stderr().match(/serving on/g) ?? []).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      expect(s.stderr()).toContain(`worker ${pids[0]} died`);
      expect((s.stderr().match(/serving on/g) ?? []).length).toBe(3);
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${s.url}/ping`);
        expect(res.status).toBe(200);
      }
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await exited(s.child)).toBe(0);
  });
});
