/**
 * The drift table: one row per column (column, type, method, statistic, p-value,
 * threshold, drifted), drifted rows highlighted, sortable by any column.
 */
import type { ColumnDrift } from '../monitoring/report.js';
import { chartId } from './chart.js';
import { escapeHtml, formatNumber } from './format.js';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Table caption (default `'Drift per column'`). */
  caption?: string;
  /** Chart index of the first row, for the links to the charts (default 0; rows are numbered in order). */
  firstIndex?: number;
  /** Link each column name to its chart (default true). */
  links?: boolean;
}

const HEAD: readonly [string, 'text' | 'number'][] = [
  ['Column', 'text'], ['Type', 'text'], ['Method', 'text'], ['Statistic', 'number'], ['p-value', 'number'], ['Threshold', 'number'], ['Drifted', 'text'],
];

/** Sort key of a number cell: null sorts last in ascending order, ∞ after every finite value. */
function key(v: number | null, infinite = false): string {
  if (v === null) return infinite ? '1e308' : '';
  return String(v);
}

/**
 * The drift table as an HTML `<table class="wl-table wl-sortable">`. Header cells are
 * buttons; {@link enableSorting} makes them sort the rows (the table reads fine without it).
 * Numbers use {@link formatNumber}; each cell carries its exact value in `data-sort`.
 * @param columns - `report.columns`, or `[report.target, ...report.prediction]`
 * @param options - {@link TableOptions}
 * @returns the HTML string
 * @example
 * renderTable(report.columns); // => '<table class="wl-table wl-sortable">…'
 */
export function renderTable(columns: readonly ColumnDrift[], options: TableOptions = {}): string {
  const first = options.firstIndex ?? 0;
  const links = options.links ?? true;
  const head = HEAD.map(([h, type], j) =>
    `<th scope="col" aria-sort="none"><button type="button" data-sort-col="${j}" data-sort-type="${type}">${h}<span class="wl-arrow" aria-hidden="true"></span></button></th>`).join('');
  const rows = columns.map((c, i) => {
    const name = escapeHtml(c.column);
    const cell = links ? `<a href="#${chartId(first + i)}">${name}</a>` : name;
    const method = c.status === 'ok' ? escapeHtml(c.method ?? '') : `not compared (${c.status})`;
    const stat = c.status === 'ok' ? formatNumber(c.statistic ?? Infinity) : '—';
    const drifted = c.status !== 'ok' ? 'n/a' : c.drifted ? 'Yes' : 'No';
    const title = c.note ? ` title="${escapeHtml(c.note)}"` : '';
    return `<tr class="${c.drifted ? 'wl-drifted' : c.status !== 'ok' ? 'wl-missing' : ''}" data-column="${name}"${title}>` +
      `<th scope="row" data-sort="${name}">${cell}</th>` +
      `<td data-sort="${c.type}">${c.type}</td>` +
      `<td data-sort="${escapeHtml(c.method ?? '')}">${method}</td>` +
      `<td class="wl-num" data-sort="${c.status === 'ok' ? key(c.statistic, true) : ''}">${stat}</td>` +
      `<td class="wl-num" data-sort="${key(c.pvalue)}">${formatNumber(c.pvalue)}</td>` +
      `<td class="wl-num" data-sort="${key(c.threshold)}">${formatNumber(c.threshold)}</td>` +
      `<td data-sort="${c.drifted ? 1 : 0}">${c.drifted ? '<strong>Yes</strong>' : drifted}</td></tr>`;
  }).join('');
  const caption = escapeHtml(options.caption ?? 'Drift per column');
  return `<table class="wl-table wl-sortable"><caption>${caption} <span class="wl-hint">(select a heading to sort)</span></caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * Makes every `table.wl-sortable` under `root` sortable by its header buttons (ascending,
 * then descending; `aria-sort` kept up to date). Self-contained: the HTML report inlines
 * its source as its only script. Safe to call again after re-rendering.
 * @param root - a document or element
 * @example
 * container.innerHTML = renderTable(report.columns); enableSorting(container);
 */
export function enableSorting(root: ParentNode): void {
  const tables = root.querySelectorAll('table.wl-sortable');
  for (let t = 0; t < tables.length; t++) {
    const table = tables[t] as HTMLTableElement;
    if (table.dataset.sortable === '1') continue;
    table.dataset.sortable = '1';
    const buttons = table.querySelectorAll('thead button[data-sort-col]');
    for (let b = 0; b < buttons.length; b++) {
      const button = buttons[b] as HTMLButtonElement;
      button.addEventListener('click', () => {
        const col = Number(button.dataset.sortCol);
        const numeric = button.dataset.sortType === 'number';
        const th = button.parentElement as HTMLElement;
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        const ths = table.querySelectorAll('thead th');
        for (let k = 0; k < ths.length; k++) ths[k].setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        const body = table.tBodies[0];
        const rows = Array.prototype.slice.call(body.rows) as HTMLTableRowElement[];
        const val = (r: HTMLTableRowElement) => (r.cells[col] as HTMLElement).dataset.sort ?? '';
        rows.sort((x, y) => {
          const a = val(x), c = val(y);
          let d: number;
          if (numeric) {
            if (a === '' || c === '') d = a === c ? 0 : a === '' ? 1 : -1;
            else d = Number(a) - Number(c);
            if (a === '' || c === '') return d;
          } else d = a < c ? -1 : a > c ? 1 : 0;
          return asc ? d : -d;
        });
        for (let k = 0; k < rows.length; k++) body.appendChild(rows[k]);
      });
    }
  }
}
