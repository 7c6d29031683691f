/** renderDriftReport in Node: document shape, escaping, the report-only fallback, input checks. */
import { describe, expect, it } from 'vitest';
import { Profile, WasmlearnError, driftReport, makeHeart } from '../../src/index.js';
import { columnDistribution, formatNumber, profileDistributions, renderDriftReport, renderReportBody, renderTable } from '../../src/report/index.js';

const a = makeHeart({ nRows: 400, seed: 1 }), b = makeHeart({ nRows: 400, seed: 2, drift: 1 });

describe('renderDriftReport', () => {
  const ref = Profile.fromFrame({ ...a.columns, label: Array.from(a.target, (t) => (t ? '<b>sick</b>' : 'healthy')) });
  const cur = Profile.fromFrame({ ...b.columns, label: Array.from(b.target, (t) => (t ? '<b>sick</b>' : 'healthy')) }, { reference: ref });
  const report = driftReport(ref, cur, { target: 'label' });

  it('is one self-contained document: no external URL, CSP forbids fetches, one inline script', () => {
    const html = renderDriftReport(report, { reference: ref, current: cur });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(src|href)="(https?:|\/\/)/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<svg /g)).toHaveLength(report.columns.length + 1);
    expect(renderDriftReport(report, { reference: ref, current: cur })).toBe(html); // reproducible
  });

  it('small-data rules show KS / chi-square p-values with the same formatting as the table', () => {
    expect(report.rules).toBe('small-data');
    const age = report.columns.find((c) => c.column === 'age')!;
    expect(age.method).toBe('ks');
    expect(renderTable(report.columns)).toContain(`>${formatNumber(age.pvalue)}</td>`);
  });

  it('escapes labels from the data', () => {
    const html = renderReportBody(report, { distributions: profileDistributions(ref, cur) });
    expect(html).not.toContain('<b>sick</b>');
    expect(html).toContain('&lt;b&gt;sick&lt;/b&gt;');
  });

  it('without profiles: range charts for numeric columns, a note for categorical ones', () => {
    const html = renderDriftReport(report);
    expect(html).toContain('line: min–max; box: mean ± std');
    expect(html).toContain('No distribution to draw');
  });

  it('histogram distributions add up to the profile counts', () => {
    const d = columnDistribution(ref.column('chol'), cur.column('chol'));
    expect(d.kind).toBe('histogram');
    expect(d.bars.reduce((s, x) => s + x.reference, 0)).toBe(d.referenceTotal);
    expect(d.bars.reduce((s, x) => s + x.current, 0)).toBe(d.currentTotal);
  });

  it('rejects what is not a drift report', () => {
    expect(() => renderDriftReport({ format: 'x' } as never)).toThrow(WasmlearnError);
    expect(() => renderDriftReport({ format: 'x' } as never)).toThrow('Expected a drift report with format "wasmlearn.driftReport"; got format "x".');
    expect(() => renderDriftReport({ ...report, formatVersion: 2 } as never)).toThrow('This renderer knows drift report version 1; the report has version 2.');
  });
});
