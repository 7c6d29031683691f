/**
 * WebAssembly implementation of the Kernels interface. Each call copies its inputs
 * into linear memory (arena-scoped, freed on return or throw), runs one coarse kernel
 * call, and copies results into JS-owned arrays. Views are re-created after every
 * allocation because growing memory detaches earlier views.
 */
import type { CompiledPlan, Kernels, LogisticObjective, PlanFailure, PlanSpec } from '../kernels/types.js';
import { indicatorGroups } from '../kernels/reference.js';
import { WasmlearnError } from '../core/errors.js';
import { kernel, runtime, type Heap } from './runtime.js';
import { E_BAD_PLAN, E_NONFINITE, E_UNKNOWN_CATEGORY, OK } from './status.js';

const fn = kernel;

/**
 * Kernels that take counts separately from their arrays check them here, before entering
 * WebAssembly: a count larger than its array would read beyond the copied data.
 */
function checkCounts(kernel: string, checks: [name: string, got: number, need: number][]): void {
  for (const [name, got, need] of checks) {
    if (!Number.isInteger(need) || need < 0 || got !== need) {
      throw new WasmlearnError('INVALID_INPUT', `${kernel}: ${name} has ${got} values, but the counts given need ${need}.`, { field: name });
    }
  }
}

/** Rows per chunk when streaming columns through the fused plan: chunk inputs stay in cache. */
const CHUNK = 4096;
const TERM_F64 = 8;

function compilePlan(spec: PlanSpec): CompiledPlan {
  const { heap } = runtime();
  const scorePlan = fn('scorePlan');
  const scorePlanProba = fn('scorePlanProba');
  const k = spec.k;
  const nTerms = spec.terms.length;
  const outCols = k === 1 ? 2 : k;
  // Long-lived allocations: term table, weights, categories, intercept, error slot, and
  // the per-slot input chunk buffers with the logit and probability buffers, sized on
  // first use to the rows a call needs (up to CHUNK): a plan used for single rows keeps a
  // few kilobytes, not CHUNK rows of every input. Freed by dispose() (or the finalizer),
  // which frees whatever `owned` holds then.
  const owned: number[] = [];
  const own = (p: number) => { owned.push(p); return p; };
  try {
    const slotPtr: number[] = spec.inputKinds.map(() => 0);
    let zPtr = 0, pPtr = 0, cap = 0;
    const interceptPtr = own(heap.putF64(spec.intercept));
    const errPtr = own(heap.alloc(16));
    const table = new Float64Array(nTerms * TERM_F64);
    spec.terms.forEach((t, i) => {
      const o = i * TERM_F64;
      const wPtr = own(heap.putF64(t.weights));
      table[o + 5] = wPtr;
      if (t.kind === 'numeric') {
        table.set([t.expr ? 6 : 0, slotPtr[t.input], t.sub, t.div, t.nanValue], o);
        if (t.expr) { table[o + 6] = slotPtr[t.expr.input2]; table[o + 7] = t.expr.op; }
      } else if (t.kind === 'categoryCodes') {
        // binary model, unknown ignored: -0 (unknown: the logit unchanged), then the weights
        let wtab = 0;
        if (k === 1 && !t.unknownIsError) {
          const w = new Float64Array(t.weights.length + 1);
          w[0] = -0;
          w.set(t.weights, 1);
          wtab = own(heap.putF64(w));
        }
        table.set([2, slotPtr[t.input], t.nCategories, wtab, -1], o);
        table[o + 6] = t.unknownIsError ? 1 : 0;
      } else {
        const cats = t.categories;
        const n = cats.length;
        const lo = n ? cats[0] : 0, hi = n ? cats[n - 1] : 0;
        const integral = n > 0 && cats.every((v) => Number.isInteger(v)) && hi - lo < 4096;
        if (n <= 8 && k === 1 && !t.unknownIsError) {
          // few categories: compared one by one, two rows at a time (see assembly/score.ts):
          // categories (NaN never equals), the weights negated, then -wNaN twice (+0 when
          // NaN has no category)
          const tab = new Float64Array(34);
          tab.fill(NaN, 0, 16);
          cats.forEach((v, j) => { tab[2 * j] = tab[2 * j + 1] = v; tab[16 + 2 * j] = tab[17 + 2 * j] = -t.weights[j]; });
          if (t.nanIndex >= 0) tab[32] = tab[33] = -t.weights[t.nanIndex];
          table.set([5, slotPtr[t.input], n <= 4 ? 4 : 8, own(heap.putF64(tab)), t.nanIndex], o);
        } else if (integral && k === 1 && !t.unknownIsError) {
          // binary model, unknown ignored: the table holds the category's weight itself;
          // -0 (the identity of addition) where there is no category, then unknown, then NaN
          const wlut = new Float64Array(hi - lo + 3).fill(-0);
          cats.forEach((v, j) => { wlut[v - lo] = t.weights[j]; });
          if (t.nanIndex >= 0) wlut[hi - lo + 2] = t.weights[t.nanIndex];
          table.set([4, slotPtr[t.input], hi - lo + 1, own(heap.putF64(wlut)), t.nanIndex], o);
          table[o + 7] = lo;
        } else if (integral) {
          // small integer categories (the common case for coded columns): direct lookup table
          const lut = new Int32Array(hi - lo + 1).fill(-1);
          cats.forEach((v, j) => { lut[v - lo] = j; });
          table.set([3, slotPtr[t.input], lut.length, own(heap.putI32(lut)), t.nanIndex], o);
          table[o + 7] = lo;
        } else {
          table.set([1, slotPtr[t.input], n, own(heap.putF64(cats)), t.nanIndex], o);
        }
        table[o + 6] = t.unknownIsError ? 1 : 0;
      }
    });
    const termsPtr = own(heap.putF64(table));
    // the table fields that hold a slot's buffer address: [field index, slot]
    const slotFields: [number, number][] = [];
    spec.terms.forEach((t, i) => {
      slotFields.push([i * TERM_F64 + 1, t.input]);
      if (t.kind === 'numeric' && t.expr) slotFields.push([i * TERM_F64 + 6, t.expr.input2]);
    });
    /** Buffers for at least `rows` rows (≤ CHUNK): reallocated, and the table's addresses rewritten, when they are smaller. */
    const ensure = (rows: number) => {
      if (rows <= cap) return;
      const size = Math.min(CHUNK, Math.max(rows, 2 * cap, 16));
      const fresh: number[] = [];
      try {
        for (const kind of spec.inputKinds) fresh.push(heap.alloc(size * (kind === 'f64' ? 8 : 4)));
        fresh.push(heap.alloc(size * k * 8), heap.alloc(size * outCols * 8));
      } catch (e) {
        for (const p of fresh) heap.free(p);
        throw e;
      }
      const old = new Set([...slotPtr, zPtr, pPtr].filter((p) => p !== 0));
      for (const p of old) heap.free(p);
      const keep = owned.filter((p) => !old.has(p));
      owned.length = 0;
      owned.push(...keep, ...fresh);
      fresh.slice(0, slotPtr.length).forEach((p, s) => { slotPtr[s] = p; });
      zPtr = fresh[slotPtr.length];
      pPtr = fresh[slotPtr.length + 1];
      cap = size;
      for (const [f, s] of slotFields) table[f] = slotPtr[s];
      heap.f64(termsPtr, table.length).set(table);
    };
    let disposed = false;
    const view = { f64: new Float64Array(heap.memory.buffer), i32: new Int32Array(heap.memory.buffer) };
    const plan: CompiledPlan = {
      run(inputs, nRows, output, out): PlanFailure | null {
        if (disposed) throw new WasmlearnError('INTERNAL', 'Scoring plan used after dispose().');
        // counts checked without building the checkCounts lists (a small batch's fixed cost)
        let counts = inputs.length === spec.nInputs && out.length === nRows * (output === 'proba' ? outCols : k);
        for (let s = 0; counts && s < inputs.length; s++) counts = inputs[s].length === nRows;
        if (!counts) {
          checkCounts('scorePlan', [['inputs', inputs.length, spec.nInputs], ['out', out.length, nRows * (output === 'proba' ? outCols : k)]]);
          for (let s = 0; s < inputs.length; s++) checkCounts('scorePlan', [[`input ${s}`, inputs[s].length, nRows]]);
        }
        ensure(Math.min(CHUNK, nRows));
        // cached views, re-created only when memory has grown since the last call; nothing
        // below allocates WebAssembly memory
        if (view.f64.buffer !== heap.memory.buffer) { view.f64 = new Float64Array(heap.memory.buffer); view.i32 = new Int32Array(heap.memory.buffer); }
        const { f64, i32 } = view;
        for (let r0 = 0; r0 < nRows; r0 += CHUNK) {
          const m = Math.min(CHUNK, nRows - r0);
          for (let s = 0; s < inputs.length; s++) {
            const src = inputs[s];
            const part = m === src.length ? src : src.subarray(r0, r0 + m);
            if (spec.inputKinds[s] === 'f64') f64.set(part, slotPtr[s] >>> 3);
            else i32.set(part, slotPtr[s] >>> 2);
          }
          const st = output === 'decision'
            ? scorePlan(termsPtr, nTerms, m, k, interceptPtr, zPtr, errPtr)
            : scorePlanProba(termsPtr, nTerms, m, k, interceptPtr, zPtr, pPtr, errPtr);
          if (st !== OK) {
            const row = r0 + i32[errPtr >>> 2];
            if (st === E_UNKNOWN_CATEGORY) return { status: 'unknownCategory', row, term: i32[(errPtr >>> 2) + 1] };
            if (st === E_NONFINITE) return { status: 'nonFinite', row };
            throw new WasmlearnError('INTERNAL', `Scoring plan kernel failed with status ${st}${st === E_BAD_PLAN ? ' (bad plan)' : ''}.`);
          }
          if (output === 'decision') out.set(f64.subarray(zPtr >>> 3, (zPtr >>> 3) + m * k), r0 * k);
          else out.set(f64.subarray(pPtr >>> 3, (pPtr >>> 3) + m * outCols), r0 * outCols);
        }
        return null;
      },
      runOne(values, output, out): PlanFailure | null {
        if (disposed) throw new WasmlearnError('INTERNAL', 'Scoring plan used after dispose().');
        ensure(1);
        // cached views, re-created only when memory has grown since the last call
        if (view.f64.buffer !== heap.memory.buffer) { view.f64 = new Float64Array(heap.memory.buffer); view.i32 = new Int32Array(heap.memory.buffer); }
        const { f64, i32 } = view;
        for (let s = 0; s < values.length; s++) {
          if (spec.inputKinds[s] === 'f64') f64[slotPtr[s] >>> 3] = values[s];
          else i32[slotPtr[s] >>> 2] = values[s];
        }
        const st = output === 'decision'
          ? scorePlan(termsPtr, nTerms, 1, k, interceptPtr, zPtr, errPtr)
          : scorePlanProba(termsPtr, nTerms, 1, k, interceptPtr, zPtr, pPtr, errPtr);
        if (st !== OK) {
          if (st === E_UNKNOWN_CATEGORY) return { status: 'unknownCategory', row: 0, term: i32[(errPtr >>> 2) + 1] };
          if (st === E_NONFINITE) return { status: 'nonFinite', row: 0 };
          throw new WasmlearnError('INTERNAL', `Scoring plan kernel failed with status ${st}.`);
        }
        const z = zPtr >>> 3;
        if (output === 'decision') { for (let c = 0; c < k; c++) out[c] = f64[z + c]; return null; }
        const p = pPtr >>> 3;
        for (let c = 0; c < outCols; c++) out[c] = f64[p + c];
        return null;
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        for (const p of owned) heap.free(p);
        registry.unregister(plan);
      },
    };
    registry.register(plan, { heap, owned }, plan);
    return plan;
  } catch (e) {
    for (const p of owned) heap.free(p);
    throw e;
  }
}

// Frees a plan's memory when it is garbage-collected without dispose().
const registry = new FinalizationRegistry<{ heap: Heap; owned: number[] }>(({ heap, owned }) => {
  for (const p of owned) heap.free(p);
});

/**
 * Rows per block of the logistic objective's design matrix (assembly/linear.ts): a block's
 * columns (at most 27 x 1024 x 8 bytes = 220 KB for the heart pipeline, 40 KB of them read
 * as f64 once its indicator columns are packed) stay in cache between the pass that computes
 * the scores and the pass that accumulates the gradient.
 */
const LR_BLOCK = 1024;

function logisticObjective(columns: readonly Float64Array[], n: number, y: Float64Array, sw: Float64Array | null, k: number): LogisticObjective {
  const d = columns.length;
  checkCounts('logisticObjective', [
    ...columns.map((c, j) => [`column ${j}`, c.length, n] as [string, number, number]),
    ['y', y.length, n], ...(sw ? [['sampleWeight', sw.length, n] as [string, number, number]] : []),
  ]);
  const { heap } = runtime();
  const f = fn('logisticLossGrad');
  const B = LR_BLOCK;
  const nPad = Math.ceil(n / B) * B;
  const wLen = k * (d + 1);
  const ptrs: number[] = [];
  const own = (p: number) => { ptrs.push(p); return p; };
  try {
    const xPtr = own(heap.alloc(nPad * d * 8));
    const yPtr = own(heap.alloc(nPad * 8));
    const swPtr = sw ? own(heap.alloc(nPad * 8)) : 0;
    const wPtr = own(heap.alloc(wLen * 8));
    const gPtr = own(heap.alloc(wLen * 8));
    const ssPtr = own(heap.alloc(d * 8));
    const flagPtr = own(heap.alloc(d));
    // Columns go straight into the blocked layout (no row-major matrix in between); the
    // padding of the last block is zeroed because freed memory is reused. Nothing
    // allocates until the copies are done: one view serves them all.
    const f64 = new Float64Array(heap.memory.buffer);
    const x0 = xPtr >>> 3;
    for (let j = 0; j < d; j++) {
      const col = columns[j];
      for (let r0 = 0; r0 < nPad; r0 += B) {
        const at = x0 + r0 * d + j * B;
        const m = Math.min(B, n - r0);
        f64.set(col.subarray(r0, r0 + m), at);
        if (m < B) f64.fill(0, at + m, at + B);
      }
    }
    const pad = (ptr: number, v: Float64Array) => { f64.set(v, ptr >>> 3); f64.fill(0, (ptr >>> 3) + n, (ptr >>> 3) + nPad); };
    pad(yPtr, y);
    if (sw) pad(swPtr, sw);
    fn('blockedColumnStats')(xPtr, n, d, B, ssPtr, flagPtr);
    const sumSquares = heap.f64(ssPtr, d).slice();
    const flags = heap.u8(flagPtr, d).slice();
    const { dense, groups } = indicatorGroups(k, d, () => flags);
    const densePtr = own(heap.alloc(Math.max(1, dense.length) * 4));
    const groupPtr = own(heap.alloc(Math.max(1, groups.length) * 32));
    const bytesPtr = own(heap.alloc(Math.max(1, nPad * groups.length)));
    const sPtr = own(heap.alloc((2 * (k + 1) * B + 2 * wLen + 768 * groups.length) * 8));
    heap.i32(densePtr, dense.length).set(dense);
    const table = new Int32Array(groups.length * 8).fill(-1);
    groups.forEach((g, i) => table.set(g, i * 8));
    heap.i32(groupPtr, table.length).set(table);
    if (groups.length) fn('packIndicators')(xPtr, n, d, B, groupPtr, groups.length, bytesPtr);
    return {
      sumSquares,
      evaluate(W, grad) {
        checkCounts('logisticObjective', [['W', W.length, wLen], ['grad', grad.length, wLen]]);
        heap.f64(wPtr, wLen).set(W);
        const loss = f(xPtr, n, d, B, yPtr, swPtr, k, wPtr, gPtr, sPtr, densePtr, dense.length, bytesPtr, groups.length, groupPtr);
        grad.set(heap.f64(gPtr, wLen));
        return loss;
      },
      dispose() { for (const p of ptrs.splice(0)) heap.free(p); },
    };
  } catch (e) {
    for (const p of ptrs) heap.free(p);
    throw e;
  }
}

export const wasmKernels: Kernels = {
  name: 'wasm',
  colStats(x) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(x), op = a.f64(3);
      fn('colStats')(xp, x.length, op);
      const o = heap.f64(op, 3);
      return { count: o[0], mean: o[1], variance: o[2] };
    });
  },
  fillMissing(x, fill) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(x);
      fn('fillMissing')(xp, x.length, fill, xp);
      return heap.f64(xp, x.length).slice();
    });
  },
  subDiv(x, sub, div) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(x);
      fn('subDiv')(xp, x.length, sub, div, xp);
      return heap.f64(xp, x.length).slice();
    });
  },
  lookupSorted(x, cats) {
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(x), cp = a.putF64(cats), op = a.i32(x.length);
      fn('lookupSorted')(xp, x.length, cp, cats.length, op);
      return heap.i32(op, x.length).slice();
    });
  },
  logisticObjective,
  linearDecision(X, n, d, W, k) {
    checkCounts('linearDecision', [['X', X.length, n * d], ['W', W.length, k * (d + 1)]]);
    const { heap } = runtime();
    return heap.scoped((a) => {
      const xp = a.putF64(X), wp = a.putF64(W), op = a.f64(n * k);
      fn('linearDecision')(xp, n, d, wp, k, op);
      return heap.f64(op, n * k).slice();
    });
  },
  probaFromDecision(z, n, k) {
    checkCounts('probaFromDecision', [['z', z.length, n * k]]);
    const { heap } = runtime();
    const w = Math.max(k, 2);
    return heap.scoped((a) => {
      const zp = a.putF64(z), op = a.f64(n * w);
      fn('probaFromDecision')(zp, n, k, op);
      return heap.f64(op, n * w).slice();
    });
  },
  compilePlan,
};
