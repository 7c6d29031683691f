/**
 * The drift preview page and the HTML report in Chromium (playwright-core driving
 * Debian's /usr/bin/chromium): results equal the Node API's, charts render, bad input is
 * reported on the page, the page stays responsive, nothing is fetched from the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { Frame, HEART_DRIFTED, Profile, driftReport, heartToCsv, makeHeart, type DriftReport } from '../../src/index.js';
import { formatNumber, renderDriftReport } from '../../src/report/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const DIST = resolve(process.env.WASMLEARN_DIST ?? join(ROOT, 'dist'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
// Screenshots go to test/out; UPDATE_SCREENSHOTS=1 writes the README's copies in docs/img.
const IMG = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'img') : join(ROOT, 'test', 'out', 'img');
const OUT = join(ROOT, 'test', 'out');

if (!HAVE_CHROMIUM) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install chromium).`);

interface Tracked { errors: string[]; external: string[] }

/** Records console errors, page errors and any request that leaves the allowed origin. */
function track(page: Page, allowed: (url: string) => boolean): Tracked {
  const t: Tracked = { errors: [], external: [] };
  page.on('console', (m) => { if (m.type() === 'error') t.errors.push(m.text()); });
  page.on('pageerror', (e) => t.errors.push(e.message));
  page.on('request', (r) => { if (!allowed(r.url())) t.external.push(r.url()); });
  return t;
}

function distHasReport(): boolean {
  const f = join(DIST, 'index.js');
  return existsSync(f) && readFileSync(f, 'utf8').includes('renderReportBody');
}

/** Parses a CSV as the page's worker does (same Papa Parse options, same column rules). */
async function pageColumns() {
  const url = pathToFileURL(join(ROOT, 'examples/drift-preview/columns.js')).href;
  return (await import(url)) as {
    PARSE_CONFIG: Papa.ParseConfig;
    headerNames(r: string[], f: string): string[];
    ReferenceTable: new (names: string[], file: string) => { add(r: string[][]): void; finish(): { columns: Frame['columns']; nRows: number } };
    CurrentTable: new (names: string[], schema: unknown[], file: string) => { chunk(r: string[][]): Frame['columns'] };
  };
}

async function nodeProfiles(refText: string, curText: string): Promise<{ reference: Profile; current: Profile }> {
  const cols = await pageColumns();
  const parse = (text: string) => (Papa.parse<string[]>(text, { ...cols.PARSE_CONFIG } as Papa.ParseConfig<string[]>) as Papa.ParseResult<string[]>).data;
  const r = parse(refText);
  const table = new cols.ReferenceTable(cols.headerNames(r[0], 'ref'), 'ref');
  table.add(r.slice(1));
  const { columns, nRows } = table.finish();
  const reference = Profile.fromFrame(new Frame(columns, nRows));
  const c = parse(curText);
  const schema = reference.columns.map((x) => ({ name: x.name, type: x.type, categories: x.type === 'categorical' ? [...x.categories] : undefined }));
  const cur = new cols.CurrentTable(cols.headerNames(c[0], 'cur'), schema, 'cur');
  const current = reference.emptyLike().update(new Frame(cur.chunk(c.slice(1)), c.length - 1));
  return { reference, current };
}

/** The drifted columns are HEART_DRIFTED, plus `num` when it is a feature (it depends on the drifted columns). */
function expectHeartDrift(columns: readonly string[]): void {
  for (const c of HEART_DRIFTED) expect(columns).toContain(c);
  for (const c of columns) expect([...HEART_DRIFTED, 'num']).toContain(c);
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

describe.skipIf(!HAVE_CHROMIUM)('drift preview in Chromium', () => {
  let server: ChildProcess | undefined;
  let base = '';
  let browser: Browser;
  let dir = '';
  const files: Record<string, string> = {};
  let refText = '', curText = '';
  let nodeReport: DriftReport;
  let profiles: { reference: Profile; current: Profile };

  const local = (u: string) => u.startsWith(base) || u.startsWith('blob:') || u.startsWith('data:');

  beforeAll(async () => {
    if (!distHasReport() && !process.env.WASMLEARN_DIST) {
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
    }
    if (!distHasReport()) throw new Error(`${join(DIST, 'index.js')} does not export renderReportBody: src/index.ts must re-export './report/index.js' (then npm run build).`);
    dir = mkdtempSync(join(tmpdir(), 'wasmlearn-browser-'));
    refText = heartToCsv(makeHeart({ nRows: 5000, seed: 1 }));
    curText = heartToCsv(makeHeart({ nRows: 5000, seed: 2, drift: 1 }));
    const put = (name: string, data: string | Buffer) => { files[name] = join(dir, name); writeFileSync(files[name], data); };
    put('reference.csv', refText);
    put('current.csv', curText);
    profiles = await nodeProfiles(refText, curText);
    nodeReport = driftReport(profiles.reference, profiles.current, { target: 'target', retraining: true });
    // bad inputs
    put('other-header.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    put('empty.csv', '');
    put('header-only.csv', refText.split('\n')[0] + '\n');
    const png = Buffer.alloc(2048);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    for (let i = 12; i < png.length; i++) png[i] = (i * 7919) % 256;
    put('image.csv', png);
    put('empty-column.csv', 'x,blank,y\n1,,a\n2,,b\n3,,a\n');
    put('mixed.csv', 'x,y\n1,a\n2,b\nthree,a\n');
    const doc = profiles.reference.toJSON() as unknown as Record<string, unknown>;
    put('profile-v2.json', JSON.stringify({ ...doc, formatVersion: 2 }));
    put('profile.json', JSON.stringify(profiles.reference.toJSON()));

    server = spawn(process.execPath, [join(ROOT, 'scripts/preview.mjs'), '--port', '0', '--dist', DIST], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('preview server did not start within 15 s')), 15_000);
      let err = '';
      server!.stderr!.on('data', (d) => { err += d; });
      server!.on('exit', (code) => { clearTimeout(timer); fail(new Error(`preview server exited (${code}): ${err}`)); });
      server!.stdout!.on('data', (d) => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(d));
        if (m) { clearTimeout(timer); ok(m[0]); }
      });
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    mkdirSync(IMG, { recursive: true });
    mkdirSync(OUT, { recursive: true });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) server.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(width = 1200, height = 1000): Promise<{ page: Page; t: Tracked }> {
    const page = await browser.newPage({ viewport: { width, height } });
    const t = track(page, local);
    await page.goto(base);
    return { page, t };
  }

  async function upload(page: Page, reference: string, current: string): Promise<string> {
    await page.setInputFiles('#reference', reference);
    await page.setInputFiles('#current', current);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 60_000 });
    return (await page.getAttribute('body', 'data-state'))!;
  }

  it('the drift knob moves exactly HEART_DRIFTED (Node API, files parsed as the page parses them)', () => {
    expect([...nodeReport.dataset.driftedColumns].sort()).toEqual([...HEART_DRIFTED].sort());
    expect(nodeReport.dataset.drifted).toBe(false);
    // parsing as the page does equals the library on the generator's columns
    const a = makeHeart({ nRows: 5000, seed: 1 }), b = makeHeart({ nRows: 5000, seed: 2, drift: 1 });
    const direct = driftReport({ ...a.columns, target: a.target }, { ...b.columns, target: b.target }, { target: 'target' });
    direct.columns.forEach((c, i) => expect(close(nodeReport.columns[i].statistic, c.statistic)).toBe(true));
  });

  it('shows the verdict, the drifted columns and the Node API numbers, with a chart per column', async () => {
    const { page, t } = await openPage();
    expect(await upload(page, files['reference.csv'], files['current.csv'])).toBe('done');
    // verdict and retraining
    expect(await page.textContent('.wl-verdict h2')).toBe('Dataset drift: not detected');
    expect(await page.getAttribute('[data-n-drifted]', 'data-n-drifted')).toBe(String(nodeReport.dataset.nDrifted));
    expect(await page.textContent('[data-n-drifted]')).toBe(`${nodeReport.dataset.nDrifted} of ${nodeReport.dataset.nColumns}`);
    expect(await page.getAttribute('[data-retrain]', 'data-retrain')).toBe(String(nodeReport.retraining!.retrain));
    // highlighted rows = HEART_DRIFTED
    const drifted = await page.$$eval('#wl-features-h ~ table tbody tr.wl-drifted', (rows) => rows.map((r) => (r as HTMLElement).dataset.column));
    expect(drifted.sort()).toEqual([...HEART_DRIFTED].sort());
    // the page's report equals the Node API's
    const shown = await page.evaluate(() => (window as unknown as { driftPreview: { result: { report: DriftReport } } }).driftPreview.result.report);
    expect(shown.dataset).toEqual(nodeReport.dataset);
    expect(shown.columns.map((c) => c.column)).toEqual(nodeReport.columns.map((c) => c.column));
    shown.columns.forEach((c, i) => {
      const n = nodeReport.columns[i];
      expect([c.method, c.drifted, c.threshold]).toEqual([n.method, n.drifted, n.threshold]);
      expect(close(c.statistic, n.statistic), `${c.column}: ${c.statistic} vs ${n.statistic}`).toBe(true);
      expect(close(c.pvalue, n.pvalue)).toBe(true);
    });
    expect(close(shown.target!.statistic, nodeReport.target!.statistic)).toBe(true);
    // the numbers displayed in the table are the Node API's, formatted
    const cells = await page.$$eval('#wl-features-h ~ table tbody tr', (rows) => rows.map((r) => [
      (r as HTMLElement).dataset.column, ...Array.from((r as HTMLTableRowElement).cells).map((c) => c.textContent)]));
    for (const [name, , type, method, stat, pvalue, threshold, isDrifted] of cells) {
      const n = nodeReport.columns.find((c) => c.column === name)!;
      expect([type, method, stat, pvalue, threshold, isDrifted]).toEqual([n.type, n.method, formatNumber(n.statistic), formatNumber(n.pvalue), formatNumber(n.threshold), n.drifted ? 'Yes' : 'No']);
    }
    // one SVG chart per column (features + target)
    const charts = await page.$$eval('figure.wl-chart', (f) => f.map((x) => [(x as HTMLElement).dataset.column, x.querySelectorAll('svg rect').length]));
    expect(charts.map((c) => c[0])).toEqual([...nodeReport.columns.map((c) => c.column), 'target']);
    for (const [, rects] of charts) expect(rects).toBeGreaterThan(2);
    // sorting by statistic (descending on the second click)
    const stat = page.locator('#wl-features-h ~ table thead button[data-sort-col="3"]');
    await stat.click();
    await stat.click();
    const order = await page.$$eval('#wl-features-h ~ table tbody tr', (rows) => rows.map((r) => Number((r as HTMLTableRowElement).cells[3].dataset.sort)));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    await page.setViewportSize({ width: 1200, height: 1500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(IMG, 'drift-preview.png') });
    expect(statSync(join(IMG, 'drift-preview.png')).size).toBeLessThan(300_000);
    // prediction column: recomputed in the worker, reported separately
    await page.selectOption('#prediction', 'num');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelector('#wl-special-h') !== null, null, { timeout: 30_000 });
    const withPred = driftReport(profiles.reference, profiles.current, { target: 'target', prediction: 'num' });
    expect(await page.textContent('[data-n-drifted]')).toBe(`${withPred.dataset.nDrifted} of ${withPred.dataset.nColumns}`);
    expect(await page.$$eval('#wl-special-h ~ table tbody tr', (r) => r.map((x) => (x as HTMLElement).dataset.column))).toEqual(['target', 'num']);
    expect(t.errors).toEqual([]);
    expect(t.external).toEqual([]);
    await page.close();
  }, 120_000);

  it('takes a profile JSON as the reference', async () => {
    const { page, t } = await openPage();
    expect(await upload(page, files['profile.json'], files['current.csv'])).toBe('done');
    const shown = await page.evaluate(() => (window as unknown as { driftPreview: { result: { report: DriftReport } } }).driftPreview.result.report);
    expect(shown.dataset.driftedColumns).toEqual(nodeReport.dataset.driftedColumns);
    shown.columns.forEach((c, i) => expect(close(c.statistic, nodeReport.columns[i].statistic)).toBe(true));
    expect(t.errors).toEqual([]);
    expect(t.external).toEqual([]);
    await page.close();
  }, 60_000);

  it('reports bad input on the page and keeps working', async () => {
    const { page, t } = await openPage();
    const cases: [string, string, RegExp][] = [
      [files['reference.csv'], files['other-header.csv'], /has a different header: none of its columns \("a", "b", "c"\) is a reference column/],
      [files['reference.csv'], files['empty.csv'], /The current file "empty.csv" is empty \(0 bytes\)/],
      [files['reference.csv'], files['header-only.csv'], /has a header but no data rows/],
      [files['reference.csv'], files['image.csv'], /does not look like a CSV file: it holds binary data/],
      [files['empty-column.csv'], files['empty-column.csv'], /column "blank" is empty \(none of its 3 rows has a value\)/],
      [files['mixed.csv'], files['mixed.csv'], /column "x" mixes numbers and text: data row 1 holds the number 1, data row 3 holds the text "three"/],
      [files['profile-v2.json'], files['current.csv'], /not a usable wasmlearn profile: .*formatVersion.*version 1.*2/],
      [files['reference.csv'], files['profile.json'], /looks like JSON, not CSV/],
    ];
    for (const [ref, cur, message] of cases) {
      expect(await upload(page, ref, cur), String(message)).toBe('error');
      expect(await page.isVisible('#error')).toBe(true);
      expect(await page.textContent('#error')).toMatch(message);
      // still working: the good pair gives a result
      expect(await upload(page, files['reference.csv'], files['current.csv'])).toBe('done');
      expect(await page.isVisible('#error')).toBe(false);
    }
    // errors are shown on the page, not thrown into the console
    expect(t.errors).toEqual([]);
    expect(t.external).toEqual([]);
    await page.close();
  }, 180_000);

  it('renders the HTML report offline: no console errors, no requests, a chart per column', async () => {
    const report = driftReport(profiles.reference, profiles.current, { target: 'target', prediction: 'num', retraining: true });
    const html = renderDriftReport(report, { ...profiles, subtitle: 'Synthetic heart data: seed 1 (reference) vs seed 2 with drift 1 (current)' });
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const href = pathToFileURL(file).href;
    const t = track(page, (u) => u === href || u.startsWith('data:'));
    await page.goto(href);
    expect(await page.textContent('.wl-verdict h2')).toBe('Dataset drift: not detected');
    expect(await page.locator('figure.wl-chart svg').count()).toBe(report.columns.length + 2);
    await page.locator('#wl-special-h').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('wl-special-h')!.scrollIntoView());
    await page.screenshot({ path: join(IMG, 'drift-report.png') });
    expect(statSync(join(IMG, 'drift-report.png')).size).toBeLessThan(300_000);
    const stat = page.locator('#wl-features-h ~ table thead button[data-sort-col="3"]');
    await stat.click();
    expect(await page.getAttribute('#wl-features-h ~ table thead th:nth-child(4)', 'aria-sort')).toBe('ascending');
    const order = await page.$$eval('#wl-features-h ~ table tbody tr', (rows) => rows.map((r) => Number((r as HTMLTableRowElement).cells[3].dataset.sort)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // prints: a PDF renders without errors
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(t.errors).toEqual([]);
    expect(t.external).toEqual([]);
    await page.close();
  }, 60_000);

  it('loads the ESM build in a plain module page: sizes and cold start on 100k rows', async () => {
    const page = await browser.newPage();
    const t = track(page, local);
    await page.goto(`${base}smoke.html?rows=100000`);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
    const smoke = await page.evaluate(() => (window as unknown as { smoke: Record<string, unknown> }).smoke);
    expect(smoke.error).toBeUndefined();
    expect(smoke.ready).toBe(true);
    expectHeartDrift(smoke.driftedColumns as string[]);
    const wasm = readFileSync(join(ROOT, 'build', 'wasmlearn.wasm'));
    const js = readFileSync(join(DIST, 'index.js'));
    const figures = {
      ...smoke,
      wasmBytes: wasm.length, wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
      jsBytes: js.length, jsGzipBytes: gzipSync(js, { level: 9 }).length,
      chromium: browser.version(),
    };
    writeFileSync(join(OUT, 'browser-cold-start.json'), JSON.stringify(figures, null, 2) + '\n');
    console.log('browser cold start', JSON.stringify(figures));
    expect(figures.wasmGzipBytes).toBeLessThan(100_000);
    expect(t.errors).toEqual([]);
    expect(t.external).toEqual([]);
    await page.close();
  }, 90_000);

  it('processes 1M rows x 14 columns in the worker while the page stays responsive', async () => {
    const big = (seed: number, drift: number) => {
      const f = join(dir, `big-${seed}.csv`);
      writeFileSync(f, heartToCsv(makeHeart({ nRows: 1_000_000, seed, drift })));
      return f;
    };
    const ref = big(1, 0), cur = big(2, 1);
    const { page, t } = await openPage();
    // main-thread probe: the longest gap between timer ticks while the worker runs
    await page.evaluate(() => {
      const w = window as unknown as { probe: { maxGap: number; last: number; progress: number[] } };
      w.probe = { maxGap: 0, last: performance.now(), progress: [] };
      setInterval(() => {
        const now = performance.now();
        w.probe.maxGap = Math.max(w.probe.maxGap, now - w.probe.last);
        w.probe.last = now;
        const p = (document.getElementById('progress') as HTMLProgressElement).value;
        if (document.body.dataset.state === 'working') w.probe.progress.push(p);
      }, 20);
    });
    const t0 = Date.now();
    expect(await upload(page, ref, cur)).toBe('done');
    const seconds = (Date.now() - t0) / 1000;
    const probe = await page.evaluate(() => (window as unknown as { probe: { maxGap: number; progress: number[] } }).probe);
    const steps = new Set(probe.progress.map((p) => p.toFixed(2)));
    const result = await page.evaluate(() => (window as unknown as { driftPreview: { result: { report: DriftReport; info: Record<string, number> } } }).driftPreview.result);
    const figures = { rows: 1_000_000, seconds, maxMainThreadGapMs: probe.maxGap, progressSteps: steps.size, referenceMs: result.info.referenceMs, currentMs: result.info.currentMs, fileBytes: statSync(ref).size };
    writeFileSync(join(OUT, 'browser-1m-rows.json'), JSON.stringify(figures, null, 2) + '\n');
    console.log('1M rows', JSON.stringify(figures));
    expect(result.report.reference.rows).toBe(1_000_000);
    expect(result.report.current.rows).toBe(1_000_000);
    expectHeartDrift(result.report.dataset.driftedColumns);
    expect(steps.size).toBeGreaterThan(3);
    expect(probe.maxGap).toBeLessThan(250);
    expect(t.errors).toEqual([]);
    await page.close();
  }, 300_000);
});
