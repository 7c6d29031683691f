/**
 * `wasmlearn score`: scores a CSV of any size in constant memory.
 * @packageDocumentation
 */
import { WasmlearnError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { csvCell } from '../serve/csv.js';
import { ScoringError } from '../serve/errors.js';
import { enforceSignature } from '../serve/schema.js';
import type { PredictFn, ScoringModel } from '../serve/types.js';
import { intOption, predictFnOption, required, type CliIO, type Command } from './args.js';
import { readCsvChunks, openSink } from './csv-stream.js';
import { EXIT } from './errors.js';
import { FUNCTIONS_HELP, resolveModel } from './model-source.js';

/** Rows per chunk when streaming. */
export const CHUNK_ROWS = 10_000;

/**
 * Scores one frame: labels and, for `predict_proba`, the probability rows.
 * Signature enforcement is the server's, so the CLI and the server accept the same data.
 *
 * @throws WasmlearnError - input the model refuses; the row number is relative to `offset`
 */
export function scoreFrame(model: ScoringModel, frame: Frame, predictFn: PredictFn, offset = 0):
  { labels: (number | string)[]; proba: { rows: number; cols: number; data: ArrayLike<number> } | null } {
  try {
    const X = enforceSignature(frame, model.signature_ ?? null);
    const labels = Array.from(model.predict(X));
    let proba = null;
    if (predictFn === 'predict_proba') {
      if (typeof model.predictProba !== 'function') {
        throw new WasmlearnError('UNSUPPORTED', "The model has no predict_proba method; use --predict-fn predict.");
      }
      proba = model.predictProba(X);
    }
    return { labels, proba };
  } catch (e) {
    throw withRowOffset(e, offset);
  }
}

/** Rewrites "row N" in a model or schema error to the row number in the whole file. */
export function withRowOffset(e: unknown, offset: number): unknown {
  if (offset === 0) return e;
  const shift = (m: string) => m.replace(/\b(row) (\d+)\b/g, (_s, w: string, n: string) => `${w} ${Number(n) + offset}`);
  if (e instanceof WasmlearnError) {
    const row = typeof e.details.row === 'number' ? e.details.row + offset : e.details.row;
    return new WasmlearnError(e.code, shift(e.message), { ...e.details, row }, { cause: e });
  }
  if (e instanceof ScoringError) return new ScoringError(e.errorCode, shift(e.message), { status: e.status, cause: e });
  return e;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score a CSV file with a model, streaming (constant memory)',
  usage: `Usage: wasmlearn score --model <model> --input <data.csv|-> [options]

Scores every row of a CSV file and writes a CSV with a 'prediction' column and, with
--predict-fn predict_proba, one 'proba_<class>' column per class, row for row. The input
is read and scored in chunks, so files of any size run in constant memory. Progress goes
to stderr for inputs of more than one chunk.

Options:
  --model <model>         .json model document, .pkl pickle, MLflow model directory,
                          runs:/<run_id>/<path> or models:/<name>/<version>
  --input <file|->        CSV with a header row ('-' reads stdin). Empty cells are missing;
                          numeric-looking columns are numbers
  --output <file|->       where to write the scores (default '-', stdout)
  --predict-fn <fn>       predict (default, or the MLmodel's predict_fn) or predict_proba
  --tracking-dir <dir>    local MLflow store for runs:/ and models:/ URIs (default ./mlruns)
${FUNCTIONS_HELP}
  --chunk-rows <n>        rows per chunk (default ${CHUNK_ROWS})
  --quiet                 no progress on stderr
  -h, --help              this help

Exit codes: 0 ok, 2 usage error, 3 input or model error.`,
  options: {
    model: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' },
    'predict-fn': { type: 'string' }, 'tracking-dir': { type: 'string' }, functions: { type: 'string' }, 'chunk-rows': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  async run(values, io: CliIO) {
    const modelSpec = required(values, 'model');
    const input = required(values, 'input');
    const output = typeof values.output === 'string' ? values.output : '-';
    const chunkRows = intOption(values, 'chunk-rows', CHUNK_ROWS, 1);
    const fnOption = predictFnOption(values);
    const resolved = await resolveModel(modelSpec, { trackingDir: values['tracking-dir'] as string | undefined, functions: values.functions as string | undefined });
    const predictFn: PredictFn = fnOption ?? resolved.predictFn ?? 'predict';
    const model = resolved.model;
    const classes = model.classes_ ?? [];
    const sink = openSink(output);
    const started = Date.now();
    let total = 0;
    let chunks = 0;
    try {
      for await (const chunk of readCsvChunks(input, chunkRows)) {
        if (chunks === 0) {
          const head = ['prediction'];
          if (predictFn === 'predict_proba') head.push(...classes.map((c) => `proba_${c}`));
          await sink.write(head.map(csvCell).join(',') + '\n');
        }
        chunks++;
        if (chunk.nRows === 0) break;
        const frame = Frame.from(chunk.columns);
        const { labels, proba } = scoreFrame(model, frame, predictFn, chunk.offset);
        const lines: string[] = new Array(labels.length);
        for (let i = 0; i < labels.length; i++) {
          let line = csvCell(labels[i]);
          if (proba) for (let j = 0; j < proba.cols; j++) line += ',' + csvCell(proba.data[i * proba.cols + j]);
          lines[i] = line;
        }
        await sink.write(lines.join('\n') + '\n');
        total += chunk.nRows;
        if (!values.quiet && chunks > 1) {
          const secs = (Date.now() - started) / 1000;
          io.stderr.write(`scored ${total} rows (${Math.round(total / Math.max(secs, 1e-3))} rows/s)\n`);
        }
      }
    } finally {
      await sink.close();
    }
    if (!values.quiet && chunks > 1) io.stderr.write(`done: ${total} rows in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
    return EXIT.OK;
  },
};
