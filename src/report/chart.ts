/**
 * Per-column charts as hand-written SVG: reference and current distributions overlaid
 * (histogram bins) or side by side (values, categories), with axes, a legend and the
 * column's drift figures.
 */
import type { ColumnSummary } from '../monitoring/profile.js';
import type { ColumnDrift } from '../monitoring/report.js';
import type { ColumnDistribution } from './distribution.js';
import { escapeHtml, formatCount, formatNumber, formatTick } from './format.js';

/** Colours of the two data sets (Tableau 10 blue / orange: distinct for common colour-vision deficiencies, and in greyscale by lightness). */
export const CHART_COLORS = { reference: '#4c78a8', current: '#e45756' } as const;

const W = 560;
const ML = 52, MR = 12, MT = 30;
const MAX_LABEL = 14;

/** Round step for about `target` ticks over [0, max]. */
function niceStep(max: number, target = 4): number {
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const clip = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Element id of a column's chart (`index` = position in the report). */
export function chartId(index: number): string {
  return `wl-chart-${index}`;
}

function legend(dist: ColumnDistribution | undefined, ref: ColumnSummary, cur: ColumnSummary): string {
  const n = (d: number | undefined, s: ColumnSummary) => formatCount(d ?? s.count);
  const items = [
    { color: CHART_COLORS.reference, text: `Reference (n = ${n(dist?.referenceTotal, ref)})`, opacity: 0.55 },
    { color: CHART_COLORS.current, text: `Current (n = ${n(dist?.currentTotal, cur)})`, opacity: 0.85 },
  ];
  let x = ML;
  return items.map((it) => {
    const g = `<rect x="${x}" y="8" width="12" height="12" fill="${it.color}" fill-opacity="${it.opacity}" stroke="${it.color}"/>` +
      `<text x="${x + 17}" y="18">${escapeHtml(it.text)}</text>`;
    x += 26 + it.text.length * 6.2;
    return g;
  }).join('');
}

function yAxis(maxShare: number, ph: number): { scale: (v: number) => number; svg: string } {
  const top = Math.max(maxShare, 0.01);
  const step = niceStep(top);
  const ymax = Math.ceil(top / step - 1e-9) * step;
  const scale = (v: number) => MT + ph - (v / ymax) * ph;
  let svg = '';
  for (let t = 0; t <= ymax + step / 2; t += step) {
    const y = r1(scale(t));
    svg += `<line class="grid" x1="${ML}" x2="${W - MR}" y1="${y}" y2="${y}"/>` +
      `<text x="${ML - 6}" y="${y + 4}" text-anchor="end">${(t * 100).toFixed(step < 0.01 ? 1 : 0)}%</text>`;
  }
  svg += `<text transform="translate(13 ${MT + ph / 2}) rotate(-90)" text-anchor="middle">Share of values</text>`;
  return { scale, svg };
}

/**
 * The chart of one column as an SVG `<figure>`: bars of the reference and current shares
 * (histogram bins overlaid; exact values and categories side by side), a y axis in percent,
 * labelled bins, a legend and a caption with the drift figures. Without a distribution
 * (a report rendered without profiles), numeric columns get a range chart
 * (min–max, mean ± std) and categorical columns a note.
 * @param column - the column's entry of a drift report
 * @param distribution - its distributions ({@link columnDistribution}), when available
 * @param index - its position, for the element id ({@link chartId})
 * @returns an HTML `<figure>` string
 * @example
 * renderChart(report.columns[0], dists.age, 0); // => '<figure class="wl-chart" id="wl-chart-0">…</figure>'
 */
export function renderChart(column: ColumnDrift, distribution?: ColumnDistribution, index = 0): string {
  const name = escapeHtml(column.column);
  const svg = distribution && distribution.bars.length > 0 ? barChart(column, distribution) : rangeChart(column);
  return `<figure class="wl-chart${column.drifted ? ' wl-drifted' : ''}" id="${chartId(index)}" data-column="${name}">` +
    `<h3>${name}${column.drifted ? ' <span class="wl-badge">drifted</span>' : ''}</h3>${svg}` +
    `<figcaption>${caption(column, distribution)}</figcaption></figure>`;
}

function caption(c: ColumnDrift, d: ColumnDistribution | undefined): string {
  const parts: string[] = [];
  if (c.status === 'ok') {
    const fig = c.pvalue !== null
      ? `p-value ${formatNumber(c.pvalue)} (statistic ${formatNumber(c.statistic ?? Infinity)}; drift when p &lt; ${formatNumber(c.threshold)})`
      : `statistic ${formatNumber(c.statistic ?? Infinity)} (drift when ≥ ${formatNumber(c.threshold)})`;
    parts.push(`<strong>${escapeHtml(c.method ?? '')}</strong> ${fig}: <strong>${c.drifted ? 'drifted' : 'no drift'}</strong>.`);
  } else parts.push(`<strong>Not compared</strong> (${escapeHtml(c.status)}).`);
  const s = (x: ColumnSummary) => x.type === 'numeric' && x.mean !== null
    ? `mean ${formatNumber(x.mean)}, std ${formatNumber(x.std)}, min ${formatNumber(x.min)}, max ${formatNumber(x.max)}`
    : `${formatCount(x.count)} values`;
  parts.push(`Reference: ${s(c.reference)}; ${formatCount(c.reference.missing)} missing.`);
  parts.push(`Current: ${s(c.current)}; ${formatCount(c.current.missing)} missing.`);
  if (d?.kind === 'histogram') parts.push('Bins: the reference’s histogram edges; values outside them fall in the “below” / “above” bins.');
  if (c.note) parts.push(`Note: ${escapeHtml(c.note)}.`);
  return parts.join(' ');
}

function barChart(c: ColumnDrift, d: ColumnDistribution): string {
  const bars = d.bars;
  const n = bars.length;
  const rt = d.referenceTotal || 1, ct = d.currentTotal || 1;
  const shares = bars.map((b) => ({ r: b.reference / rt, c: b.current / ct }));
  const maxShare = Math.max(...shares.map((s) => Math.max(s.r, s.c)));
  const hist = d.kind === 'histogram';
  const labels = hist ? bars.flatMap((b) => [b.lo, b.hi]).filter((v): v is number => typeof v === 'number').map(formatTick) : bars.map((b) => clip(b.label));
  const longest = Math.max(0, ...labels.map((l) => l.length), hist && bars.some((b) => b.lo === null || b.hi === null) ? 5 : 0);
  const pw = W - ML - MR;
  const slot = pw / n;
  const overflow = hist && bars.some((b) => b.lo === null || b.hi === null);
  const rotate = longest * 6.5 > (hist ? slot : slot - 2) || (overflow && 5 * 6.5 > slot / 2 + 4);
  const mb = 28 + (rotate ? Math.min(longest, MAX_LABEL) * 5.2 : 12);
  const ph = 170;
  const H = MT + ph + mb;
  const { scale, svg: ySvg } = yAxis(maxShare, ph);
  const base = MT + ph;
  let body = '';
  bars.forEach((b, i) => {
    const x0 = ML + i * slot;
    const s = shares[i];
    const tip = `<title>${escapeHtml(b.label)}: reference ${pct(s.r)} (${formatCount(b.reference)}), current ${pct(s.c)} (${formatCount(b.current)})</title>`;
    const yr = scale(s.r), yc = scale(s.c);
    if (hist) {
      const gap = Math.min(2, slot * 0.1);
      const cw = slot * 0.55;
      body += `<g class="bar">${tip}<rect class="ref" x="${r1(x0 + gap / 2)}" y="${r1(yr)}" width="${r1(slot - gap)}" height="${r1(base - yr)}"/>` +
        `<rect class="cur" x="${r1(x0 + (slot - cw) / 2)}" y="${r1(yc)}" width="${r1(cw)}" height="${r1(base - yc)}"/></g>`;
    } else {
      const bw = slot * 0.38;
      body += `<g class="bar">${tip}<rect class="ref" x="${r1(x0 + slot / 2 - bw)}" y="${r1(yr)}" width="${r1(bw)}" height="${r1(base - yr)}"/>` +
        `<rect class="cur" x="${r1(x0 + slot / 2)}" y="${r1(yc)}" width="${r1(bw)}" height="${r1(base - yc)}"/></g>`;
    }
  });
  // x axis labels: bin edges at slot boundaries for histograms, else one label per bar
  let xs = `<line class="axis" x1="${ML}" x2="${W - MR}" y1="${base}" y2="${base}"/>`;
  const tick = (x: number, text: string, full: string) => {
    const y = base + 14;
    const t = rotate ? `<text x="${r1(x)}" y="${y}" text-anchor="end" transform="rotate(-40 ${r1(x)} ${y})">` : `<text x="${r1(x)}" y="${y}" text-anchor="middle">`;
    return `<line class="axis" x1="${r1(x)}" x2="${r1(x)}" y1="${base}" y2="${base + 4}"/>${t}${full !== text ? `<title>${escapeHtml(full)}</title>` : ''}${escapeHtml(text)}</text>`;
  };
  if (hist) {
    bars.forEach((b, i) => {
      const x0 = ML + i * slot;
      if (b.lo === null) xs += tick(x0 + slot / 2, 'below', b.label);
      else if (b.hi === null) xs += tick(x0 + slot / 2, 'above', b.label);
      else {
        if (i === 0 || bars[i - 1].hi === null || bars[i - 1].lo === null) xs += tick(x0, formatTick(b.lo!), formatTick(b.lo!));
        xs += tick(x0 + slot, formatTick(b.hi!), formatTick(b.hi!));
      }
    });
  } else bars.forEach((b, i) => { xs += tick(ML + (i + 0.5) * slot, clip(b.label), b.label); });
  const xTitle = hist ? `${c.column} (bins learned from the reference)` : d.kind === 'values' ? `${c.column} (values)` : `${c.column} (categories)`;
  xs += `<text x="${ML + pw / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(xTitle)}</text>`;
  const label = `Distribution of ${c.column}: reference and current shares per ${hist ? 'bin' : d.kind === 'values' ? 'value' : 'category'}`;
  return `<svg class="wl-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">` +
    `${ySvg}${body}${xs}${legend(d, c.reference, c.current)}</svg>`;
}

/** Min–max range and mean ± std of each data set, for reports rendered without profiles. */
function rangeChart(c: ColumnDrift): string {
  const a = c.reference, b = c.current;
  if (c.type !== 'numeric' || a.mean === null || a.min === null || a.max === null) {
    return '<p class="wl-nochart">No distribution to draw: render the report with the reference and current profiles to chart categories.</p>';
  }
  const lo = Math.min(a.min, b.min ?? a.min), hi = Math.max(a.max, b.max ?? a.max);
  const span = hi - lo || 1;
  const pw = W - ML - MR;
  const x = (v: number) => r1(ML + ((v - lo) / span) * pw);
  const H = 120;
  const row = (s: ColumnSummary, y: number, cls: string) => {
    if (s.mean === null || s.min === null || s.max === null || s.std === null) return `<text x="${ML}" y="${y + 4}">no values</text>`;
    return `<line class="${cls}-line" x1="${x(s.min)}" x2="${x(s.max)}" y1="${y}" y2="${y}"/>` +
      `<rect class="${cls}" x="${x(Math.max(s.min, s.mean - s.std))}" y="${y - 8}" width="${Math.max(1, x(Math.min(s.max, s.mean + s.std)) - x(Math.max(s.min, s.mean - s.std)))}" height="16"/>` +
      `<line class="axis" x1="${x(s.mean)}" x2="${x(s.mean)}" y1="${y - 10}" y2="${y + 10}"/>`;
  };
  const ticks = [lo, lo + span / 2, hi].map((v) => `<text x="${x(v)}" y="${H - 22}" text-anchor="middle">${formatTick(v)}</text>`).join('');
  return `<svg class="wl-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(`Range of ${c.column}: min to max, box mean ± std`)}" xmlns="http://www.w3.org/2000/svg">` +
    `${row(a, 45, 'ref')}${row(b, 72, 'cur')}<line class="axis" x1="${ML}" x2="${W - MR}" y1="88" y2="88"/>${ticks}` +
    `<text x="${ML + pw / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(c.column)} (line: min–max; box: mean ± std)</text>${legend(undefined, a, b)}</svg>`;
}
