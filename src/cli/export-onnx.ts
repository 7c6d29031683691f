/**
 * `wasmlearn export-onnx`: writes a fitted model as a standard ONNX model.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { WasmlearnError } from '../core/errors.js';
import { Pipeline } from '../compose/pipeline.js';
import { registerFunction, registeredFunction } from '../preprocessing/function-transformer.js';
import { toONNX, type OnnxFunctionOp, type OnnxFunctionSpec } from '../onnx/index.js';
import { required, type CliIO, type Command } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { FUNCTIONS_HELP, resolveModel } from './model-source.js';

const OPS: readonly OnnxFunctionOp[] = ['Div', 'Mul', 'Add', 'Sub'];

/**
 * Parses `--function name=Op:a,b` (e.g. `ratio=Div:thalach,trestbps`).
 * @throws UsageError - malformed spec or unknown op
 * @example parseFunctionSpec('ratio=Div:thalach,trestbps'); // => ['ratio', { op: 'Div', inputs: ['thalach', 'trestbps'] }]
 */
export function parseFunctionSpec(s: string): [string, OnnxFunctionSpec] {
  const m = /^([^=]+)=([A-Za-z]+):([^,]+),([^,]+)$/.exec(s);
  if (!m) throw new UsageError(`--function must look like name=Op:a,b (e.g. ratio=Div:thalach,trestbps); got '${s}'.`);
  const op = OPS.find((o) => o.toLowerCase() === m[2].toLowerCase());
  if (!op) throw new UsageError(`--function ${m[1]}: the op must be one of ${OPS.join(', ')}; got '${m[2]}'.`);
  return [m[1], { op, inputs: [m[3], m[4]] }];
}

export const exportOnnxCommand: Command = {
  name: 'export-onnx',
  summary: 'write a fitted model as an ONNX model (onnxruntime, Triton, ...)',
  usage: `Usage: wasmlearn export-onnx --model <model> --output <model.onnx> [options]

Writes the fitted pipeline as a standard ONNX model with the ai.onnx.ml operators
skl2onnx uses: one input per column ([N,1] float, or string for string columns), outputs
'label' and 'probabilities' ([N,k] float). See docs/onnx.md.

Options:
  --model <model>           .json model document, .pkl pickle, MLflow model directory,
                            runs:/<run_id>/<path> or models:/<name>/<version>
  --output <file>           where to write the .onnx file
  --function <name=Op:a,b>  express the FunctionTransformer <name> as a op b, with Op one
                            of Div, Mul, Add, Sub (repeatable). Without it a
                            FunctionTransformer cannot be exported.
  --tracking-dir <dir>      local MLflow store for runs:/ and models:/ URIs (default ./mlruns)
${FUNCTIONS_HELP}
  -h, --help                this help

Exit codes: 0 ok, 2 usage error, 3 input or model error (including a step ONNX cannot express).`,
  options: {
    model: { type: 'string' }, output: { type: 'string' }, function: { type: 'string', multiple: true },
    'tracking-dir': { type: 'string' }, functions: { type: 'string' },
  },
  async run(values, io: CliIO): Promise<number> {
    const modelSpec = required(values, 'model');
    const output = required(values, 'output');
    const specs = ((values.function as string[] | undefined) ?? []).map(parseFunctionSpec);
    // A declared function needs no JavaScript body to be exported; bind a stand-in so the model loads.
    for (const [name] of specs) {
      if (!registeredFunction(name)) {
        registerFunction(name, () => {
          throw new WasmlearnError('UNSUPPORTED', `The function '${name}' was declared for ONNX export only and cannot run here.`);
        });
      }
    }
    const { model } = await resolveModel(modelSpec, { trackingDir: values['tracking-dir'] as string | undefined, functions: values.functions as string | undefined });
    if (!(model instanceof Pipeline)) throw new WasmlearnError('UNSUPPORTED', `ONNX export: '${modelSpec}' did not load as a Pipeline.`);
    const bytes = toONNX(model, { functions: Object.fromEntries(specs) });
    writeFileSync(output, bytes);
    io.stderr.write(`wrote ${output} (${bytes.length} bytes; inputs ${model.featureNamesIn_?.length ?? 0} columns, outputs label, probabilities)\n`);
    return EXIT.OK;
  },
};
