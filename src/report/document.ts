/**
 * The HTML drift report: one self-contained document (inline CSS and SVG, one tiny
 * inline script for sorting, no external assets), with the same content the browser
 * preview shows, because both render through {@link renderReportBody}.
 */
import { WasmlearnError, show } from '../core/errors.js';
import { VERSION } from '../model/document.js';
import type { Profile } from '../monitoring/profile.js';
import type { ColumnDrift, DriftReport } from '../monitoring/report.js';
import type { RetrainingSignal } from '../monitoring/retraining.js';
import { renderChart } from './chart.js';
import { profileDistributions, type ColumnDistribution } from './distribution.js';
import { escapeHtml } from './format.js';
import { REPORT_CSS } from './styles.js';
import { enableSorting, renderTable } from './table.js';
import { renderVerdict } from './summary.js';

/** Options of {@link renderDriftReport} and {@link renderReportBody}. */
export interface DriftReportHtmlOptions {
  /** The reference profile the report was computed from: its histograms and categories are charted. */
  reference?: Profile;
  /** The current profile (built against `reference`). */
  current?: Profile;
  /** Precomputed distributions ({@link profileDistributions}), instead of `reference` / `current`. */
  distributions?: Readonly<Record<string, ColumnDistribution>>;
  /** Title (default `'Data drift report'`). */
  title?: string;
  /** A line under the title, e.g. the file names (default none). */
  subtitle?: string;
  /** Retraining signal to show (default: `report.retraining`, else `retrainingSignal(report)` with its defaults). */
  retraining?: RetrainingSignal;
  /** Time stamp printed in the footer of the document (default: none, so the output is reproducible). */
  generatedAt?: string;
}

/**
 * Checks that a value is a drift report (`driftReport`'s output, possibly through JSON).
 * @param report - the value
 * @throws WasmlearnError `INVALID_INPUT` naming what is wrong
 */
export function checkReport(report: unknown): asserts report is DriftReport {
  const r = report as Partial<DriftReport> | null;
  if (r === null || typeof r !== 'object') throw new WasmlearnError('INVALID_INPUT', `Expected a drift report object (from driftReport); got ${show(report)}.`);
  if (r.format !== 'wasmlearn.driftReport') throw new WasmlearnError('INVALID_INPUT', `Expected a drift report with format "wasmlearn.driftReport"; got format ${show(r.format)}.`, { field: 'format' });
  if (r.formatVersion !== 1) throw new WasmlearnError('INVALID_INPUT', `This renderer knows drift report version 1; the report has version ${show(r.formatVersion)}.`, { field: 'formatVersion' });
  if (!Array.isArray(r.columns) || r.dataset === null || typeof r.dataset !== 'object') {
    throw new WasmlearnError('INVALID_INPUT', 'The drift report lacks its "columns" array or its "dataset" object.', { field: Array.isArray(r.columns) ? 'dataset' : 'columns' });
  }
}

/**
 * The report's content as an HTML fragment (`<div class="wl-report">`): title, verdict
 * and retraining recommendation, the sortable feature table, the target / prediction
 * table when the report has them, and one chart per column. The browser preview inserts
 * exactly this; {@link renderDriftReport} wraps it in a document. Style it with
 * {@link REPORT_CSS} and call {@link enableSorting} on it for sortable tables.
 * @param report - a drift report
 * @param options - {@link DriftReportHtmlOptions}
 * @returns the HTML fragment
 * @throws WasmlearnError `INVALID_INPUT` for something that is not a drift report;
 *   `SCHEMA_MISMATCH` for profiles of different schemas
 * @example
 * el.innerHTML = renderReportBody(report, { distributions }); enableSorting(el);
 */
export function renderReportBody(report: DriftReport, options: DriftReportHtmlOptions = {}): string {
  checkReport(report);
  const dists = options.distributions ?? (options.reference && options.current ? profileDistributions(options.reference, options.current) : {});
  const special: ColumnDrift[] = [...(report.target ? [report.target] : []), ...(report.prediction ?? [])];
  const all = [...report.columns, ...special];
  const title = escapeHtml(options.title ?? 'Data drift report');
  const sub = options.subtitle ? `<p class="wl-sub">${escapeHtml(options.subtitle)}</p>` : '';
  const specialTable = special.length
    ? `<section aria-labelledby="wl-special-h"><h2 id="wl-special-h">Target and prediction drift</h2>` +
      renderTable(special, { caption: 'Target and prediction columns', firstIndex: report.columns.length }) + '</section>'
    : '';
  const charts = all.map((c, i) => renderChart(c, dists[c.column], i)).join('');
  return `<div class="wl-report"><header><h1>${title}</h1>${sub}</header>${renderVerdict(report, options.retraining)}` +
    `<section aria-labelledby="wl-features-h"><h2 id="wl-features-h">Feature drift</h2>${renderTable(report.columns, { caption: 'Feature columns' })}</section>` +
    `${specialTable}<section aria-labelledby="wl-charts-h"><h2 id="wl-charts-h">Distributions: reference and current</h2>` +
    `<div class="wl-charts">${charts}</div></section></div>`;
}

/**
 * A drift report as one self-contained HTML document: inline CSS and SVG charts, no
 * external assets (a Content-Security-Policy forbids any fetch), opens offline and prints
 * cleanly; one small inline script only makes the tables sortable. The content equals the
 * browser preview's. Pass the profiles (or their distributions) to chart each column's
 * histogram or categories; without them numeric columns get a min–max / mean ± std chart.
 * Cost O(columns x bins).
 * @param report - a drift report (`driftReport(...)`, or its JSON parsed back)
 * @param options - {@link DriftReportHtmlOptions}
 * @returns the HTML document as a string
 * @throws WasmlearnError `INVALID_INPUT` for something that is not a drift report;
 *   `SCHEMA_MISMATCH` for profiles of different schemas
 * @example
 * const ref = Profile.fromFrame(train), cur = Profile.fromFrame(recent, { reference: ref });
 * const html = renderDriftReport(driftReport(ref, cur), { reference: ref, current: cur });
 * html.startsWith('<!doctype html>'); // => true
 */
export function renderDriftReport(report: DriftReport, options: DriftReportHtmlOptions = {}): string {
  const body = renderReportBody(report, options);
  const title = escapeHtml(options.title ?? 'Data drift report');
  const stamp = options.generatedAt ? ` on ${escapeHtml(options.generatedAt)}` : '';
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="wasmlearn ${escapeHtml(VERSION)}">` +
    `<title>${title}</title><style>body{margin:1.5rem;background:#fff}.wl-sub{color:#57606a;margin:0}.wl-foot{color:#57606a;font-size:.85em;margin-top:2em}${REPORT_CSS}</style></head>\n` +
    `<body>${body}\n<p class="wl-foot">Generated by wasmlearn ${escapeHtml(VERSION)}${stamp}.</p>\n` +
    `<script>(${enableSorting.toString()})(document);</script>\n</body></html>\n`;
}
