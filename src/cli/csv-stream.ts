/**
 * Streaming CSV: records are parsed as they arrive and handed on in chunks, so a file
 * of any size is read in memory proportional to one chunk.
 * @packageDocumentation
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { WasmlearnError } from '../core/errors.js';
import type { Scalar } from '../core/frame.js';
import { headerNames, recordsToColumns } from '../serve/csv.js';

/** One chunk of a CSV file. */
export interface CsvChunk {
  /** Column names from the header row. */
  header: string[];
  /** Typed columns of this chunk (see `typeColumn`). */
  columns: Record<string, Scalar[]>;
  /** Rows in this chunk. */
  nRows: number;
  /** Zero-based index of this chunk's first data row in the file. */
  offset: number;
}

/**
 * Reads a CSV file (or stdin for `-`) in chunks of `chunkRows` data rows.
 *
 * @param path - file path, or `-` for standard input
 * @param chunkRows - rows per chunk (default 10 000)
 * @throws WasmlearnError INVALID_INPUT - unreadable file, malformed CSV, empty file
 * @example
 * for await (const chunk of readCsvChunks('data.csv')) console.log(chunk.offset, chunk.nRows);
 */
export async function* readCsvChunks(path: string, chunkRows = 10_000): AsyncGenerator<CsvChunk> {
  const source: Readable = path === '-' ? process.stdin : createReadStream(path);
  const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count_less: true }));
  source.on('error', (e) => parser.destroy(e));
  let header: string[] | null = null;
  let rows: string[][] = [];
  let offset = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === null) { header = headerNames(record); continue; }
      rows.push(record);
      if (rows.length >= chunkRows) {
        yield chunk(header, rows, offset);
        offset += rows.length;
        rows = [];
      }
    }
  } catch (e) {
    if (e instanceof WasmlearnError) throw e;
    const err = e as NodeJS.ErrnoException;
    const what = err.code === 'ENOENT' ? `No such file '${path}'.` : `Cannot read the CSV '${path}': ${err.message}`;
    throw new WasmlearnError('INVALID_INPUT', what, {}, { cause: e });
  }
  if (header === null) throw new WasmlearnError('INVALID_INPUT', `The CSV '${path}' is empty: a header row is required.`);
  if (rows.length > 0 || offset === 0) yield chunk(header, rows, offset);
}

function chunk(header: string[], rows: string[][], offset: number): CsvChunk {
  try {
    return { header, columns: recordsToColumns(header, rows), nRows: rows.length, offset };
  } catch (e) {
    if (e instanceof WasmlearnError && typeof e.details.row === 'number') {
      throw new WasmlearnError(e.code, e.message.replace(/record \d+/, `record ${offset + e.details.row + 1}`),
        { ...e.details, row: offset + e.details.row }, { cause: e });
    }
    throw e;
  }
}

/**
 * Reads a whole CSV file into one column object (for reference / test sets that are
 * needed whole, such as drift references).
 */
export async function readCsv(path: string): Promise<{ header: string[]; columns: Record<string, Scalar[]>; nRows: number }> {
  let header: string[] = [];
  const parts: Record<string, Scalar[]>[] = [];
  let nRows = 0;
  for await (const c of readCsvChunks(path, 50_000)) {
    header = c.header;
    parts.push(c.columns);
    nRows += c.nRows;
  }
  const columns: Record<string, Scalar[]> = {};
  for (const name of header) {
    // Per-chunk typing may leave a column numeric in one chunk and strings in another:
    // a column is numbers only when every chunk typed it so.
    const allNumeric = parts.every((p) => p[name].every((v) => v === null || typeof v === 'number'));
    columns[name] = parts.flatMap((p) => (allNumeric ? p[name] : p[name].map((v) => (v === null ? null : String(v)))));
  }
  return { header, columns, nRows };
}

/** A text sink with backpressure: `write` waits when the stream's buffer is full. */
export interface TextSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `path` for writing, or standard output for `-`.
 */
export function openSink(path: string): TextSink {
  const stream: Writable = path === '-' ? process.stdout : createWriteStream(path);
  let failed: Error | null = null;
  stream.on('error', (e) => { failed = e; });
  return {
    async write(text: string) {
      if (failed) throw failed;
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close() {
      if (failed) throw failed;
      if (stream === process.stdout) return;
      await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    },
  };
}
