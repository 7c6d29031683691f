/**
 * The verdict block: the data set's drift verdict (share of drifted columns against the
 * threshold) and the retraining recommendation with each rule.
 */
import type { DriftReport } from '../monitoring/report.js';
import { retrainingSignal, type RetrainingSignal } from '../monitoring/retraining.js';
import { escapeHtml, formatCount, formatPercent } from './format.js';

const RULES: Record<string, string> = {
  featureDrift: 'Feature drift', targetDrift: 'Target drift', predictionDrift: 'Prediction drift', newLabels: 'New labels',
};

/**
 * The verdict as an HTML `<section class="wl-verdict">`: drifted or not, `nDrifted of
 * nColumns` with the share against `driftShare` (a bar with the threshold marked), the row
 * counts and rule set, columns missing from the current data, and the retraining
 * recommendation (`report.retraining`, else {@link retrainingSignal} with its defaults).
 * @param report - a drift report
 * @param retraining - a retraining signal to show instead of the report's
 * @returns the HTML string
 * @example
 * renderVerdict(report); // => '<section class="wl-verdict">…Dataset drift: not detected…'
 */
export function renderVerdict(report: DriftReport, retraining?: RetrainingSignal): string {
  const d = report.dataset;
  const signal = retraining ?? report.retraining ?? retrainingSignal(report);
  const word = d.drifted ? 'detected' : 'not detected';
  const bar = `<div class="wl-meter" role="img" aria-label="${formatPercent(d.share)} of columns drifted; threshold ${formatPercent(d.driftShare)}">` +
    `<div class="wl-meter-fill${d.drifted ? ' wl-over' : ''}" style="width:${(d.share * 100).toFixed(2)}%"></div>` +
    `<div class="wl-meter-mark" style="left:${(d.driftShare * 100).toFixed(2)}%"></div></div>`;
  const missing = d.missingColumns.length
    ? `<p class="wl-warn">Not compared (absent from or empty in the current data): ${d.missingColumns.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}.</p>` : '';
  const drifted = d.driftedColumns.length
    ? `<p>Drifted columns: ${d.driftedColumns.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}.</p>` : '<p>No column drifted.</p>';
  const reasons = signal.reasons.map((r) =>
    `<li class="${r.fired ? 'wl-fired' : ''}"><strong>${escapeHtml(RULES[r.rule] ?? r.rule)}</strong>: ${r.fired ? 'fired' : 'not fired'} — ${escapeHtml(r.detail)}</li>`).join('');
  return `<section class="wl-verdict" aria-labelledby="wl-verdict-h">` +
    `<h2 id="wl-verdict-h" class="${d.drifted ? 'wl-bad' : 'wl-good'}" data-drifted="${d.drifted}">Dataset drift: ${word}</h2>` +
    `<p class="wl-share"><strong data-n-drifted="${d.nDrifted}">${d.nDrifted} of ${d.nColumns}</strong> feature columns drifted ` +
    `(<span data-share="${d.share}">${formatPercent(d.share)}</span>); the data set counts as drifted at ${formatPercent(d.driftShare)} or more.</p>${bar}${drifted}${missing}` +
    `<p class="wl-rows">Reference: ${formatCount(report.reference.rows)} rows · current: ${formatCount(report.current.rows)} rows · ` +
    `${report.rules === 'small-data' ? 'small-data rules (KS / chi-square p-values)' : 'large-data rules (Wasserstein / Jensen–Shannon distances)'}.</p>` +
    `<h3 class="${signal.retrain ? 'wl-bad' : 'wl-good'}" data-retrain="${signal.retrain}">Retraining: ${signal.retrain ? 'recommended' : 'not needed'}</h3>` +
    `<ul class="wl-reasons">${reasons}</ul></section>`;
}
