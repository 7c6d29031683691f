/**
 * CSV cells as wasmlearn reads them (server `text/csv` bodies and the CLI): a header
 * row, then records. A cell pandas' `read_csv` treats as missing (empty, `NA`, `NaN`,
 * `null`, …) is missing; a column whose present cells all look numeric becomes
 * numbers; any other column stays strings, as pandas types columns.
 * @packageDocumentation
 */
import { parse as parseSync } from 'csv-parse/sync';
import { WasmlearnError, show } from '../core/errors.js';
import type { Scalar } from '../core/frame.js';

/** Cells read as missing: pandas' default `na_values`, plus the empty cell. */
export const CSV_NA_VALUES: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * The number a cell spells, or `undefined` when it does not look numeric.
 * Accepts decimal and exponent notation and `inf`/`Infinity` (any case, signed);
 * surrounding blanks are ignored.
 *
 * @example
 * numericCell(' 1.5e3 '); // => 1500
 * numericCell('abc');     // => undefined
 */
export function numericCell(cell: string): number | undefined {
  const t = cell.trim();
  if (NUMBER_RE.test(t)) return Number(t);
  const m = INF_RE.exec(t);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * Types the cells of one column: all present cells numeric → numbers, otherwise
 * strings; missing cells (see {@link CSV_NA_VALUES}) → `null`.
 *
 * @param cells - the raw cells of one column
 * @returns the typed values
 * @example
 * typeColumn(['1', '', '2.5']); // => [1, null, 2.5]
 * typeColumn(['1', 'x']);       // => ['1', 'x']
 */
export function typeColumn(cells: readonly string[]): Scalar[] {
  const out: Scalar[] = new Array(cells.length);
  let numeric = true;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (CSV_NA_VALUES.has(c)) { out[i] = null; continue; }
    if (numeric) {
      const v = numericCell(c);
      if (v === undefined) numeric = false;
      else { out[i] = v; continue; }
    }
    out[i] = c;
  }
  if (numeric) return out;
  for (let i = 0; i < cells.length; i++) out[i] = CSV_NA_VALUES.has(cells[i]) ? null : cells[i];
  return out;
}

/**
 * Builds a column object (`{ name: values }`, a `FrameInput`) from a header and
 * records of raw cells; short records are padded with missing cells.
 *
 * @param header - column names
 * @param records - rows of raw cells
 * @returns columns typed with {@link typeColumn}
 * @throws WasmlearnError INVALID_INPUT - duplicate header names, a record longer than the header
 * @example
 * recordsToColumns(['a', 'b'], [['1', 'x'], ['2', '']]);
 * // => { a: [1, 2], b: ['x', null] }
 */
export function recordsToColumns(header: readonly string[], records: readonly (readonly string[])[]): Record<string, Scalar[]> {
  const names = headerNames(header);
  const w = names.length;
  const cols: string[][] = header.map(() => new Array(records.length));
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r.length > w) {
      throw new WasmlearnError('INVALID_INPUT',
        `CSV record ${i + 1} has ${r.length} fields, but the header has ${w} columns.`, { row: i });
    }
    for (let j = 0; j < w; j++) cols[j][i] = j < r.length ? r[j] : '';
  }
  const out: Record<string, Scalar[]> = {};
  names.forEach((name, j) => { out[name] = typeColumn(cols[j]); });
  return out;
}

/**
 * Column names from a header row: an empty name becomes `Unnamed: <position>` as in
 * pandas (the index column `DataFrame.to_csv()` writes); a repeated name is an error.
 *
 * @throws WasmlearnError INVALID_INPUT - no header, or a name appears twice
 * @example
 * headerNames(['', 'age']); // => ['Unnamed: 0', 'age']
 */
export function headerNames(header: readonly string[]): string[] {
  if (header.length === 0) throw new WasmlearnError('INVALID_INPUT', 'The CSV has no header row.');
  const seen = new Set<string>();
  return header.map((h, j) => {
    const name = h === '' ? `Unnamed: ${j}` : h;
    if (seen.has(name)) throw new WasmlearnError('INVALID_INPUT', `The CSV header repeats the column ${show(name)}.`, { column: name });
    seen.add(name);
    return name;
  });
}

/**
 * Parses a whole CSV text (header row first) into typed columns.
 *
 * @param text - the CSV text (a UTF-8 BOM is skipped)
 * @returns the columns, ready for `Frame.from`
 * @throws WasmlearnError INVALID_INPUT - malformed CSV (unclosed quote, bad record length), no header
 * @example
 * parseCsv('age,sex\n63,male\n,female\n');
 * // => { age: [63, null], sex: ['male', 'female'] }
 */
export function parseCsv(text: string): Record<string, Scalar[]> {
  let rows: string[][];
  try {
    rows = parseSync(text, { bom: true, skip_empty_lines: true, relax_column_count_less: true }) as string[][];
  } catch (e) {
    throw new WasmlearnError('INVALID_INPUT', `The CSV could not be parsed: ${(e as Error).message}`, {}, { cause: e });
  }
  if (rows.length === 0) throw new WasmlearnError('INVALID_INPUT', 'The CSV is empty: a header row is required.');
  return recordsToColumns(rows[0], rows.slice(1));
}

/**
 * One CSV output cell: numbers in shortest round-trip form, missing as empty,
 * strings quoted when they hold a comma, quote or line break.
 *
 * @example
 * csvCell('a,b'); // => '"a,b"'
 * csvCell(NaN);   // => ''
 */
export function csvCell(v: Scalar): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
