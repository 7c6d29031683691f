/**
 * Drift reports as HTML: the self-contained report document and the pieces the browser
 * preview renders with (verdict, table, charts, styles). Browser-safe: no Node imports.
 */
export { renderDriftReport, renderReportBody, checkReport, type DriftReportHtmlOptions } from './document.js';
export { renderVerdict } from './summary.js';
export { renderTable, enableSorting, type TableOptions } from './table.js';
export { renderChart, chartId, CHART_COLORS } from './chart.js';
export { columnDistribution, profileDistributions, MAX_BARS, type ColumnDistribution, type DistributionBar } from './distribution.js';
export { REPORT_CSS } from './styles.js';
export { escapeHtml, formatNumber, formatPercent, formatCount, formatTick } from './format.js';
