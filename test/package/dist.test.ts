/**
 * The built package (npm run build → dist/) loads in Node as ESM and as CommonJS, with
 * the wasm embedded, and scores synchronously right after import.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');

beforeAll(() => {
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'index.cjs'))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }
}, 300_000);

const script = (kind: 'esm' | 'cjs') => `
  ${kind === 'esm' ? "import * as w from 'wasmlearn';" : "const w = require('wasmlearn');"}
  const t0 = performance.now();
  const m = new w.Pipeline([['s', new w.StandardScaler()], ['lr', new w.LogisticRegression()]])
    .fit({ x: [0, 1, 2, 3] }, [0, 0, 1, 1]);
  const p = m.predictProba({ x: [3] });
  console.log(JSON.stringify({ label: m.predict({ x: [3] })[0], p1: p.get(0, 1), ms: performance.now() - t0, ready: w.isReady() }));
`;

function run(kind: 'esm' | 'cjs'): { label: number; p1: number; ready: boolean } {
  const out = execFileSync(process.execPath, [kind === 'esm' ? '--input-type=module' : '--input-type=commonjs', '-e', script(kind)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('package', () => {
  it('loads as ESM through the package name and scores synchronously', () => {
    const r = run('esm');
    expect(r.label).toBe(1);
    expect(r.p1).toBeGreaterThan(0.5);
    expect(r.ready).toBe(true);
  });
  it('loads as CommonJS through the package name', () => {
    const r = run('cjs');
    expect(r.label).toBe(1);
    expect(r.p1).toBeGreaterThan(0.5);
  });
  it('wasmlearn/node adds the server and MLflow loading', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      "import * as n from 'wasmlearn/node'; console.log([typeof n.startServer, typeof n.readMlflowModel, typeof n.loadModel].join(','))"], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('function,function,function');
  });
  it('the browser-safe entry imports no node: modules', () => {
    const src = readFileSync(join(dist, 'index.js'), 'utf8');
    expect(src).not.toMatch(/from\s+["']node:/);
    expect(src).not.toMatch(/require\(["']node:/);
  });
  it('the wasm module is small (under 100 KB gzip)', () => {
    const wasm = readFileSync(join(root, 'build', 'wasmlearn.wasm'));
    expect(gzipSync(wasm).length).toBeLessThan(100 * 1024);
  });
});
