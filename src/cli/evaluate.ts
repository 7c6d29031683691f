/**
 * `wasmlearn evaluate` and `wasmlearn drift`.
 * @packageDocumentation
 */
import { required, type Command } from './args.js';
import { EXIT } from './errors.js';
import { driftCsv, evaluateCsv, fmt, writeDriftHtml, writeJson } from './figures.js';
import { FUNCTIONS_HELP } from './model-source.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'classification metrics of a model on a labelled CSV',
  usage: `Usage: wasmlearn evaluate --model <model> --input <test.csv> --target <column> [--json <out.json|->]

Scores the CSV (streaming) and prints accuracy, precision / recall / F1 (per class and
averaged), ROC AUC, log loss and the Brier score (binary), and the confusion matrix.

Options:
  --model <model>        .json document, .pkl pickle, MLflow model directory, runs:/ or models:/ URI
  --input <file|->       labelled CSV with a header row
  --target <column>      the label column (not passed to the model)
  --json <file|->        also write every figure as JSON
  --tracking-dir <dir>   local MLflow store for runs:/ and models:/ URIs
${FUNCTIONS_HELP}
  -h, --help             this help

Exit codes: 0 ok, 2 usage error, 3 input or model error.`,
  options: { model: { type: 'string' }, input: { type: 'string' }, target: { type: 'string' }, json: { type: 'string' }, 'tracking-dir': { type: 'string' }, functions: { type: 'string' } },
  async run(values, io) {
    const model = required(values, 'model');
    const input = required(values, 'input');
    const target = required(values, 'target');
    const { summary, figures } = await evaluateCsv(model, input, target, { trackingDir: values['tracking-dir'] as string | undefined, functions: values.functions as string | undefined });
    if (values.json === '-') {
      writeJson({ summary, figures }, '-', io.stdout);
      return EXIT.OK;
    }
    const lines = [`rows        ${summary.n}`, `classes     ${summary.labels.join(', ')}`, `accuracy    ${fmt(summary.accuracy)}`];
    if (summary.binary) lines.push(`precision   ${fmt(summary.binary.precision)}  (positive class ${summary.binary.posLabel})`,
      `recall      ${fmt(summary.binary.recall)}`, `f1          ${fmt(summary.binary.f1)}`);
    lines.push(`macro f1    ${fmt(summary.macro.f1)}`, `roc auc     ${fmt(summary.rocAuc)}`, `log loss    ${fmt(summary.logLoss)}`);
    if (summary.brier !== null) lines.push(`brier       ${fmt(summary.brier)}`);
    io.stdout.write(lines.join('\n') + '\n');
    if (typeof values.json === 'string') writeJson({ summary, figures }, values.json, io.stdout);
    return EXIT.OK;
  },
};

export const driftCommand: Command = {
  name: 'drift',
  summary: 'data drift between a reference CSV and a current CSV',
  usage: `Usage: wasmlearn drift --reference <ref.csv> --current <cur.csv> [--json <out.json|->] [--report <report.html>]

Compares every column of the current data with the reference (training) data and prints
the drift figures; --json writes the full report, --report an HTML page.

Options:
  --reference <file>   reference CSV (for example the training set)
  --current <file>     current CSV (for example recent production inputs)
  --exclude <column>   leave a column out (repeatable; for example the target)
  --json <file|->      write the report as JSON
  --report <file>      write the report as an HTML page
  -h, --help           this help

Exit codes: 0 ok, 2 usage error, 3 input error (or drift reports not available).`,
  options: { reference: { type: 'string' }, current: { type: 'string' }, json: { type: 'string' }, report: { type: 'string' }, exclude: { type: 'string', multiple: true } },
  async run(values, io) {
    const reference = required(values, 'reference');
    const current = required(values, 'current');
    const result = await driftCsv(reference, current, { exclude: values.exclude as string[] | undefined });
    const { report, figures } = result;
    if (values.json === '-') writeJson(report, '-', io.stdout);
    else {
      for (const [k, v] of Object.entries(figures)) io.stdout.write(`${k.padEnd(32)} ${fmt(v)}\n`);
      if (typeof values.json === 'string') writeJson(report, values.json, io.stdout);
    }
    if (typeof values.report === 'string') writeDriftHtml(result, values.report);
    return EXIT.OK;
  },
};
