/**
 * Compiles a fitted preprocessing chain + LogisticRegression into one fused scoring
 * plan run by the `scorePlan` kernel: per row, imputation, scaling, one-hot lookup and
 * the linear model in one pass, with the one-hot matrix never built (each category
 * contributes a looked-up weight). FunctionTransformer outputs are computed once per
 * batch and fed in as extra columns. Pipelines with steps the compiler does not know
 * are scored step by step instead (same results).
 */
import { WasmlearnError, errors } from '../core/errors.js';
import { numericValues, type Category, type Column, type Frame, type Scalar } from '../core/frame.js';
import { Matrix } from '../core/matrix.js';
import type { Transformer } from '../core/estimator.js';
import { kernels } from '../kernels/index.js';
import type { CompiledPlan, PlanFailure, PlanTerm } from '../kernels/types.js';
import { SimpleImputer } from '../preprocessing/simple-imputer.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { OneHotEncoder, dictionaryLookup } from '../preprocessing/one-hot-encoder.js';
import { FunctionTransformer } from '../preprocessing/function-transformer.js';
import type { LogisticRegression } from '../linear-model/logistic-regression.js';
import { ColumnTransformer } from './column-transformer.js';

type Source = { kind: 'input'; name: string } | { kind: 'fn'; ft: FunctionTransformer; out: number };
/** A numeric or categorical value derived from one source column. */
interface ValSym { t: 'val'; src: Source; fill: Category | null; sub: number; div: number; affine: boolean; postFill: number | null }
/** One one-hot output column: 1 when `of` equals categories[index]. */
interface IndSym { t: 'ind'; of: ValSym; enc: object; categories: readonly Category[]; index: number; unknownIsError: boolean }
type Sym = ValSym | IndSym;

class Unsupported extends Error {}

function symbolic(tr: Transformer | 'passthrough', input: Sym[], inputNames: string[]): Sym[] {
  if (tr === 'passthrough') return input;
  if (tr instanceof ColumnTransformer) {
    const byName = new Map(inputNames.map((n, i) => [n, input[i]]));
    const out: Sym[] = [];
    for (const e of tr._fitted) {
      if (e.transformer === 'drop') continue;
      const sub = e.columns.map((c) => { const s = byName.get(c); if (!s) throw new Unsupported(); return s; });
      out.push(...symbolic(e.transformer, sub, e.columns));
    }
    return out;
  }
  if (isPipelineLike(tr)) {
    let cur = input, names = inputNames;
    for (const [, step] of tr._activeSteps) { cur = symbolic(step as Transformer, cur, names); names = (step as Transformer).getFeatureNamesOut(); }
    return cur;
  }
  if (tr instanceof SimpleImputer) {
    const stats = tr.statistics_;
    const keep = tr.params.keepEmptyFeatures;
    const out: Sym[] = [];
    input.forEach((s, j) => {
      let stat = stats[j];
      if (typeof stat === 'number' && Number.isNaN(stat)) { if (!keep) return; stat = 0; }
      if (s.t !== 'val') throw new Unsupported();
      if (!s.affine) out.push({ ...s, fill: s.fill ?? stat });
      else {
        if (typeof stat !== 'number') throw new Unsupported();
        out.push({ ...s, postFill: s.postFill ?? stat });
      }
    });
    return out;
  }
  if (tr instanceof StandardScaler) {
    const mean = tr.mean_, scale = tr.scale_;
    const withMean = tr.params.withMean;
    return input.map((s, j) => {
      if (s.t !== 'val' || typeof s.fill === 'string') throw new Unsupported();
      const m = withMean && mean ? mean[j] : 0, sc = scale ? scale[j] : 1;
      if (!s.affine) return { ...s, sub: m, div: sc, affine: true };
      // (((x - s1) / d1) - m) / sc = (x - (s1 + m·d1)) / (d1·sc): exact in real arithmetic
      return { ...s, sub: s.sub + m * s.div, div: s.div * sc, postFill: s.postFill === null ? null : (s.postFill - m) / sc };
    });
  }
  if (tr instanceof OneHotEncoder) {
    const cats = tr.categories_, drop = tr.dropIdx_;
    const unknownIsError = tr.params.handleUnknown === 'error';
    const out: Sym[] = [];
    input.forEach((s, j) => {
      if (s.t !== 'val' || s.affine || s.postFill !== null) throw new Unsupported();
      const enc = {};
      cats[j].forEach((_, k) => {
        if (drop && drop[j] === k) return;
        out.push({ t: 'ind', of: s, enc, categories: cats[j], index: k, unknownIsError });
      });
    });
    return out;
  }
  if (tr instanceof FunctionTransformer) {
    if (input.some((s) => s.t !== 'val' || s.src.kind !== 'input' || s.fill !== null || s.affine)) throw new Unsupported();
    return tr.featureNamesOut_.map((_, j): ValSym => ({ t: 'val', src: { kind: 'fn', ft: tr, out: j }, fill: null, sub: 0, div: 1, affine: false, postFill: null }));
  }
  throw new Unsupported();
}

interface PipelineLike { _activeSteps: [string, Transformer | 'passthrough'][] }
function isPipelineLike(t: unknown): t is PipelineLike & Transformer {
  return typeof t === 'object' && t !== null && Array.isArray((t as PipelineLike)._activeSteps);
}

type Slot =
  | { kind: 'f64'; name: string }
  | { kind: 'codes'; name: string; categories: readonly Category[]; missing: number }
  | { kind: 'fn'; ft: FunctionTransformer; out: number };

/** What a term needs to explain a failure in user terms. */
interface TermInfo { column: string; slot: number; sym: ValSym }

/**
 * A compiled scoring plan for one fitted model. Holds WebAssembly memory until
 * `dispose()` (or garbage collection).
 */
export class ScoringPlan {
  readonly k: number;
  readonly nOut: number;
  readonly classes: readonly Category[];
  /** Input columns the plan reads, in slot order. */
  readonly inputColumns: readonly string[];
  #slots: Slot[];
  #terms: TermInfo[];
  #plan: CompiledPlan;
  #fns: FunctionTransformer[];
  #rowValues: Float64Array;
  #rowOut: Float64Array;
  #codeMaps: (Map<Category, number> | null)[];

  private constructor(slots: Slot[], terms: TermInfo[], plan: CompiledPlan, k: number, classes: readonly Category[]) {
    this.#slots = slots;
    this.#terms = terms;
    this.#plan = plan;
    this.k = k;
    this.nOut = Math.max(k, 2);
    this.classes = classes;
    this.#fns = [...new Set(slots.flatMap((s) => (s.kind === 'fn' ? [s.ft] : [])))];
    this.#rowValues = new Float64Array(slots.length);
    this.#rowOut = new Float64Array(this.nOut);
    this.#codeMaps = slots.map((s) => (s.kind === 'codes' ? new Map(s.categories.map((c, i) => [c, i])) : null));
    const names = new Set<string>();
    for (const s of slots) {
      if (s.kind === 'fn') for (const n of s.ft.featureNamesIn_ ?? []) names.add(n);
      else names.add(s.name);
    }
    this.inputColumns = [...names];
  }

  /**
   * Compiles `steps` (fitted transformers) followed by a fitted LogisticRegression, or
   * returns null when a step is not one the compiler knows.
   */
  static compile(steps: readonly (Transformer | 'passthrough')[], lr: LogisticRegression, inputNames: readonly string[]): ScoringPlan | null {
    const model = lr._model;
    if (model.link === 'ovr') return null;
    let syms: Sym[] = inputNames.map((name): ValSym => ({ t: 'val', src: { kind: 'input', name }, fill: null, sub: 0, div: 1, affine: false, postFill: null }));
    let names = [...inputNames];
    try {
      for (const s of steps) { syms = symbolic(s, syms, names); names = s === 'passthrough' ? names : s.getFeatureNamesOut(); }
    } catch (e) {
      if (e instanceof Unsupported) return null;
      throw e;
    }
    const d = model.nFeaturesIn, k = model.k;
    if (syms.length !== d) return null;
    const slots: Slot[] = [];
    const slotKey = new Map<string, number>();
    const slotOf = (key: string, make: () => Slot) => {
      let i = slotKey.get(key);
      if (i === undefined) { i = slots.length; slots.push(make()); slotKey.set(key, i); }
      return i;
    };
    const fnIds = new Map<FunctionTransformer, number>();
    const srcKey = (s: Source) => (s.kind === 'input' ? `in:${s.name}` : `fn:${fnIds.get(s.ft) ?? fnIds.set(s.ft, fnIds.size).get(s.ft)}:${s.out}`);
    const srcName = (s: Source) => (s.kind === 'input' ? s.name : s.ft.featureNamesOut_[s.out]);
    const terms: PlanTerm[] = [];
    const infos: TermInfo[] = [];
    const groups = new Map<object, { term: PlanTerm & { kind: 'categoryValues' | 'categoryCodes' } }>();
    for (let j = 0; j < d; j++) {
      const s = syms[j];
      const w = (c: number) => model.coef[c * d + j];
      if (s.t === 'val') {
        if (typeof s.fill === 'string') return null;
        const slot = slotOf(`${srcKey(s.src)}:f64`, () => (s.src.kind === 'input' ? { kind: 'f64', name: s.src.name } : { kind: 'fn', ft: s.src.ft, out: s.src.out }));
        const apply = (v: number) => (v - s.sub) / s.div;
        const nanValue = s.fill !== null ? apply(s.fill as number) : s.postFill ?? NaN;
        terms.push({ kind: 'numeric', input: slot, sub: s.sub, div: s.div, nanValue, weights: Float64Array.from({ length: k }, (_, c) => w(c)) });
        infos.push({ column: srcName(s.src), slot, sym: s });
        continue;
      }
      // one-hot column: add its weights to the categorical term of its encoder input
      let g = groups.get(s.enc);
      if (!g) {
        const of = s.of;
        if (of.src.kind !== 'input') return null;
        const cats = s.categories;
        const nanPos = cats.findIndex((c) => typeof c === 'number' && Number.isNaN(c));
        const fillIdx = of.fill === null ? nanPos : cats.findIndex((c) => c === of.fill);
        const weights = new Float64Array(cats.length * k);
        const numeric = cats.every((c) => typeof c === 'number');
        let term: PlanTerm & { kind: 'categoryValues' | 'categoryCodes' };
        if (numeric) {
          const finite = cats.filter((c) => !Number.isNaN(c as number)) as number[];
          if (nanPos >= 0 && nanPos !== cats.length - 1) return null;
          const slot = slotOf(`${srcKey(of.src)}:f64`, () => ({ kind: 'f64', name: (of.src as { name: string }).name }));
          term = { kind: 'categoryValues', input: slot, categories: Float64Array.from(finite), nanIndex: fillIdx, weights, unknownIsError: s.unknownIsError };
          infos.push({ column: of.src.name, slot, sym: of });
        } else {
          const slot = slotOf(`${srcKey(of.src)}:codes:${slots.length}`, () => ({ kind: 'codes', name: (of.src as { name: string }).name, categories: cats, missing: fillIdx }));
          term = { kind: 'categoryCodes', input: slot, nCategories: cats.length, weights, unknownIsError: s.unknownIsError };
          infos.push({ column: of.src.name, slot, sym: of });
        }
        terms.push(term);
        g = { term };
        groups.set(s.enc, g);
      }
      for (let c = 0; c < k; c++) g.term.weights[s.index * k + c] = w(c);
    }
    const plan = kernels().compilePlan({
      nInputs: slots.length,
      inputKinds: slots.map((s) => (s.kind === 'codes' ? 'i32' : 'f64')),
      k, intercept: model.intercept.slice(), terms,
    });
    return new ScoringPlan(slots, infos, plan, k, model.classes);
  }

  /** Scores a batch: n x max(k, 2) probabilities or n x k decision values. */
  run(frame: Frame, output: 'proba' | 'decision'): Matrix {
    const n = frame.nRows;
    const fnOut = new Map<FunctionTransformer, Frame>();
    for (const ft of this.#fns) fnOut.set(ft, ft.transformFrame(frame));
    const inputs = this.#slots.map((s): Float64Array | Int32Array => {
      if (s.kind === 'f64') return numericValues(frame.column(s.name), 'LogisticRegression');
      if (s.kind === 'fn') return numericValues(fnOut.get(s.ft)!.columns[s.out], 'LogisticRegression');
      return slotCodes(frame.column(s.name), s);
    });
    const cols = output === 'proba' ? this.nOut : this.k;
    const out = new Float64Array(n * cols);
    const fail = this.#plan.run(inputs, n, output, out);
    if (fail) this.#explain(fail, (slot, row) => { const a = inputs[slot]; return a[row]; }, (term, row) => {
      const s = this.#slots[this.#terms[term].slot];
      return s.kind === 'fn' ? NaN : frame.value(row, s.name);
    });
    return new Matrix(n, cols, out);
  }

  /**
   * Scores one row object without building a frame: values are written straight into
   * the plan's input slots. Returns a reused array of max(k, 2) probabilities
   * (or k decision values): copy it if you keep it.
   */
  runRow(row: Readonly<Record<string, Scalar>>, output: 'proba' | 'decision'): Float64Array {
    const vals = this.#rowValues;
    for (let s = 0; s < this.#slots.length; s++) {
      const slot = this.#slots[s];
      if (slot.kind === 'f64') vals[s] = rowNumber(row, slot.name);
      else if (slot.kind === 'codes') {
        const v = row[slot.name];
        vals[s] = v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? slot.missing : this.#codeMaps[s]!.get(v as Category) ?? -1;
      }
    }
    if (this.#fns.length) this.#rowFunctions(row, vals);
    const out = output === 'proba' ? this.#rowOut : this.#rowOut.subarray(0, this.k);
    const fail = this.#plan.runOne(vals, output, out);
    if (fail) this.#explain(fail, (slot) => vals[slot], (term) => {
      const s = this.#slots[this.#terms[term].slot];
      return s.kind === 'fn' ? NaN : (row[s.name] as Category);
    });
    return out;
  }

  #rowFunctions(row: Readonly<Record<string, Scalar>>, vals: Float64Array): void {
    for (const ft of this.#fns) {
      const f = ft.transformFrame({ ...Object.fromEntries((ft.featureNamesIn_ ?? []).map((n) => [n, [row[n] ?? null]])) });
      this.#slots.forEach((s, i) => { if (s.kind === 'fn' && s.ft === ft) vals[i] = numericValues(f.columns[s.out], 'LogisticRegression')[0]; });
    }
  }

  #explain(fail: PlanFailure, slotValue: (slot: number, row: number) => number, raw: (term: number, row: number) => unknown): never {
    if (fail.status === 'unknownCategory') {
      const info = this.#terms[fail.term];
      throw errors.unknownCategory(info.column, fail.row, raw(fail.term, fail.row));
    }
    for (const info of this.#terms) {
      if (this.#slots[info.slot].kind === 'codes') continue;
      const x = slotValue(info.slot, fail.row);
      const s = info.sym;
      const f = Number.isNaN(x) ? (s.fill !== null ? (s.fill as number - s.sub) / s.div : s.postFill ?? NaN) : (x - s.sub) / s.div;
      if (!Number.isFinite(f)) throw errors.nonFinite(info.column, fail.row, Number.isNaN(x) || !Number.isFinite(x) ? x : f, 'LogisticRegression');
    }
    throw new WasmlearnError('NON_FINITE', `The decision value of row ${fail.row} overflowed; check the input for extreme magnitudes.`, { row: fail.row, estimator: 'LogisticRegression' });
  }

  /** Frees the plan's WebAssembly memory. */
  dispose(): void { this.#plan.dispose(); }
}

function rowNumber(row: Readonly<Record<string, Scalar>>, name: string): number {
  const v = row[name];
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) {
    if (!(name in row)) throw errors.missingColumn(name, Object.keys(row));
    return NaN;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw errors.notNumeric(name, 0, v, 'LogisticRegression');
}

function slotCodes(c: Column, s: Slot & { kind: 'codes' }): Int32Array {
  const out = new Int32Array(c.kind === 'numeric' ? c.values.length : c.codes.length);
  if (c.kind === 'numeric') {
    const lookup = new Map(s.categories.map((v, i) => [v, i]));
    for (let i = 0; i < out.length; i++) { const v = c.values[i]; out[i] = Number.isNaN(v) ? s.missing : lookup.get(v) ?? -1; }
    return out;
  }
  const lookup = dictionaryLookup(c.dictionary, s.categories);
  for (let i = 0; i < out.length; i++) { const k = c.codes[i]; out[i] = k < 0 ? s.missing : lookup[k]; }
  return out;
}

