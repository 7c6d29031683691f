/**
 * `wasmlearn check`: evaluation and drift against thresholds, for CI.
 * @packageDocumentation
 */
import { type Command } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { driftCsv, evaluateCsv, fmt, writeDriftHtml, writeJson, type DriftResult, type Evaluation } from './figures.js';
import { FUNCTIONS_HELP } from './model-source.js';

/** One threshold: `figure >= value` (min) or `figure <= value` (max). */
export interface Gate {
  figure: string;
  op: 'min' | 'max';
  threshold: number;
}

/** A gate's outcome. */
export interface GateResult extends Gate {
  value: number | null;
  passed: boolean;
}

/**
 * Parses `--min`/`--max` values: `name=number`, several per value separated by commas.
 * @throws UsageError - a malformed item
 * @example
 * parseGates(['accuracy=0.8'], ['dataset_drift_share=0.5']);
 * // => [{ figure: 'accuracy', op: 'min', threshold: 0.8 }, { figure: 'dataset_drift_share', op: 'max', threshold: 0.5 }]
 */
export function parseGates(min: readonly string[] = [], max: readonly string[] = []): Gate[] {
  const gates: Gate[] = [];
  const add = (items: readonly string[], op: 'min' | 'max') => {
    for (const item of items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
      const m = /^([A-Za-z_][\w.]*)=(.+)$/.exec(item);
      const threshold = m ? Number(m[2]) : NaN;
      if (!m || !Number.isFinite(threshold)) throw new UsageError(`--${op} takes name=number (for example accuracy=0.8); got '${item}'.`);
      gates.push({ figure: m[1], op, threshold });
    }
  };
  add(min, 'min');
  add(max, 'max');
  return gates;
}

/** Evaluates gates against figures; a gate on an absent or non-finite figure fails. */
export function applyGates(gates: readonly Gate[], figures: Record<string, number>): GateResult[] {
  return gates.map((g) => {
    const v = figures[g.figure];
    const value = typeof v === 'number' ? v : null;
    const passed = value !== null && Number.isFinite(value) && (g.op === 'min' ? value >= g.threshold : value <= g.threshold);
    return { ...g, value, passed };
  });
}

/** The Markdown summary printed by `check`. */
export function markdownSummary(results: readonly GateResult[], evaluation: Evaluation | null, drift: DriftResult | null): string {
  const failed = results.filter((r) => !r.passed).length;
  const out: string[] = ['## wasmlearn check', ''];
  if (results.length > 0) {
    out.push('| gate | value | threshold | result |', '|---|---:|---|---|');
    for (const r of results) {
      out.push(`| \`${r.figure}\` | ${fmt(r.value)} | ${r.op === 'min' ? '>=' : '<='} ${r.threshold} | ${r.passed ? 'pass' : '**FAIL**'} |`);
    }
    out.push('', failed === 0 ? `**Passed**: all ${results.length} gates.` : `**Failed**: ${failed} of ${results.length} gates.`, '');
  } else {
    out.push('No gates given (--min, --max): figures only.', '');
  }
  if (evaluation) {
    const s = evaluation.summary;
    out.push(`### Evaluation (${s.n} rows)`, '', '| figure | value |', '|---|---:|');
    for (const k of ['accuracy', 'binary.precision', 'binary.recall', 'binary.f1', 'macro.f1', 'roc_auc', 'log_loss', 'brier']) {
      if (k in evaluation.figures) out.push(`| \`${k}\` | ${fmt(evaluation.figures[k])} |`);
    }
    out.push('');
  }
  if (drift) {
    out.push('### Drift', '', '| figure | value |', '|---|---:|');
    for (const [k, v] of Object.entries(drift.figures)) if (!k.includes('.')) out.push(`| \`${k}\` | ${fmt(v)} |`);
    out.push('');
  }
  return out.join('\n');
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'evaluate + drift with thresholds; exits 1 when a gate fails (for CI)',
  usage: `Usage: wasmlearn check [--model <model> --input <test.csv> --target <column>]
                      [--reference <ref.csv> [--current <cur.csv>]]
                      [--min name=value]... [--max name=value]... [--json <out.json|->] [--report <report.html>]

Evaluates the model on a labelled CSV and/or measures drift between a reference and a
current CSV, checks each gate, and prints a Markdown summary (paste it into a pull
request or a CI job summary). Gate names are the snake_case figures of 'evaluate --json'
and 'drift --json': accuracy, macro.f1, binary.recall, roc_auc, log_loss, brier,
dataset_drift_share, ... A gate on a figure that was not computed fails.

Options:
  --model, --input, --target   evaluation (see 'wasmlearn evaluate --help')
  --reference <file>           drift reference CSV
  --current <file>             drift current CSV (default: --input)
  --min name=value             the figure must be >= value (repeatable, or comma-separated)
  --max name=value             the figure must be <= value (repeatable, or comma-separated)
  --json <file|->              write figures and gate results as JSON
  --report <file>              write the drift report as HTML
  --tracking-dir <dir>         local MLflow store for runs:/ and models:/ URIs
${FUNCTIONS_HELP}
  -h, --help                   this help

Exit codes: 0 all gates passed, 1 a gate failed, 2 usage error, 3 input or model error.`,
  options: {
    model: { type: 'string' }, input: { type: 'string' }, target: { type: 'string' },
    reference: { type: 'string' }, current: { type: 'string' },
    min: { type: 'string', multiple: true }, max: { type: 'string', multiple: true },
    json: { type: 'string' }, report: { type: 'string' }, 'tracking-dir': { type: 'string' }, functions: { type: 'string' },
  },
  async run(values, io) {
    const gates = parseGates(values.min as string[] | undefined, values.max as string[] | undefined);
    const model = values.model as string | undefined;
    const input = values.input as string | undefined;
    const target = values.target as string | undefined;
    const reference = values.reference as string | undefined;
    const wantsEval = model !== undefined || target !== undefined;
    if (wantsEval && (!model || !input || !target)) throw new UsageError('Evaluation needs --model, --input and --target together.');
    if (!wantsEval && !reference) throw new UsageError('Nothing to check: give --model/--input/--target, --reference, or both.');
    const current = (values.current as string | undefined) ?? input;
    if (reference && !current) throw new UsageError('Drift needs --current (or --input).');
    const evaluation = wantsEval ? await evaluateCsv(model!, input!, target!, { trackingDir: values['tracking-dir'] as string | undefined, functions: values.functions as string | undefined }) : null;
    const drift = reference ? await driftCsv(reference, current!, { exclude: target ? [target] : [] }) : null;
    const figures = { ...(drift?.figures ?? {}), ...(evaluation?.figures ?? {}) };
    const results = applyGates(gates, figures);
    io.stdout.write(markdownSummary(results, evaluation, drift) + '\n');
    if (typeof values.json === 'string') {
      writeJson({ passed: results.every((r) => r.passed), gates: results, figures }, values.json, io.stdout);
    }
    if (typeof values.report === 'string') {
      if (!drift) throw new UsageError('--report needs --reference.');
      writeDriftHtml(drift, values.report);
    }
    return results.every((r) => r.passed) ? EXIT.OK : EXIT.GATE_FAILED;
  },
};
