/**
 * Number and text formatting shared by the HTML report and the browser preview, so both
 * show the same digits for the same report.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @param text - any text (column names and categories come from user files)
 * @returns the escaped text
 * @example
 * escapeHtml('<b>"x"</b>'); // => '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A statistic, distance or p-value for display: 4 significant digits, exponent notation
 * below 0.001, `'—'` for null.
 * @param v - the number, or null
 * @returns the display text
 * @example
 * formatNumber(0.895635); // => '0.8956'
 * formatNumber(2.3e-12);  // => '2.30e-12'
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3) return v.toExponential(2);
  if (a >= 1e6) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/**
 * A share as a percentage with one decimal.
 * @param share - a number in [0, 1]
 * @returns e.g. `'38.5%'`
 * @example
 * formatPercent(5 / 13); // => '38.5%'
 */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * A row count with thousands separators (locale-independent).
 * @param n - an integer
 * @returns e.g. `'1,000,000'`
 * @example
 * formatCount(1234567); // => '1,234,567'
 */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An axis tick or bin edge: at most 4 significant digits, no trailing zeros.
 * @param v - the value
 * @returns the label
 * @example
 * formatTick(246.6999); // => '246.7'
 */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}
