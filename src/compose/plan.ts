/**
 * Compiles a fitted preprocessing chain + LogisticRegression into one fused scoring
 * plan run by the `scorePlan` kernel: per row, imputation, scaling, one-hot lookup and
 * the linear model in one pass, with the one-hot matrix never built (each category
 * contributes a looked-up weight). FunctionTransformer outputs are computed once per
 * batch and fed in as extra columns. Pipelines with steps the compiler does not know
 * are scored step by step instead (same results).
 */
import { WasmlearnError, errors } from '../core/errors.js';
import { Frame, numericValues, type Category, type Column, type ColumnsInput, type Scalar } from '../core/frame.js';
import { Matrix } from '../core/matrix.js';
import type { Transformer } from '../core/estimator.js';
import { kernels } from '../kernels/index.js';
import type { CompiledPlan, PlanFailure, PlanTerm } from '../kernels/types.js';
import { SimpleImputer } from '../preprocessing/simple-imputer.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { OneHotEncoder, dictionaryLookup } from '../preprocessing/one-hot-encoder.js';
import { FunctionTransformer, type FunctionColumns } from '../preprocessing/function-transformer.js';
import type { LogisticRegression } from '../linear-model/logistic-regression.js';
import { ColumnTransformer } from './column-transformer.js';

type Source =
  | { kind: 'input'; name: string }
  | { kind: 'fn'; ft: FunctionTransformer; out: number }
  /** A FunctionTransformer's declared expression `a op b` of two input columns, computed by the kernel. */
  | { kind: 'expr'; ft: FunctionTransformer; op: 0 | 1 | 2 | 3; a: string; b: string };
const EXPR_CODE = { div: 0, mul: 1, add: 2, sub: 3 } as const;
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
    for (const [, step] of tr._activeSteps) { cur = symbolic(step, cur, names); names = step === 'passthrough' ? names : step.getFeatureNamesOut(); }
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
    const expr = tr._declaredExpr;
    const ia = expr ? inputNames.indexOf(expr.inputs[0]) : -1, ib = expr ? inputNames.indexOf(expr.inputs[1]) : -1;
    if (expr && ia >= 0 && ib >= 0 && tr.featureNamesOut_.length === 1) {
      const a = (input[ia] as ValSym).src as { name: string }, b = (input[ib] as ValSym).src as { name: string };
      return [{ t: 'val', src: { kind: 'expr', ft: tr, op: EXPR_CODE[expr.op], a: a.name, b: b.name }, fill: null, sub: 0, div: 1, affine: false, postFill: null }];
    }
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

/** A FunctionTransformer of the plan: its input names, reused one-row inputs, and the slots it feeds. */
interface FnRow {
  ft: FunctionTransformer;
  /** Fitted input names (null: fitted without names; always takes the frame path). */
  inputs: readonly string[] | null;
  cells: Float64Array[];
  args: FunctionColumns;
  /** Per input, the numeric slot holding the same column, or -1. */
  fromSlot: number[];
  slots: number[];
  outs: number[];
}

/** What a term needs to explain a failure in user terms (expr: the term's value is slot op slot2). */
interface TermInfo { column: string; slot: number; sym: ValSym; expr?: { op: 0 | 1 | 2 | 3; slot2: number } }

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
  #fnRow: FnRow[];
  #rowValues: Float64Array;
  #rowOut: Float64Array;
  #codeMaps: (Map<Category, number> | null)[];
  #codeLookup: (((v: Category) => number) | null)[];
  #extract?: RowExtractor;
  #readRow?: RowReader;
  #rowScratch: (Float64Array | Int32Array)[] = [];
  /** Per input column: the categories of the first one-hot slot reading it as strings (null: a numeric column), and their index. */
  #codeDicts: (readonly Category[] | null)[];
  #codeIndex: (Map<Category, number> | null)[];
  /** Slot of each plain float64 input column, by name. */
  #slotOf: Map<string, number>;
  /** The category-code slots reading each column, by name, and how many there are. */
  #codedSlots: Map<string, number[]>;
  #nCoded: number;
  #scratchLent: Frame | null = null;

  private constructor(slots: Slot[], terms: TermInfo[], plan: CompiledPlan, k: number, classes: readonly Category[]) {
    this.#slots = slots;
    this.#terms = terms;
    this.#plan = plan;
    this.k = k;
    this.nOut = Math.max(k, 2);
    this.classes = classes;
    this.#fnRow = [...new Set(slots.flatMap((s) => (s.kind === 'fn' ? [s.ft] : [])))].map((ft): FnRow => {
      const inputs = ft.featureNamesIn_;
      const cells = (inputs ?? []).map(() => new Float64Array(1));
      const args: FunctionColumns = {};
      (inputs ?? []).forEach((n, j) => { args[n] = cells[j]; });
      const slotIdx = slots.flatMap((s, i) => (s.kind === 'fn' && s.ft === ft ? [i] : []));
      const fromSlot = (inputs ?? []).map((n) => slots.findIndex((s) => s.kind === 'f64' && s.name === n));
      return { ft, inputs, cells, args, fromSlot, slots: slotIdx, outs: slotIdx.map((i) => (slots[i] as { out: number }).out) };
    });
    this.#rowValues = new Float64Array(slots.length);
    this.#rowOut = new Float64Array(this.nOut);
    this.#codeMaps = slots.map((s) => (s.kind === 'codes' ? new Map(s.categories.map((c, i) => [c, i])) : null));
    this.#codeLookup = slots.map((s, i) => (s.kind === 'codes' ? codeLookup(s.categories, this.#codeMaps[i]!) : null));
    this.#codedSlots = new Map();
    slots.forEach((s, i) => { if (s.kind === 'codes') this.#codedSlots.set(s.name, [...this.#codedSlots.get(s.name) ?? [], i]); });
    this.#nCoded = slots.filter((s) => s.kind === 'codes').length;
    this.#slotOf = new Map(slots.flatMap((s, i) => (s.kind === 'f64' ? [[s.name, i] as const] : [])));
    const names = new Set<string>();
    for (const s of slots) {
      if (s.kind === 'fn') for (const n of s.ft.featureNamesIn_ ?? []) names.add(n);
      else names.add(s.name);
    }
    this.inputColumns = [...names];
    this.#codeDicts = this.inputColumns.map((n) => (slots.find((s) => s.kind === 'codes' && s.name === n) as { categories: readonly Category[] } | undefined)?.categories ?? null);
    this.#codeIndex = this.#codeDicts.map((d) => (d ? new Map(d.map((c, i) => [c, i])) : null));
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
    const srcKey = (s: Source & { kind: 'input' | 'fn' }) => (s.kind === 'input' ? `in:${s.name}` : `fn:${fnIds.get(s.ft) ?? fnIds.set(s.ft, fnIds.size).get(s.ft)}:${s.out}`);
    const srcName = (s: Source) => (s.kind === 'input' ? s.name : s.kind === 'fn' ? s.ft.featureNamesOut_[s.out] : s.ft.featureNamesOut_[0]);
    const inputSlot = (name: string) => slotOf(`in:${name}:f64`, () => ({ kind: 'f64', name }));
    const terms: PlanTerm[] = [];
    const infos: TermInfo[] = [];
    const groups = new Map<object, { term: PlanTerm & { kind: 'categoryValues' | 'categoryCodes' } }>();
    for (let j = 0; j < d; j++) {
      const s = syms[j];
      const w = (c: number) => model.coef[c * d + j];
      if (s.t === 'val') {
        if (typeof s.fill === 'string') return null;
        const apply = (v: number) => (v - s.sub) / s.div;
        const nanValue = s.fill !== null ? apply(s.fill as number) : s.postFill ?? NaN;
        const weights = Float64Array.from({ length: k }, (_, c) => w(c));
        if (s.src.kind === 'expr') {
          const slot = inputSlot(s.src.a), slot2 = inputSlot(s.src.b);
          terms.push({ kind: 'numeric', input: slot, sub: s.sub, div: s.div, nanValue, weights, expr: { op: s.src.op, input2: slot2 } });
          infos.push({ column: srcName(s.src), slot, sym: s, expr: { op: s.src.op, slot2 } });
          continue;
        }
        const src = s.src;
        const slot = slotOf(`${srcKey(src)}:f64`, () => (src.kind === 'input' ? { kind: 'f64', name: src.name } : { kind: 'fn', ft: src.ft, out: src.out }));
        terms.push({ kind: 'numeric', input: slot, sub: s.sub, div: s.div, nanValue, weights });
        infos.push({ column: srcName(src), slot, sym: s });
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
          const slot = inputSlot(of.src.name);
          term = { kind: 'categoryValues', input: slot, categories: Float64Array.from(finite), nanIndex: fillIdx, weights, unknownIsError: s.unknownIsError };
          infos.push({ column: of.src.name, slot, sym: of });
        } else {
          const name = of.src.name;
          const slot = slotOf(`${srcKey(of.src)}:codes:${slots.length}`, () => ({ kind: 'codes', name, categories: cats, missing: fillIdx }));
          term = { kind: 'categoryCodes', input: slot, nCategories: cats.length, weights, unknownIsError: s.unknownIsError };
          infos.push({ column: of.src.name, slot, sym: of });
        }
        terms.push(term);
        g = { term };
        groups.set(s.enc, g);
      }
      for (let c = 0; c < k; c++) g.term.weights[s.index * k + c] = w(c);
    }
    // Plain numeric terms first, so the kernel adds them four at a time (the order of the
    // additions changes the last bits of a logit only; the plain-TS reference kernel
    // follows the same order)
    const rank = (t: PlanTerm) => (t.kind === 'numeric' ? (t.expr ? 1 : 0) : 2);
    const order = terms.map((_, i) => i).sort((a, b) => rank(terms[a]) - rank(terms[b]) || a - b);
    const plan = kernels().compilePlan({
      nInputs: slots.length,
      inputKinds: slots.map((s) => (s.kind === 'codes' ? 'i32' : 'f64')),
      k, intercept: model.intercept.slice(), terms: order.map((i) => terms[i]),
    });
    return new ScoringPlan(slots, order.map((i) => infos[i]), plan, k, model.classes);
  }

  /**
   * The plan's input columns read straight out of row objects, as a frame with the values
   * `Frame.from(rows)` gives them (numbers as they are, null as missing; a one-hot encoded
   * column of strings dictionary-encoded on the encoder's categories, values it has not
   * seen appended), or null when some row or value needs the general path (booleans,
   * absent keys, non-objects, strings in a numeric column), which then gives the usual
   * results and errors. Each column is read by a loop specialised to its name, so the
   * property reads stay monomorphic across rows of the same shape.
   */
  rowsFrame(rows: readonly unknown[]): Frame | null {
    const n = rows.length;
    if (n === 0) return null;
    const names = this.inputColumns;
    const dict = this.#codeDicts;
    // Column buffers are reused across calls up to ROW_SCRATCH rows (they only live until
    // `run` returns), so a steady stream of row batches does not churn the garbage
    // collector. While lent (a FunctionTransformer scoring rows with this plan again),
    // fresh buffers are used.
    const reuse = n <= ROW_SCRATCH && this.#scratchLent === null;
    if (reuse && this.#rowScratch.length && this.#rowScratch[0].length < n) this.#rowScratch = [];
    if (reuse && !this.#rowScratch.length) {
      const cap = Math.min(ROW_SCRATCH, Math.max(n, 1024));
      this.#rowScratch = names.map((_, j) => (dict[j] ? new Int32Array(cap) : new Float64Array(cap)));
    }
    const bufs = names.map((_, j) => (reuse ? this.#rowScratch[j].subarray(0, n) : dict[j] ? new Int32Array(n) : new Float64Array(n)));
    // values outside a column's categories get codes after them, in a copy made for this call
    const seen: (Map<Category, number> | null)[] = names.map(() => null);
    const grown: (Category[] | null)[] = names.map(() => null);
    const unknown = (j: number, v: Category): number => {
      const m = seen[j] ??= new Map(this.#codeIndex[j]!);
      const d = grown[j] ??= [...dict[j]!];
      m.set(v, d.length);
      d.push(v);
      return d.length - 1;
    };
    const lookup = (j: number) => seen[j] ?? this.#codeIndex[j]!;
    this.#extract ??= rowExtractor(names, dict.map((d) => d !== null));
    if (!this.#extract(rows, bufs, n, lookup, unknown)) return null;
    const cols = names.map((name, j): Column => (dict[j]
      ? { kind: 'categorical', name, codes: bufs[j] as Int32Array, dictionary: grown[j] ?? dict[j]! }
      : { kind: 'numeric', name, values: bufs[j] as Float64Array }));
    const frame = new Frame(cols, n);
    if (reuse) this.#scratchLent = frame;
    return frame;
  }

  /** Scores a batch: n x max(k, 2) probabilities or n x k decision values (into `out` when given). */
  run(frame: Frame, output: 'proba' | 'decision', out?: Float64Array): Matrix {
    try {
      return this.#run(frame, output, out);
    } finally {
      if (this.#scratchLent === frame) this.#scratchLent = null;
    }
  }

  #run(frame: Frame, output: 'proba' | 'decision', given?: Float64Array): Matrix {
    const fnOut = new Map<FunctionTransformer, readonly Column[] | Float64Array>();
    for (const f of this.#fnRow) fnOut.set(f.ft, this.#fnBatch(f, frame));
    const inputs = this.#slots.map((s): Float64Array | Int32Array => {
      if (s.kind === 'f64') return numericValues(frame.column(s.name), 'LogisticRegression');
      if (s.kind === 'fn') {
        const r = fnOut.get(s.ft)!;
        return r instanceof Float64Array ? r : numericValues(r[s.out], 'LogisticRegression');
      }
      return slotCodes(frame.column(s.name), s);
    });
    return this.#score(inputs, frame.nRows, output, given, () => frame);
  }

  /**
   * Scores a column object whose columns are all Float64Arrays of one length straight from
   * those arrays, without building a frame (`Frame.from` would wrap the same arrays and
   * find nothing to reject), or returns null for any other input, which then takes the
   * general path with its conversions, checks and errors. Saves most of a small batch's
   * fixed cost. A one-hot encoded column may also be an array of strings (or numbers),
   * mapped straight to the encoder's category codes. `outFor(n)`: the caller's checked
   * `out` array for n rows, if any.
   */
  runColumns(X: ColumnsInput, output: 'proba' | 'decision', outFor: (nRows: number) => Float64Array | undefined): Matrix | null {
    const proto = Object.getPrototypeOf(X);
    if (proto !== Object.prototype && proto !== null) return null;
    const slots = this.#slots;
    const inputs: (Float64Array | Int32Array)[] = new Array(slots.length);
    let n = -1, found = 0, coded = 0;
    // for-in over a plain object's own keys, reading X[name] in the loop (the engine's
    // enumeration cache makes both cheap); each column is checked once
    for (const name in X) {
      const v = X[name];
      if (v instanceof Float64Array) {
        if (n >= 0 && v.length !== n) return null;
        n = v.length;
        const s = this.#slotOf.get(name);
        if (s !== undefined) { inputs[s] = v; found++; }
        continue;
      }
      // an array of strings for a one-hot encoded column: straight to category codes
      const cs = this.#codedSlots.get(name);
      if (!cs || !Array.isArray(v) || (n >= 0 && v.length !== n)) return null;
      n = v.length;
      for (const s of cs) {
        const codes = codesOf(v, slots[s] as Slot & { kind: 'codes' }, this.#codeLookup[s]!);
        if (!codes) return null;
        inputs[s] = codes;
        coded++;
      }
    }
    if (found !== this.#slotOf.size || coded !== this.#nCoded) return null;
    for (const f of this.#fnRow) {
      if (!f.inputs) return null;
      const args: FunctionColumns = {};
      for (const name of f.inputs) {
        const v = X[name];
        if (!(v instanceof Float64Array)) return null;
        args[name] = v;
      }
      const r = f.ft._transformColumns(args, n);
      for (let j = 0; j < f.slots.length; j++) inputs[f.slots[j]] = r instanceof Float64Array ? r : numericValues(r[f.outs[j]], 'LogisticRegression');
    }
    return this.#score(inputs, Math.max(n, 0), output, outFor(Math.max(n, 0)), () => Frame.from(X));
  }

  /** Runs the compiled plan on the slot inputs; a failure is explained with the frame `frameOf` gives. */
  #score(inputs: (Float64Array | Int32Array)[], n: number, output: 'proba' | 'decision', given: Float64Array | undefined, frameOf: () => Frame): Matrix {
    const cols = output === 'proba' ? this.nOut : this.k;
    if (given) {
      for (let s = 0; s < inputs.length; s++) {
        if (inputs[s].buffer === given.buffer) {
          throw new WasmlearnError('INVALID_INPUT', 'The out array shares memory with an input column; pass a separate array.', { field: 'out' });
        }
      }
    }
    const out = given ?? new Float64Array(n * cols);
    const fail = this.#plan.run(inputs, n, output, out);
    if (fail) this.#explain(fail, (slot, row) => { const a = inputs[slot]; return a[row]; }, (term, row) => {
      const s = this.#slots[this.#terms[term].slot];
      return s.kind === 'fn' ? NaN : frameOf().value(row, s.name);
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
    this.#readRow ??= rowReader(this.#slots.map((s) => (s.kind === 'f64' ? s.name : null)));
    const fast = this.#readRow(row, vals);
    for (let s = 0; s < this.#slots.length; s++) {
      const slot = this.#slots[s];
      if (slot.kind === 'f64') { if (!fast) vals[s] = rowNumber(row, slot.name); }
      else if (slot.kind === 'codes') {
        const v = row[slot.name];
        vals[s] = v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? slot.missing : this.#codeMaps[s]!.get(v as Category) ?? -1;
      }
    }
    if (this.#fnRow.length) this.#rowFunctions(row, vals);
    const out = output === 'proba' ? this.#rowOut : this.#rowOut.subarray(0, this.k);
    const fail = this.#plan.runOne(vals, output, out);
    if (fail) this.#explain(fail, (slot) => vals[slot], (term) => {
      const s = this.#slots[this.#terms[term].slot];
      return s.kind === 'fn' ? NaN : (row[s.name] as Category);
    });
    return out;
  }

  /** A FunctionTransformer's outputs for a batch: its numeric input columns are passed as they are. */
  #fnBatch(f: FnRow, frame: Frame): readonly Column[] | Float64Array {
    if (!f.inputs) return f.ft.transformFrame(frame).columns;
    const args: FunctionColumns = {};
    for (const name of f.inputs) {
      const c = frame.column(name, 'FunctionTransformer');
      if (c.kind !== 'numeric') return f.ft.transformFrame(frame).columns;
      args[name] = c.values;
    }
    return f.ft._transformColumns(args, frame.nRows);
  }

  #rowFunctions(row: Readonly<Record<string, Scalar>>, vals: Float64Array): void {
    for (const f of this.#fnRow) {
      let res: readonly Column[] | Float64Array | null = null;
      if (f.inputs) {
        // numeric values go into reused one-element arrays: no frame, no copies
        let ok = true;
        for (let j = 0; j < f.inputs.length; j++) {
          // an input that is also a numeric slot was read (and converted) already
          if (f.fromSlot[j] >= 0) { f.cells[j][0] = vals[f.fromSlot[j]]; continue; }
          const v = row[f.inputs[j]];
          const x = typeof v === 'number' ? v : v === null || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : null;
          if (x === null) { ok = false; break; }
          f.cells[j][0] = x;
        }
        if (ok) res = f.ft._transformColumns(f.args, 1);
      }
      res ??= f.ft.transformFrame({ ...Object.fromEntries((f.ft.featureNamesIn_ ?? []).map((n) => [n, [row[n] ?? null]])) }).columns;
      for (let j = 0; j < f.slots.length; j++) {
        const s = f.slots[j];
        vals[s] = res instanceof Float64Array ? res[0] : numericValues(res[f.outs[j]], 'LogisticRegression')[0];
      }
    }
  }

  #explain(fail: PlanFailure, slotValue: (slot: number, row: number) => number, raw: (term: number, row: number) => unknown): never {
    if (fail.status === 'unknownCategory') {
      const info = this.#terms[fail.term];
      throw errors.unknownCategory(info.column, fail.row, raw(fail.term, fail.row));
    }
    for (const info of this.#terms) {
      if (this.#slots[info.slot].kind === 'codes') continue;
      let x = slotValue(info.slot, fail.row);
      if (info.expr) {
        const y = slotValue(info.expr.slot2, fail.row);
        x = [x / y, x * y, x + y, x - y][info.expr.op];
      }
      const s = info.sym;
      const f = Number.isNaN(x) ? (s.fill !== null ? (s.fill as number - s.sub) / s.div : s.postFill ?? NaN) : (x - s.sub) / s.div;
      if (!Number.isFinite(f)) throw errors.nonFinite(info.column, fail.row, Number.isNaN(x) || !Number.isFinite(x) ? x : f, 'LogisticRegression');
    }
    throw new WasmlearnError('NON_FINITE', `The decision value of row ${fail.row} overflowed; check the input for extreme magnitudes.`, { row: fail.row, estimator: 'LogisticRegression' });
  }

  /** Frees the plan's WebAssembly memory. */
  dispose(): void { this.#plan.dispose(); }
}

/** Largest row-object batch whose column buffers a plan keeps for reuse (13 columns: 13.6 MB). */
const ROW_SCRATCH = 1 << 17;

/**
 * Copies columns `names` of rows [0, n) into `out`; false when a row or value needs the
 * general path. Columns marked in `coded` get codes: index(j).get(value), or unknown(j,
 * value) for a value without one, -1 for missing.
 */
type RowExtractor = (rows: readonly unknown[], out: (Float64Array | Int32Array)[], n: number,
  index: (j: number) => Map<Category, number>, unknown: (j: number, v: Category) => number) => boolean;

function rowExtractor(names: readonly string[], coded: readonly boolean[]): RowExtractor {
  // One pass over the rows (each object is visited once), reading every column with its
  // name as a literal, so each read site sees one key and, for rows of one shape, one
  // hidden class. Environments that forbid generating code get the same loop, generic.
  const reads = names.map((name, j) => (coded[j] ? `
      v = r[${JSON.stringify(name)}];
      if (typeof v === 'string' || (typeof v === 'number' && v === v)) { c = m${j}.get(v); o${j}[i] = c === undefined ? (c = unknown(${j}, v), m${j} = index(${j}), c) : c; }
      else if (v === null || v !== v) o${j}[i] = -1; else return false;` : `
      v = r[${JSON.stringify(name)}];
      if (typeof v === 'number') o${j}[i] = v; else if (v === null) o${j}[i] = NaN; else return false;`)).join('');
  const src = `'use strict';
    const [${names.map((_, j) => `o${j}`).join(', ')}] = out;
    ${names.map((_, j) => (coded[j] ? `let m${j} = index(${j});` : '')).join(' ')}
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
      let v, c;${reads}
    }
    return true;`;
  try {
    return new Function('rows', 'out', 'n', 'index', 'unknown', src) as RowExtractor;
  } catch {
    return (rows, out, n, index, unknown) => {
      for (let i = 0; i < n; i++) {
        const r = rows[i] as Record<string, unknown>;
        if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
        for (let j = 0; j < names.length; j++) {
          const v = r[names[j]];
          if (coded[j]) {
            if (typeof v === 'string' || (typeof v === 'number' && v === v)) { const c = index(j).get(v); out[j][i] = c ?? unknown(j, v); }
            else if (v === null || v !== v) out[j][i] = -1; else return false;
          } else if (typeof v === 'number') out[j][i] = v; else if (v === null) out[j][i] = NaN; else return false;
        }
      }
      return true;
    };
  }
}

/** Writes the number slots (`names[s]` non-null) of one row into vals; false when some value is not a number. */
type RowReader = (row: Readonly<Record<string, Scalar>>, vals: Float64Array) => boolean;

function rowReader(names: readonly (string | null)[]): RowReader {
  // Name literals keep each read site monomorphic (see rowExtractor).
  const reads = names.flatMap((name, s) => (name === null ? [] : [`
    v = row[${JSON.stringify(name)}]; if (typeof v !== 'number') return false; vals[${s}] = v;`])).join('');
  try {
    return new Function('row', 'vals', `'use strict'; let v;${reads}\n    return true;`) as RowReader;
  } catch {
    return (row, vals) => {
      for (let s = 0; s < names.length; s++) {
        const name = names[s];
        if (name === null) continue;
        const v = row[name];
        if (typeof v !== 'number') return false;
        vals[s] = v;
      }
      return true;
    };
  }
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

/**
 * The index of a value among string categories, -1 when absent: a generated `switch` for
 * up to 64 categories (strict equality, so 1 and "1" differ as in the encoder; about half
 * the time of a Map lookup per value), else the Map.
 */
function codeLookup(categories: readonly Category[], index: Map<Category, number>): (v: Category) => number {
  const viaMap = (v: Category) => index.get(v) ?? -1;
  if (categories.length > 64 || !categories.every((c) => typeof c === 'string')) return viaMap;
  try {
    return new Function('v', `switch (v) {${categories.map((c, i) => ` case ${JSON.stringify(c)}: return ${i};`).join('')} default: return -1; }`) as (v: Category) => number;
  } catch {
    return viaMap;
  }
}

/** A slot's category codes for loose column values (strings, numbers, null / undefined /
 *  NaN as missing; -1 for a value outside the categories), as slotCodes gives for the
 *  column Frame.from builds of them; null for any other value (the general path handles it). */
function codesOf(values: readonly unknown[], s: Slot & { kind: 'codes' }, code: (v: Category) => number): Int32Array | null {
  const out = new Int32Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (typeof v === 'string' || (typeof v === 'number' && v === v)) out[i] = code(v);
    else if (v === null || v === undefined || v !== v) out[i] = s.missing;
    else return null;
  }
  return out;
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

