/**
 * Reference and current distributions of each column, in the form the charts draw:
 * the same keys the drift methods compare (histogram bins on the reference's edges plus
 * the overflow bins, exact values for numeric columns with few distinct values,
 * categories plus "other").
 */
import { WasmlearnError, show } from '../core/errors.js';
import type { Category } from '../core/frame.js';
import type { ColumnProfile } from '../monitoring/profile.js';
import { Profile } from '../monitoring/profile.js';
import { formatTick } from './format.js';

/** One bar pair of a chart: a bin, a value or a category. */
export interface DistributionBar {
  /** Display label (`'[29, 45)'`, `'3'`, `'typical angina'`, `'< 29'`, `'(other)'`). */
  label: string;
  /** Reference count. */
  reference: number;
  /** Current count. */
  current: number;
  /** Histogram bins: lower edge (null for the "below" overflow bin). */
  lo?: number | null;
  /** Histogram bins: upper edge (null for the "above" overflow bin). */
  hi?: number | null;
}

/** The distributions of one column, as plain JSON (safe to post between threads). */
export interface ColumnDistribution {
  column: string;
  /**
   * `'histogram'`: bins on the reference's edges (`bars` in edge order, overflow bins
   * first / last when not empty); `'values'`: exact numeric values (at most 20 distinct);
   * `'categories'`: the reference's categories, most frequent first, then `(other)`.
   */
  kind: 'histogram' | 'values' | 'categories';
  bars: DistributionBar[];
  /** Non-missing values counted in `bars` (reference, current). */
  referenceTotal: number;
  currentTotal: number;
  /** Missing values (reference, current). */
  referenceMissing: number;
  currentMissing: number;
  /** Histogram edges (kind `'histogram'` only). */
  edges?: number[];
}

/** Most bars drawn for a categorical column; the rest are added up as "(other)". */
export const MAX_BARS = 30;

const label = (c: Category) => (typeof c === 'number' ? formatTick(c) : c);

/**
 * The distributions of one column in a reference and a current profile built against it.
 * Cost O(bins + categories).
 * @param ref - the reference column profile
 * @param cur - the current column profile (same schema)
 * @returns the bars to draw
 * @throws WasmlearnError `SCHEMA_MISMATCH` when the two columns differ in name or type
 * @example
 * columnDistribution(ref.column('cp'), cur.column('cp')).bars[0]; // => { label: '4', reference: 2400, current: 3150 }
 */
export function columnDistribution(ref: ColumnProfile, cur: ColumnProfile): ColumnDistribution {
  if (ref.name !== cur.name || ref.type !== cur.type) {
    throw new WasmlearnError('SCHEMA_MISMATCH', `Cannot pair column ${show(ref.name)} (${ref.type}) with column ${show(cur.name)} (${cur.type}); build the current profile against the reference.`, { column: ref.name });
  }
  const base = { column: ref.name, referenceTotal: ref.count, currentTotal: cur.count, referenceMissing: ref.missing, currentMissing: cur.missing };
  if (ref.type === 'numeric' && cur.type === 'numeric') {
    if (ref.distinct && cur.distinct) {
      const keys = [...new Set([...ref.distinct.keys(), ...cur.distinct.keys()])].sort((a, b) => a - b);
      return { ...base, kind: 'values', bars: keys.map((k) => ({ label: formatTick(k), reference: ref.distinct!.get(k) ?? 0, current: cur.distinct!.get(k) ?? 0 })) };
    }
    const e = Array.from(ref.edges);
    const bars: DistributionBar[] = [];
    if (ref.below > 0 || cur.below > 0) bars.push({ label: `< ${formatTick(e[0])}`, reference: ref.below, current: cur.below, lo: null, hi: e[0] });
    for (let i = 0; i < ref.counts.length; i++) {
      const closed = i === ref.counts.length - 1 ? ']' : ')';
      bars.push({ label: `[${formatTick(e[i])}, ${formatTick(e[i + 1])}${closed}`, reference: ref.counts[i], current: cur.counts[i], lo: e[i], hi: e[i + 1] });
    }
    if (ref.above > 0 || cur.above > 0) bars.push({ label: `> ${formatTick(e[e.length - 1])}`, reference: ref.above, current: cur.above, lo: e[e.length - 1], hi: null });
    return { ...base, kind: 'histogram', bars, edges: e };
  }
  if (ref.type === 'categorical' && cur.type === 'categorical') {
    const bars: DistributionBar[] = ref.categories.map((c, i) => ({ label: label(c), reference: ref.counts[i], current: cur.counts[i] }));
    const rest = { reference: ref.other, current: cur.other };
    if (bars.length > MAX_BARS) {
      for (const b of bars.slice(MAX_BARS - 1)) { rest.reference += b.reference; rest.current += b.current; }
      bars.length = MAX_BARS - 1;
    }
    if (rest.reference > 0 || rest.current > 0) bars.push({ label: '(other)', ...rest });
    return { ...base, kind: 'categories', bars };
  }
  throw new WasmlearnError('SCHEMA_MISMATCH', `Column ${show(ref.name)} has different types in the two profiles.`, { column: ref.name });
}

/**
 * The distributions of every column shared by a reference profile and a current profile
 * built against it, keyed by column name. Plain JSON: a Web Worker can post it to the page.
 * @param reference - the reference profile
 * @param current - a profile built against `reference` (`Profile.fromFrame(x, { reference })`)
 * @returns `{ [column]: ColumnDistribution }`
 * @throws WasmlearnError `SCHEMA_MISMATCH` (from `assertSameSchema`) when the profiles differ in schema
 * @example
 * const d = profileDistributions(ref, cur);
 * d.age.kind; // => 'histogram'
 */
export function profileDistributions(reference: Profile, current: Profile): Record<string, ColumnDistribution> {
  if (!(reference instanceof Profile) || !(current instanceof Profile)) {
    throw new WasmlearnError('INVALID_PARAM', `profileDistributions needs two Profiles; got ${show(reference)} and ${show(current)}.`, { field: 'reference' });
  }
  reference.assertSameSchema(current);
  const out: Record<string, ColumnDistribution> = {};
  for (const name of reference.names) out[name] = columnDistribution(reference.column(name), current.column(name));
  return out;
}
