/**
 * Signature enforcement as MLflow's pyfunc does it, on a frame: the columns of the
 * signature are selected in its order (extra columns are ignored), a missing
 * required column is an error, and values are cast where the cast is safe
 * (integers to double, numeric strings to double, numbers to string categories).
 * @packageDocumentation
 */
import { Frame, type CategoricalColumn, type Category, type Column } from '../core/frame.js';
import { ScoringError, invalidInput } from './errors.js';
import { numericCell } from './csv.js';
import type { ModelSignature, SignatureInput } from './types.js';

/** Python's repr of a list of strings: `['a', 'b']`. */
export function pyList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** MLflow's rendering of a column signature: `['age': double (required), …]`. */
export function describeSignature(signature: ModelSignature): string {
  return `[${signature.inputs.map((c) => `'${c.name}': ${c.type}${c.required === false ? ' (optional)' : ' (required)'}`).join(', ')}]`;
}

const PANDAS_TYPE: Record<string, string> = {
  double: 'float64', float: 'float32', long: 'int64', integer: 'int32', boolean: 'bool', string: 'object',
};

/**
 * Applies a model signature to a frame.
 *
 * Positional input (no column names, e.g. `inputs: [[…]]`) of the signature's width
 * gets the signature's names in order. Cost: one pass over each converted column;
 * numeric columns of a `double` input pass through without copying.
 *
 * @param frame - the request's data
 * @param signature - the model's input schema; `null` returns the frame unchanged
 * @returns a frame with the signature's columns, in its order, cast to its types
 * @throws ScoringError INVALID_PARAMETER_VALUE - a required column is missing, or a value
 *   cannot be cast safely (1.5 into a `long` column)
 * @throws ScoringError BAD_REQUEST - a value is not of the column's type ("abc" in a `double` column)
 * @example
 * enforceSignature(Frame.from([{ age: 63, extra: 1 }]), { inputs: [{ name: 'age', type: 'double' }] }).names;
 * // => ['age']
 */
export function enforceSignature(frame: Frame, signature: ModelSignature | null | undefined): Frame {
  if (!signature || signature.inputs.length === 0) return frame;
  const specs = signature.inputs;
  let input = frame;
  if (!frame.hasNames && frame.nCols === specs.length) {
    input = new Frame(frame.columns.map((c, j) => renameColumn(c, specs[j].name)), frame.nRows);
  }
  const missing = specs.filter((s) => s.required !== false && !input.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    const wanted = new Set(specs.map((s) => s.name));
    const extra = input.names.filter((n) => !wanted.has(n));
    let message = `Model is missing inputs ${pyList(missing)}.`;
    if (extra.length > 0) message += ` Note that there were extra inputs: ${pyList(extra)}.`;
    throw new ScoringError('INVALID_PARAMETER_VALUE',
      `Failed to enforce schema of data with schema ${describeSignature(signature)}. Error: ${message}`);
  }
  const cols: Column[] = [];
  for (const spec of specs) {
    if (!input.has(spec.name)) continue;
    cols.push(castColumn(input.column(spec.name), spec));
  }
  return new Frame(cols, input.nRows);
}

function renameColumn(c: Column, name: string): Column {
  return c.kind === 'numeric' ? { kind: 'numeric', name, values: c.values } : { ...c, name };
}

function conversionError(spec: SignatureInput, detail: string): ScoringError {
  return invalidInput(`Data is not compatible with model signature. Failed to convert column ${spec.name} ` +
    `to type '${PANDAS_TYPE[spec.type] ?? spec.type}'. Error: ${detail}`);
}

function castColumn(c: Column, spec: SignatureInput): Column {
  switch (spec.type) {
    case 'double':
    case 'float':
      return toNumeric(c, spec, 'float');
    case 'long':
    case 'integer':
      return toNumeric(c, spec, 'int');
    case 'boolean':
      return toNumeric(c, spec, 'bool');
    case 'string':
      return toStrings(c);
    default:
      return c; // datetime, binary, …: passed to the model as given
  }
}

function toNumeric(c: Column, spec: SignatureInput, kind: 'float' | 'int' | 'bool'): Column {
  let values: Float64Array;
  if (c.kind === 'numeric') {
    values = c.values;
  } else {
    const asNum = c.dictionary.map((d) => categoryToNumber(d, spec, kind));
    values = new Float64Array(c.codes.length);
    for (let i = 0; i < values.length; i++) { const k = c.codes[i]; values[i] = k < 0 ? NaN : asNum[k]; }
  }
  if (kind === 'int') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw conversionError(spec, `Cannot convert non-finite values (NA or inf) to integer (row ${i}).`);
      }
      if (!Number.isInteger(v)) {
        throw new ScoringError('INVALID_PARAMETER_VALUE',
          `Incompatible input types for column ${spec.name}. Can not safely convert float64 to int64 ` +
          `(row ${i} holds ${v}).`);
      }
    }
  } else if (kind === 'bool') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== 0 && v !== 1 && !Number.isNaN(v)) {
        throw new ScoringError('INVALID_PARAMETER_VALUE',
          `Incompatible input types for column ${spec.name}. Expected booleans (true/false or 0/1); row ${i} holds ${v}.`);
      }
    }
  }
  return values === (c as { values?: Float64Array }).values ? c : { kind: 'numeric', name: c.name, values };
}

function categoryToNumber(d: Category, spec: SignatureInput, kind: 'float' | 'int' | 'bool'): number {
  if (typeof d === 'number') return d;
  if (kind === 'bool') {
    const t = d.trim().toLowerCase();
    if (t === 'true') return 1;
    if (t === 'false') return 0;
    throw conversionError(spec, `could not convert string to bool: '${d}'`);
  }
  const v = numericCell(d);
  if (v === undefined) {
    throw conversionError(spec, kind === 'int'
      ? `invalid literal for int() with base 10: '${d}'`
      : `could not convert string to float: '${d}'`);
  }
  return v;
}

function toStrings(c: Column): Column {
  if (c.kind === 'categorical') {
    if (c.dictionary.every((d) => typeof d === 'string')) return c;
    return mergeDictionary(c.name, c.codes, c.dictionary.map(String));
  }
  const codes = new Int32Array(c.values.length);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < codes.length; i++) {
    const v = c.values[i];
    if (Number.isNaN(v)) { codes[i] = -1; continue; }
    const s = String(v);
    let k = index.get(s);
    if (k === undefined) { k = dictionary.length; dictionary.push(s); index.set(s, k); }
    codes[i] = k;
  }
  return { kind: 'categorical', name: c.name, codes, dictionary };
}

/** Re-encodes when converting numbers to strings made two dictionary entries equal (1 and "1"). */
function mergeDictionary(name: string, codes: Int32Array, strings: string[]): CategoricalColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const remap = strings.map((s) => {
    let k = index.get(s);
    if (k === undefined) { k = dictionary.length; dictionary.push(s); index.set(s, k); }
    return k;
  });
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : remap[codes[i]];
  return { kind: 'categorical', name, codes: out, dictionary };
}
