/** Shared helpers for estimators: input checks, fitted-state guard, feature names. */
import { WasmlearnError, errors, show } from './errors.js';
import { Frame, type Category, type Column } from './frame.js';
import type { Labels } from './estimator.js';

/** Fitted-state fields every estimator records. */
export interface InputState {
  nFeaturesIn: number;
  /** Column names seen at fit, or null for positional input. */
  featureNamesIn: string[] | null;
}

export function inputStateOf(frame: Frame): InputState {
  return { nFeaturesIn: frame.nCols, featureNamesIn: frame.hasNames ? [...frame.names] : null };
}

/**
 * The columns an estimator fitted on, taken from a later input: by name when it was
 * fitted with names (order and extra columns don't matter), else by position (width
 * must match).
 * @throws MISSING_COLUMN or FEATURE_MISMATCH
 */
export function selectInput(frame: Frame, state: InputState, estimator: string): Column[] {
  if (state.featureNamesIn && frame.hasNames) return state.featureNamesIn.map((n) => frame.column(n, estimator));
  if (frame.nCols !== state.nFeaturesIn) throw errors.featureCount(estimator, state.nFeaturesIn, frame.nCols);
  return [...frame.columns];
}

/** Names to use for an estimator's input columns (fitted names, or x0, x1, …). */
export function inputNames(state: InputState, input?: readonly string[]): string[] {
  if (input) {
    if (input.length !== state.nFeaturesIn) throw errors.lengthMismatch('inputFeatures', state.nFeaturesIn, input.length);
    if (state.featureNamesIn && input.some((n, i) => n !== state.featureNamesIn![i])) {
      throw errors.featureNames('getFeatureNamesOut', state.featureNamesIn, input);
    }
    return [...input];
  }
  return state.featureNamesIn ? [...state.featureNamesIn] : Array.from({ length: state.nFeaturesIn }, (_, i) => `x${i}`);
}

export function requireRows(frame: Frame, estimator: string): void {
  if (frame.nRows === 0) throw errors.emptyInput(estimator);
}

/** Labels as an array of categories (numbers or strings), checked for length and missing. */
export function toLabels(y: Labels | undefined, nRows: number, estimator: string): Category[] {
  if (y === undefined || y === null) {
    throw new WasmlearnError('INVALID_INPUT', `${estimator} requires y to be passed, but the target y is undefined.`, { estimator });
  }
  if (typeof (y as ArrayLike<unknown>).length !== 'number') {
    throw new WasmlearnError('INVALID_INPUT', `y must be an array of labels; got ${show(y)}.`, { estimator, field: 'y' });
  }
  if (y.length !== nRows) throw errors.lengthMismatch('y', nRows, y.length, { estimator, field: 'y' });
  const out: Category[] = new Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as unknown;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new WasmlearnError('MISSING_VALUE', `y contains ${show(v)} at row ${i}; labels must be finite numbers or strings.`, { row: i, field: 'y', estimator });
      out[i] = v;
    } else if (typeof v === 'string') out[i] = v;
    else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else throw new WasmlearnError('INVALID_INPUT', `y contains ${show(v)} at row ${i}; labels must be numbers or strings.`, { row: i, field: 'y', estimator });
  }
  return out;
}

/** Python's ordering for sorted uniques: numbers ascending, strings by code point. */
export function compareCategories(a: Category, b: Category): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return codePointCompare(a, b);
  return typeof a === 'number' ? -1 : 1;
}

/** Python compares strings by code point; JS `<` by UTF-16 unit (they differ above U+FFFF). */
function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff, ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x < y ? -1 : 1;
    return xs ? 1 : -1; // a surrogate (code point > U+FFFF) sorts after any BMP unit
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Sorted unique values, checking they are uniformly numbers or strings. */
export function sortedUnique(values: Iterable<Category>, what: string, estimator: string): Category[] {
  const arr = [...new Set(values)];
  const kinds = new Set(arr.map((v) => typeof v));
  if (kinds.size > 1) {
    throw new WasmlearnError('COLUMN_TYPE',
      `${estimator} requires the values of ${what} to be uniformly strings or numbers. Got both: ${show(arr.slice(0, 6))}.`,
      { estimator, column: what });
  }
  return arr.sort(compareCategories);
}

/** Formats a category as Python's str() would for float64 / str values (scikit-learn feature names). */
export function pyStr(v: Category): string {
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return (Object.is(v, -0) ? '-0' : String(v)) + '.0';
  const s = String(v);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
  const ax = Math.abs(v);
  if (ax >= 1e16) {
    const [mant, exp] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (ax < 1e-4 && ax > 0) {
    const [mant, exp] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return s;
}

/** Checks the `name` is a valid step name (unique, no '__'). */
export function checkStepNames(names: readonly string[], estimator: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0) throw errors.invalidParam(estimator, 'steps', 'named with non-empty strings', n);
    if (n.includes('__')) throw errors.invalidParam(estimator, 'steps', `named without '__'`, n);
    if (seen.has(n)) throw errors.invalidParam(estimator, 'steps', 'uniquely named', n);
    seen.add(n);
  }
}
