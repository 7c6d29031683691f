/**
 * The MLflow scoring protocol (`POST /invocations`), request side and response side,
 * independent of any HTTP library: content-type rules, the four JSON formats
 * (`dataframe_split`, `dataframe_records`, `instances`, `inputs`) plus `params`,
 * `text/csv`, signature enforcement, and the `{"predictions": …}` reply. One addition
 * to MLflow 2: an unwrapped `{columns, data, index}` body (what MLflow 1.x clients and
 * its tutorial send, `df.to_json(orient='split')`) is read as `dataframe_split`.
 * @packageDocumentation
 */
import { WasmlearnError } from '../core/errors.js';
import { Frame, type FrameInput, type Scalar } from '../core/frame.js';
import { parseCsv } from './csv.js';
import { PlainReply, ScoringError, invalidInput, toScoringError } from './errors.js';
import { parseJsonLenient } from './json.js';
import { enforceSignature } from './schema.js';
import type { ModelSignature, PredictFn, ScoringModel } from './types.js';

/** The JSON keys that select an input format, as MLflow's `SUPPORTED_FORMATS`. */
export const SUPPORTED_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
/** One of {@link SUPPORTED_FORMATS}, or `csv`. */
export type InputFormat = (typeof SUPPORTED_FORMATS)[number] | 'csv';

const CONTENT_TYPES = ['text/csv', 'application/json'];
const REQUIRED_INPUT_FORMAT =
  `The input must be a JSON dictionary with exactly one of the input fields {${SUPPORTED_FORMATS.map((f) => `'${f}'`).join(', ')}}`;
const PROTOCOL_CHANGE_INFO =
  'IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, ' +
  'you are likely using an outdated scoring request format: wrap the data in one of the fields above ' +
  '(for a pandas DataFrame, {"dataframe_split": df.to_dict(orient="split")}).';

/** A parsed scoring request. */
export interface ParsedInvocation {
  /** The data, after signature enforcement. */
  frame: Frame;
  /** The `params` object of a JSON request (accepted, not used by scikit-learn models), or `null`. */
  params: Record<string, unknown> | null;
  /** Which format the data came in. */
  format: InputFormat;
}

/**
 * Checks a `Content-Type` header as MLflow does: `application/json` or `text/csv`,
 * the only parameter allowed is `charset`, and it must be `utf-8`.
 *
 * @param contentType - the header value (may be undefined)
 * @returns the media type, `'application/json'` or `'text/csv'`
 * @throws PlainReply 415 - another media type, another charset, or another parameter
 * @example
 * checkContentType('application/json; charset=UTF-8'); // => 'application/json'
 */
export function checkContentType(contentType: string | undefined): 'application/json' | 'text/csv' {
  const parts = (contentType ?? '').split(';').map((p) => p.trim());
  const mime = parts[0].toLowerCase();
  const params = new Map<string, string>();
  for (const p of parts.slice(1)) {
    if (p === '') continue;
    const eq = p.indexOf('=');
    const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const value = (eq < 0 ? '' : p.slice(eq + 1)).trim().replace(/^"(.*)"$/, '$1');
    params.set(key, value);
  }
  const charset = (params.get('charset') ?? 'utf-8').toLowerCase();
  if (charset !== 'utf-8') throw new PlainReply(415, 'The scoring server only supports UTF-8');
  const unexpected = [...params.keys()].filter((k) => k !== 'charset');
  if (unexpected.length > 0) {
    throw new PlainReply(415, `Unrecognized content type parameters: ${unexpected.join(', ')}. ${PROTOCOL_CHANGE_INFO}`);
  }
  if (mime !== 'application/json' && mime !== 'text/csv') {
    throw new PlainReply(415,
      `This predictor only supports the following content types: Types: ['${CONTENT_TYPES.join("', '")}']. ` +
      `Got '${contentType ?? ''}'.`);
  }
  return mime;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a request body as UTF-8 (a BOM is dropped).
 * @throws ScoringError MALFORMED_REQUEST - the bytes are not valid UTF-8
 */
export function decodeBody(body: Uint8Array | string): string {
  if (typeof body === 'string') return body;
  try {
    return utf8.decode(body);
  } catch (e) {
    throw new ScoringError('MALFORMED_REQUEST', 'The request body is not valid UTF-8, which the scoring server requires.', { cause: e });
  }
}

/**
 * Parses a `POST /invocations` request into a frame, as MLflow's scoring server.
 *
 * @param body - the raw body (bytes or text), or an already-parsed JSON value
 *   (when a framework's JSON middleware ran first)
 * @param contentType - the `Content-Type` header
 * @param signature - the model's input schema, enforced on the data (`null`: none)
 * @returns the enforced frame, `params`, and the format used
 * @throws PlainReply 415 - content-type rules (see {@link checkContentType})
 * @throws ScoringError BAD_REQUEST / MALFORMED_REQUEST / INVALID_PARAMETER_VALUE - with MLflow's messages
 * @example
 * parseInvocation('{"dataframe_split": {"columns": ["a"], "data": [[1]]}}', 'application/json', null).frame.nRows;
 * // => 1
 */
export function parseInvocation(body: Uint8Array | string | object, contentType: string | undefined,
  signature: ModelSignature | null | undefined): ParsedInvocation {
  const mime = checkContentType(contentType);
  let input: FrameInput;
  let params: Record<string, unknown> | null = null;
  let format: InputFormat;
  if (mime === 'text/csv') {
    if (typeof body === 'object' && !(body instanceof Uint8Array)) {
      throw new ScoringError('BAD_REQUEST', 'A text/csv request needs the raw body; mount the handler before any body parser.');
    }
    const text = decodeBody(body);
    try {
      input = parseCsv(text);
    } catch (e) {
      throw new ScoringError('BAD_REQUEST',
        'Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas ' +
        `DataFrame produced using the \`pandas.DataFrame.to_csv()\` method. Error: '${(e as Error).message}'`, { cause: e });
    }
    format = 'csv';
  } else {
    const decoded = typeof body === 'object' && !(body instanceof Uint8Array) ? body : decodeJson(decodeBody(body));
    ({ input, params, format } = fromJsonRequest(decoded));
  }
  let frame: Frame;
  try {
    frame = Frame.from(input);
  } catch (e) {
    if (e instanceof WasmlearnError) throw invalidInput(`Provided ${format} field is not a valid dataframe representation. Error: '${e.message}'`, e);
    throw e;
  }
  return { frame: enforceSignature(frame, signature), params, format };
}

function decodeJson(text: string): unknown {
  try {
    return parseJsonLenient(text);
  } catch (e) {
    throw invalidInput(`Ensure that input is a valid JSON formatted string. Error: '${(e as Error).message}'`, e);
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function fromJsonRequest(decoded: unknown): { input: FrameInput; params: Record<string, unknown> | null; format: InputFormat } {
  if (Array.isArray(decoded)) throw invalidInput(`${REQUIRED_INPUT_FORMAT}. Received a list.`);
  if (decoded === null || typeof decoded !== 'object') {
    throw invalidInput(`${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${typeName(decoded)}'.`);
  }
  const obj = decoded as Record<string, unknown>;
  const keys = Object.keys(obj);
  const formats = keys.filter((k): k is (typeof SUPPORTED_FORMATS)[number] => (SUPPORTED_FORMATS as readonly string[]).includes(k));
  if (formats.length === 0 && isBareSplit(obj)) {
    // MLflow 1.x clients (and its tutorial) post `df.to_json(orient='split')` unwrapped;
    // MLflow 2 refuses it, wasmlearn reads it as `dataframe_split`.
    return { input: fromSplit(obj), params: null, format: 'dataframe_split' };
  }
  if (formats.length !== 1) {
    throw new ScoringError('BAD_REQUEST',
      `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: [${keys.map((k) => `'${k}'`).join(', ')}]. ${PROTOCOL_CHANGE_INFO}`);
  }
  const format = formats[0];
  const rawParams = obj.params;
  if (rawParams !== undefined && rawParams !== null && (typeof rawParams !== 'object' || Array.isArray(rawParams))) {
    throw new ScoringError('INVALID_PARAMETER_VALUE', `'params' must be a JSON dictionary; got ${typeName(rawParams)}.`);
  }
  const params = (rawParams ?? null) as Record<string, unknown> | null;
  const data = obj[format];
  switch (format) {
    case 'dataframe_split': return { input: fromSplit(data), params, format };
    case 'dataframe_records': return { input: fromRecords(data), params, format };
    default: return { input: fromTensorInput(data, format), params, format };
  }
}

/** `{columns?, data, index?}` and nothing else, with `data` a list: pandas' split orient. */
function isBareSplit(obj: Record<string, unknown>): boolean {
  const keys = Object.keys(obj);
  return Array.isArray(obj.data) && keys.every((k) => k === 'columns' || k === 'data' || k === 'index');
}

function fromSplit(data: unknown): FrameInput {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidInput(`Dataframe split format must be a dictionary. Got ${Array.isArray(data) ? 'list' : `type ${typeName(data)}`}.`);
  }
  const d = data as Record<string, unknown>;
  const keys = Object.keys(d);
  const extra = keys.filter((k) => k !== 'columns' && k !== 'data' && k !== 'index');
  if (!('data' in d) || extra.length > 0) {
    throw invalidInput(`Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. ` +
      `Got {${keys.map((k) => `'${k}'`).join(', ')}}.`);
  }
  const rows = d.data;
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
    throw invalidInput(`Provided dataframe_split field is not a valid dataframe representation in 'split' format. ` +
      `Error: 'data' must be a list of rows (lists).`);
  }
  if (d.columns === undefined || d.columns === null) return rows as Scalar[][];
  if (!Array.isArray(d.columns)) {
    throw invalidInput(`Provided dataframe_split field is not a valid dataframe representation in 'split' format. ` +
      `Error: 'columns' must be a list of names.`);
  }
  const columns = d.columns.map(String);
  if (rows.length === 0) return Object.fromEntries(columns.map((c) => [c, [] as Scalar[]]));
  return { columns, data: rows as Scalar[][] };
}

function fromRecords(data: unknown): FrameInput {
  if (!Array.isArray(data)) {
    throw invalidInput(`Dataframe records format must be a list of records. Got ${data !== null && typeof data === 'object' ? 'dictionary' : `type ${typeName(data)}`}.`);
  }
  return data as FrameInput;
}

function fromTensorInput(data: unknown, format: 'instances' | 'inputs'): FrameInput {
  if (Array.isArray(data)) {
    if (data.length > 0 && data.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return data as FrameInput;
    if (data.length > 0 && data.every((x) => Array.isArray(x))) return data as Scalar[][];
    if (data.every((x) => x === null || typeof x !== 'object')) return (data as Scalar[]).map((x) => [x]);
    throw invalidInput(`Ensure that the input is a valid JSON-formatted string. The '${format}' list mixes rows and values.`);
  }
  if (data !== null && typeof data === 'object') {
    const cols: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) cols[k] = Array.isArray(v) ? v : [v];
    return cols as FrameInput;
  }
  return [[data as Scalar]];
}

/**
 * Scores a parsed request with the chosen method.
 *
 * @param model - the model
 * @param frame - the enforced data
 * @param predictFn - `predict` (labels, the sklearn flavor's default) or `predict_proba` (probability rows)
 * @returns the `predictions` value: labels, or one array of probabilities per row
 * @throws ScoringError - what the model raised, mapped to MLflow's codes
 */
export function score(model: ScoringModel, frame: Frame, predictFn: PredictFn): (number | string)[] | number[][] {
  try {
    if (predictFn === 'predict_proba') {
      if (typeof model.predictProba !== 'function') {
        throw new ScoringError('INVALID_PARAMETER_VALUE', "The model has no predict_proba method; serve it with predict_fn 'predict'.");
      }
      const m = model.predictProba(frame);
      const out: number[][] = new Array(m.rows);
      for (let i = 0; i < m.rows; i++) {
        const row: number[] = new Array(m.cols);
        for (let j = 0; j < m.cols; j++) row[j] = m.data[i * m.cols + j];
        out[i] = row;
      }
      return out;
    }
    return Array.from(model.predict(frame));
  } catch (e) {
    throw toScoringError(e);
  }
}

/**
 * Serialises predictions as MLflow does: `{"predictions": [...]}`. Non-finite numbers are
 * written as Python's `json.dumps` writes them (`NaN`, `Infinity`), which MLflow clients read.
 *
 * @example
 * formatPredictions([0, 1]); // => '{"predictions":[0,1]}'
 */
export function formatPredictions(predictions: unknown[]): string {
  const text = JSON.stringify({ predictions }, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? `\u0000${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'}` : v);
  return text.includes('\\u0000') ? text.replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, '$1') : text;
}
