/**
 * ONNX export: the graph's structure (decoded with protobufjs, no runtime needed) and,
 * when onnxruntime-node is installed (`npm run setup:peers`), the exported models run in
 * onnxruntime give wasmlearn's probabilities within 1e-5 absolute (float32 arithmetic)
 * and the same labels.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer, LogisticRegression, OneHotEncoder, Pipeline, SimpleImputer, StandardScaler,
  WasmlearnError, loadModel, registerFunction, saveModel, type Category,
} from '../../src/index.js';
import { decodeONNX, toONNX } from '../../src/onnx/index.js';
import { exportOnnxCommand, parseFunctionSpec } from '../../src/cli/export-onnx.js';
import { heartData, heartPipeline, ratio } from '../helpers/heart.js';
import { feedsFor, loadOrtNode, multiclassData, multiclassPipeline } from './helpers.js';

const TOL = 1e-5;
const RATIO = { ratio: { op: 'Div' as const, inputs: ['thalach', 'trestbps'] as [string, string] } };

type Node = { opType: string; domain?: string; input: string[]; output: string[]; attribute?: { name: string; type: number; i?: number; f?: number; s?: string; ints?: number[]; floats?: number[]; strings?: string[] }[] };
type Graph = { node: Node[]; initializer?: { name: string; dataType: number; dims?: number[]; int64Data?: number[] }[]; input: { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } } }[]; output: Graph['input'] };
const decode = (bytes: Uint8Array) => decodeONNX(bytes) as { irVersion: number; opsetImport: { domain?: string; version: number }[]; producerName: string; graph: Graph };
const attrOf = (n: Node, name: string) => n.attribute?.find((a) => a.name === name);
const f32 = (a: ArrayLike<number>) => Array.from(a, Math.fround);

const heart = heartData(1500, 7);
const heartModel = heartPipeline().fit(heart.X, heart.y);
const heartTest = heartData(1000, 8);
const mc = multiclassData(1200, 3);
const mcModel = multiclassPipeline().fit(mc.X, mc.y);
const mcTest = multiclassData(800, 4, true);

describe('toONNX: graph structure', () => {
  const model = decode(toONNX(heartModel, { functions: RATIO }));
  const g = model.graph;
  const ops = (t: string) => g.node.filter((n) => n.opType === t);

  it('declares the ai.onnx and ai.onnx.ml opsets and the producer', () => {
    expect(model.producerName).toBe('wasmlearn');
    expect(model.opsetImport.find((o) => o.domain === 'ai.onnx.ml')?.version).toBe(1);
    expect(model.opsetImport.find((o) => !o.domain)?.version).toBeGreaterThanOrEqual(13);
  });

  it('has one float [N,1] input per column the model reads, and outputs label [N] int64 and probabilities [N,2] float', () => {
    expect(g.input.map((i) => i.name).sort()).toEqual(Object.keys(heart.X).sort());
    for (const i of g.input) {
      expect(i.type.tensorType.elemType).toBe(1);
      expect(i.type.tensorType.shape.dim).toEqual([{ dimParam: 'N' }, { dimValue: 1 }]);
    }
    expect(g.output.map((o) => o.name)).toEqual(['label', 'probabilities']);
    expect(g.output[0].type.tensorType.elemType).toBe(7);
    expect(g.output[1].type.tensorType.elemType).toBe(1);
    expect(g.output[1].type.tensorType.shape.dim).toEqual([{ dimParam: 'N' }, { dimValue: 2 }]);
    expect(ops('ZipMap')).toHaveLength(0);
  });

  it('uses Imputer, Scaler, OneHotEncoder (Cast to int64, cats_int64s), Div and LinearClassifier with the fitted parameters (float32)', () => {
    const pre = heartModel.steps[0][1] as ColumnTransformer;
    const num = pre.namedTransformers_.num as Pipeline;
    const imp = num.namedSteps.imputer as SimpleImputer, sc = num.namedSteps.scaler as StandardScaler;
    const cat = pre.namedTransformers_.cat as Pipeline;
    const oh = cat.namedSteps.onehot as OneHotEncoder;

    const imputers = ops('Imputer');
    expect(imputers).toHaveLength(3); // num (median), cat (constant 0), binary (constant 0)
    expect(imputers.every((n) => n.domain === 'ai.onnx.ml')).toBe(true);
    expect(attrOf(imputers[0], 'imputed_value_floats')!.floats).toEqual(f32(imp.statistics_ as number[]));
    expect(Number.isNaN(attrOf(imputers[0], 'replaced_value_float')!.f)).toBe(true);

    const [scaler] = ops('Scaler');
    expect(attrOf(scaler, 'offset')!.floats).toEqual(f32(sc.mean_!));
    expect(attrOf(scaler, 'scale')!.floats).toEqual(f32(Array.from(sc.scale_!, (s) => 1 / s)));

    const encoders = ops('OneHotEncoder');
    expect(encoders).toHaveLength(5);
    expect(encoders.map((n) => attrOf(n, 'cats_int64s')!.ints)).toEqual(oh.categories_);
    expect(encoders.every((n) => attrOf(n, 'zeros')!.i === 1)).toBe(true); // handleUnknown 'ignore'
    expect(ops('Cast')).toHaveLength(5);
    expect(ops('Cast').every((n) => attrOf(n, 'to')!.i === 7)).toBe(true);

    const [div] = ops('Div');
    expect(div.input).toEqual(['thalach', 'trestbps']);

    const [lin] = ops('LinearClassifier');
    const lr = heartModel.steps[1][1] as LogisticRegression;
    const w = Array.from(lr.coef_.data);
    expect(attrOf(lin, 'coefficients')!.floats).toEqual(f32([...w.map((x) => -x), ...w])); // skl2onnx's binary encoding
    expect(attrOf(lin, 'intercepts')!.floats).toEqual(f32([-lr.intercept_[0], lr.intercept_[0]]));
    expect(attrOf(lin, 'post_transform')!.s).toBe('LOGISTIC');
    expect(attrOf(lin, 'classlabels_ints')!.ints).toEqual([0, 1]);
    expect(w.length).toBe(heartModel.slice(0, -1).getFeatureNamesOut().length);
  });

  it('multiclass with string categories: string inputs, cats_strings ("" for missing seen at fit), a Gather for the dropped category, SOFTMAX, classlabels_strings', () => {
    const m = decode(toONNX(mcModel));
    const types = Object.fromEntries(m.graph.input.map((i) => [i.name, i.type.tensorType.elemType]));
    expect(types).toEqual({ x1: 1, x2: 1, color: 8, size: 8, shape: 8 });
    const enc = m.graph.node.filter((n) => n.opType === 'OneHotEncoder');
    expect(enc.map((n) => attrOf(n, 'cats_strings')!.strings)).toEqual([['black', 'blue', 'green', 'red'], ['L', 'M', 'S', ''], ['round', 'square']]);
    expect(m.graph.node.some((n) => n.opType === 'Where')).toBe(true); // string imputer
    const [lin] = m.graph.node.filter((n) => n.opType === 'LinearClassifier');
    expect(attrOf(lin, 'post_transform')!.s).toBe('SOFTMAX');
    expect(attrOf(lin, 'classlabels_strings')!.strings).toEqual(['alpha', 'beta', 'gamma']);
    expect(attrOf(lin, 'coefficients')!.floats).toHaveLength(3 * mcModel.slice(0, -1).getFeatureNamesOut().length);
    expect(m.graph.output[0].type.tensorType.elemType).toBe(8);
  });

  it('a loaded model exports the same bytes as the fitted one', () => {
    registerFunction('ratio', ratio);
    const again = loadModel(saveModel(heartModel));
    expect(toONNX(again as Pipeline, { functions: RATIO })).toEqual(toONNX(heartModel, { functions: RATIO }));
  });
});

describe('toONNX: what cannot be expressed is refused with UNSUPPORTED', () => {
  const thrown = (f: () => unknown) => { try { f(); } catch (e) { return e as WasmlearnError; } throw new Error('did not throw'); };

  it('an undeclared FunctionTransformer, naming the function and how to declare it', () => {
    const e = thrown(() => toONNX(heartModel));
    expect(e).toBeInstanceOf(WasmlearnError);
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('FunctionTransformer "ratio" runs JavaScript');
    expect(e.message).toContain("functions: { \"ratio\": { op: 'Div'");
  });

  it('a declared input that is not a column of the function', () => {
    const e = thrown(() => toONNX(heartModel, { functions: { ratio: { op: 'Div', inputs: ['thalach', 'chol'] } } }));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('declared input "chol" is not one of its columns');
  });

  it('numeric one-hot categories that are not integers', () => {
    const m = new Pipeline([['oh', new OneHotEncoder()], ['lr', new LogisticRegression()]]).fit({ g: [0.5, 1.5, 0.5, 1.5] }, [0, 1, 0, 1]);
    const e = thrown(() => toONNX(m));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('OneHotEncoder column "g" has the category 0.5');
  });

  it('a pipeline that does not end in LogisticRegression', () => {
    const m = new Pipeline([['sc', new StandardScaler()]]).fit({ a: [1, 2, 3] });
    expect(thrown(() => toONNX(m)).message).toContain('must be a LogisticRegression');
  });
});

describe('wasmlearn export-onnx', () => {
  it('parses --function specs', () => {
    expect(parseFunctionSpec('ratio=Div:thalach,trestbps')).toEqual(['ratio', { op: 'Div', inputs: ['thalach', 'trestbps'] }]);
    expect(parseFunctionSpec('p=mul:a,b')[1].op).toBe('Mul');
    expect(() => parseFunctionSpec('ratio=Pow:a,b')).toThrow('the op must be one of Div, Mul, Add, Sub');
    expect(() => parseFunctionSpec('ratio')).toThrow('--function must look like name=Op:a,b');
  });

  it('writes the same model as toONNX from a model document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-onnx-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(saveModel(heartModel)));
    const err: string[] = [];
    const code = await exportOnnxCommand.run({ model: join(dir, 'model.json'), output: join(dir, 'model.onnx'), function: ['ratio=Div:thalach,trestbps'] },
      { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) } });
    expect(code).toBe(0);
    expect(err.join('')).toContain('model.onnx');
    expect(new Uint8Array(readFileSync(join(dir, 'model.onnx')))).toEqual(toONNX(heartModel, { functions: RATIO }));
  });
});

const { ort, reason } = loadOrtNode();
if (!ort) console.warn(`ONNX runtime comparison skipped: ${reason}`);

describe.skipIf(!ort)(`onnxruntime-node runs the exported models: probabilities within ${TOL} absolute of wasmlearn's, labels equal`, () => {
  async function compare(model: Pipeline, bytes: Uint8Array, X: Record<string, ArrayLike<Category | null>>) {
    const session = await ort!.InferenceSession.create(bytes);
    const strings = new Set(session.inputNames.filter((n) => typeof Array.from(X[n]).find((v) => v !== null) === 'string'));
    const out = await session.run(feedsFor(ort!, session.inputNames, strings, X));
    const want = model.predictProba(X as never);
    const labels = model.predict(X as never);
    const got = out.probabilities;
    expect(got.dims).toEqual([want.rows, want.cols]);
    let maxDiff = 0;
    for (let i = 0; i < want.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(want.data[i] - Number(got.data[i])));
    expect(maxDiff).toBeLessThan(TOL);
    const onnxLabels = Array.from(out.label.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
    expect(onnxLabels).toEqual(labels);
    return maxDiff;
  }

  it('heart pipeline (binary, integer categories, NaN imputed, ratio as Div) on 1,000 fresh rows', async () => {
    await compare(heartModel, toONNX(heartModel, { functions: RATIO }), heartTest.X);
  });

  it('multiclass pipeline with string categories, missing strings and unseen categories at test time', async () => {
    await compare(mcModel, toONNX(mcModel), mcTest.X);
  });

  it('one-vs-rest and binary multinomial models loaded from documents', async () => {
    for (const multiClass of ['ovr', 'multinomial'] as const) {
      const base = new Pipeline([['sc', new StandardScaler()], ['lr', new LogisticRegression({ multiClass: 'multinomial' })]]);
      const fill = (c: Float64Array, v: number) => c.map((x) => (Number.isNaN(x) ? v : x));
      const X = { a: fill(heart.X.age, 50), b: fill(heart.X.chol, 240) };
      const y = multiClass === 'ovr' ? Array.from(heart.X.cp, (v) => (Number.isNaN(v) ? 1 : v)) : heart.y;
      const doc = saveModel(base.fit(X, y as number[])) as unknown as { estimator: { params: { steps: [string, { params: { multiClass: string } }][] } } };
      doc.estimator.params.steps[1][1].params.multiClass = multiClass;
      const loaded = loadModel(doc as never) as Pipeline;
      await compare(loaded, toONNX(loaded), { a: fill(heartTest.X.age, 50), b: fill(heartTest.X.chol, 240) });
    }
  });
});

if (!ort) {
  describe('onnxruntime-node comparison', () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
