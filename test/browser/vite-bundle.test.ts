/**
 * The package as a user installs it (`npm pack` tarball) bundled by Vite with no
 * configuration at all, then run in Debian's Chromium: the embedded wasm must load through
 * the bundler, `init()` must start it, and a pipeline must fit and score in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const READY = existsSync(CHROMIUM) && existsSync(VITE);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
if (!READY) console.warn(`Vite bundle test skipped: needs ${CHROMIUM} (apt-get install chromium) and vite (npm ci).`);

const MAIN = `
import { init, Pipeline, StandardScaler, LogisticRegression, jensenshannon, isReady } from 'wasmlearn';
const out = document.getElementById('out');
try {
  await init();
  const m = new Pipeline([['s', new StandardScaler()], ['lr', new LogisticRegression()]])
    .fit({ x: [0, 1, 2, 3, 4, 5] }, [0, 0, 0, 1, 1, 1]);
  const p = m.predictProba({ x: [5] });
  out.dataset.result = JSON.stringify({ ready: isReady(), label: m.predict({ x: [5] })[0], p1: p.get(0, 1), js: jensenshannon([1, 0], [0, 1]) });
} catch (e) {
  out.dataset.result = JSON.stringify({ error: String(e && e.message || e) });
}
`;

describe.skipIf(!READY)('wasmlearn bundled by Vite (no configuration) in Chromium', () => {
  let dir = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let url = '';

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'wasmlearn-vite-'));
    const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { wasmlearn: `file:${join(dir, tgz)}` } }));
    writeFileSync(join(app, 'index.html'), '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><div id="out"></div><script type="module" src="/main.js"></script></body></html>');
    writeFileSync(join(app, 'main.js'), MAIN);
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, stdio: 'ignore' });
    execFileSync(process.execPath, [VITE, 'build', '--logLevel', 'error'], { cwd: app, stdio: 'ignore' });
    const distDir = join(app, 'dist');
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
    server = createServer((req, res) => {
      const path = join(distDir, decodeURIComponent((req.url ?? '/').split('?')[0]) === '/' ? 'index.html' : decodeURIComponent(req.url!.split('?')[0]));
      if (!path.startsWith(distDir) || !existsSync(path)) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the bundle needs no extra asset and scores in the page with no console error and no outside request', async () => {
    const assets = readdirSync(join(dir, 'app', 'dist', 'assets'));
    expect(assets.filter((f) => f.endsWith('.wasm'))).toEqual([]); // the wasm travels inside the JS
    const page = await browser!.newPage();
    const errors: string[] = [], outside: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('out')?.dataset.result, undefined, { timeout: 30_000 });
    const result = JSON.parse((await page.getAttribute('#out', 'data-result'))!);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ready: true, label: 1 });
    expect(result.p1).toBeGreaterThan(0.5);
    expect(result.js).toBeCloseTo(Math.sqrt(Math.LN2), 12);
    expect(errors, errors.join('\n')).toEqual([]);
    expect(outside, outside.join('\n')).toEqual([]);
    await page.close();
  }, 60_000);
});
