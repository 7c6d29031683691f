// CSV records (arrays of cell strings, as Papa Parse delivers them chunk by chunk) →
// wasmlearn frame columns. Shared by the preview's worker and its tests, so both read a
// file the same way. Conventions follow wasmlearn's CLI: pandas' missing-value spellings,
// a column is numeric when every present cell is a number. Unlike the CLI, a column that
// mixes numbers and text is an error here (a preview should point at it, not guess).

/** Papa Parse options used for every file (records as arrays; the header is the first record). */
export const PARSE_CONFIG = Object.freeze({
  header: false,
  skipEmptyLines: true,
  delimitersToGuess: [',', '\t', ';', '|'],
});

/** Cells read as missing: pandas' default `na_values`, plus the empty cell. */
export const NA_VALUES = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/** An input problem: `message` is shown on the page as is. */
export class InputError extends Error {
  /** @param {string} message @param {string} code */
  constructor(message, code = 'INVALID_INPUT') {
    super(message);
    this.name = 'InputError';
    this.code = code;
  }
}

/**
 * The number a cell spells, or undefined.
 * @param {string} cell
 * @returns {number | undefined}
 */
export function numericCell(cell) {
  const t = cell.trim();
  if (NUMBER_RE.test(t)) return Number(t);
  const m = INF_RE.exec(t);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

const quote = (s) => JSON.stringify(String(s).length > 40 ? `${String(s).slice(0, 37)}...` : String(s));

/**
 * Column names from a header record: an empty name becomes `Unnamed: <position>` (pandas);
 * a repeated name is an error.
 * @param {string[]} record @param {string} file
 * @returns {string[]}
 */
export function headerNames(record, file) {
  if (!record || record.length === 0 || (record.length === 1 && record[0].trim() === '')) {
    throw new InputError(`${file} has no header row.`, 'EMPTY_INPUT');
  }
  const seen = new Set();
  return record.map((h, j) => {
    const raw = j === 0 ? h.replace(/^\uFEFF/, '') : h;
    const name = raw.trim() === '' ? `Unnamed: ${j}` : raw.trim();
    if (seen.has(name)) throw new InputError(`${file}: the header repeats the column ${quote(name)}.`);
    seen.add(name);
    return name;
  });
}

/**
 * Rejects text that is not CSV: binary data (NUL bytes or many undecodable bytes), or JSON.
 * @param {string} text - the beginning of the file
 * @param {string} file - its description for messages
 */
export function checkLooksLikeCsv(text, file) {
  const head = text.slice(0, 4096);
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) throw new InputError(`${file} does not look like a CSV file: it holds binary data. Choose a comma-separated text file with a header row.`, 'NOT_CSV');
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  if (head.length > 0 && bad / head.length > 0.02) {
    throw new InputError(`${file} does not look like a CSV file: it holds binary data. Choose a comma-separated text file with a header row.`, 'NOT_CSV');
  }
  const t = head.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    throw new InputError(`${file} looks like JSON, not CSV. Only the reference may be a profile JSON; the current data must be a CSV file.`, 'NOT_CSV');
  }
}

function checkWidth(record, width, row, file) {
  if (record.length > width) {
    throw new InputError(`${file}: data row ${row} has ${record.length} fields, but the header has ${width} columns.`);
  }
}

/**
 * Builds the columns of a whole file (the reference), chunk by chunk, inferring each
 * column's type: numeric when every present cell is a number, text when none is; a column
 * with both is an error naming a row of each kind; a column without any value is an error.
 */
export class ReferenceTable {
  /** @param {string[]} names @param {string} file */
  constructor(names, file) {
    this.names = names;
    this.file = file;
    this.nRows = 0;
    this.cols = names.map((name) => ({ name, kind: 'unknown', pending: 0, parts: [], dict: new Map(), dictionary: [], firstRow: -1 }));
  }

  /**
   * Adds records (data rows only).
   * @param {string[][]} records
   */
  add(records) {
    const n = records.length;
    const w = this.names.length;
    for (let i = 0; i < n; i++) checkWidth(records[i], w, this.nRows + i + 1, this.file);
    for (let j = 0; j < w; j++) {
      const c = this.cols[j];
      let start = 0;
      if (c.kind === 'unknown') {
        while (start < n && NA_VALUES.has(records[start][j] ?? '')) start++;
        if (start === n) { c.pending += n; continue; }
        const cell = records[start][j];
        c.kind = numericCell(cell) === undefined ? 'text' : 'numeric';
        c.firstRow = this.nRows + start + 1;
        c.firstCell = cell;
        if (c.pending > 0) c.parts.push(c.kind === 'numeric' ? new Float64Array(c.pending).fill(NaN) : new Int32Array(c.pending).fill(-1));
        c.pending = 0;
      }
      if (c.kind === 'numeric') {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const cell = records[i][j] ?? '';
          if (NA_VALUES.has(cell)) { out[i] = NaN; continue; }
          const v = numericCell(cell);
          if (v === undefined) throw this.mixed(c, this.nRows + i + 1, cell);
          out[i] = v;
        }
        c.parts.push(out);
      } else {
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const cell = records[i][j] ?? '';
          if (NA_VALUES.has(cell)) { out[i] = -1; continue; }
          if (numericCell(cell) !== undefined) throw this.mixed(c, this.nRows + i + 1, cell);
          let k = c.dict.get(cell);
          if (k === undefined) { k = c.dictionary.length; c.dictionary.push(cell); c.dict.set(cell, k); }
          out[i] = k;
        }
        c.parts.push(out);
      }
    }
    this.nRows += n;
  }

  mixed(c, row, cell) {
    const first = c.kind === 'numeric' ? `the number ${c.firstCell}` : `the text ${quote(c.firstCell)}`;
    const now = c.kind === 'numeric' ? `the text ${quote(cell)}` : `the number ${cell}`;
    return new InputError(`${this.file}: column ${quote(c.name)} mixes numbers and text: data row ${c.firstRow} holds ${first}, data row ${row} holds ${now}. ` +
      'A column must hold only numbers or only labels (empty cells are fine).', 'COLUMN_TYPE');
  }

  /**
   * The columns, as wasmlearn `Frame` columns.
   * @returns {{ names: string[], nRows: number, columns: object[] }}
   */
  finish() {
    if (this.nRows === 0) throw new InputError(`${this.file} has a header but no data rows.`, 'EMPTY_INPUT');
    const columns = this.cols.map((c) => {
      if (c.kind === 'unknown') {
        throw new InputError(`${this.file}: column ${quote(c.name)} is empty (none of its ${this.nRows} rows has a value), so its distribution cannot be learned. Remove the column or fill it.`, 'MISSING_VALUE');
      }
      const Arr = c.kind === 'numeric' ? Float64Array : Int32Array;
      const all = new Arr(this.nRows);
      let off = 0;
      for (const p of c.parts) { all.set(p, off); off += p.length; }
      c.parts = [];
      return c.kind === 'numeric'
        ? { kind: 'numeric', name: c.name, values: all }
        : { kind: 'categorical', name: c.name, codes: all, dictionary: c.dictionary };
    });
    return { names: this.names, nRows: this.nRows, columns };
  }
}

/**
 * Converts chunks of the current file to `Frame` columns typed by the reference profile:
 * numeric columns must hold numbers; categorical columns hold text (numbers when the
 * profile's categories are numbers). Columns unknown to the reference are skipped;
 * reference columns absent from the file are left out (the profile counts them as absent).
 */
export class CurrentTable {
  /**
   * @param {string[]} names - the current file's header
   * @param {{ name: string, type: 'numeric' | 'categorical', categories?: (string | number)[] }[]} schema - the reference profile's columns
   * @param {string} file
   */
  constructor(names, schema, file) {
    this.names = names;
    this.file = file;
    this.nRows = 0;
    const byName = new Map(names.map((n, j) => [n, j]));
    const shared = schema.filter((c) => byName.has(c.name));
    if (shared.length === 0) {
      throw new InputError(`${file} has a different header: none of its columns (${names.slice(0, 8).map(quote).join(', ')}${names.length > 8 ? ', ...' : ''}) ` +
        `is a reference column (${schema.slice(0, 8).map((c) => quote(c.name)).join(', ')}${schema.length > 8 ? ', ...' : ''}). Choose a file with the reference's columns.`, 'SCHEMA_MISMATCH');
    }
    this.missing = schema.filter((c) => !byName.has(c.name)).map((c) => c.name);
    const known = new Set(schema.map((c) => c.name));
    this.extra = names.filter((n) => !known.has(n));
    this.cols = shared.map((c) => ({
      name: c.name, j: byName.get(c.name), kind: c.type,
      numericLabels: c.type === 'categorical' && (c.categories ?? []).length > 0 && c.categories.every((v) => typeof v === 'number'),
    }));
  }

  /**
   * Frame columns of one chunk of records.
   * @param {string[][]} records
   * @returns {object[]}
   */
  chunk(records) {
    const n = records.length;
    const w = this.names.length;
    for (let i = 0; i < n; i++) checkWidth(records[i], w, this.nRows + i + 1, this.file);
    const out = this.cols.map((c) => {
      const j = c.j;
      if (c.kind === 'numeric') {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const cell = records[i][j] ?? '';
          if (NA_VALUES.has(cell)) { values[i] = NaN; continue; }
          const v = numericCell(cell);
          if (v === undefined) {
            throw new InputError(`${this.file}: column ${quote(c.name)} is numeric in the reference, but data row ${this.nRows + i + 1} holds the text ${quote(cell)}.`, 'COLUMN_TYPE');
          }
          values[i] = v;
        }
        return { kind: 'numeric', name: c.name, values };
      }
      const codes = new Int32Array(n);
      const dict = new Map();
      const dictionary = [];
      for (let i = 0; i < n; i++) {
        const cell = records[i][j] ?? '';
        if (NA_VALUES.has(cell)) { codes[i] = -1; continue; }
        let key = cell;
        if (c.numericLabels) { const v = numericCell(cell); if (v !== undefined) key = v; }
        let k = dict.get(key);
        if (k === undefined) { k = dictionary.length; dictionary.push(key); dict.set(key, k); }
        codes[i] = k;
      }
      return { kind: 'categorical', name: c.name, codes, dictionary };
    });
    this.nRows += n;
    return out;
  }
}
