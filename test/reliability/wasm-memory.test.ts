/**
 * WebAssembly memory safety: oversized requests are refused before linear memory grows or a
 * kernel runs; linear memory stays flat over 1M single-row scoring calls and thousands of
 * drift reports of varying sizes; memory returns to its baseline after `dispose()`.
 *
 * Memory is read from the runtime's allocator: `bytesReserved` (size of linear memory) and
 * `bytesInUse` (live allocations). Counts: 1,000,000 row calls and 500 drift reports of 1–400
 * rows here; `npm run fuzz` (WASMLEARN_FUZZ_SCALE > 1) runs 10,000 reports of 1–2,000 rows.
 */
import { describe, expect, it } from 'vitest';
import { runtime } from '../../src/wasm/runtime.js';
import { wasmKernels } from '../../src/wasm/kernels.js';
import { driftReport, loadModel, Profile, WasmlearnError } from '../../src/index.js';
import { HEART_ROW, SCALE, heartModel } from '../fuzz/helpers.js';
import { heartData } from '../helpers/heart.js';

const heap = () => runtime().heap;

describe('oversized lengths are refused before WebAssembly is entered', () => {
  it('the heap refuses requests beyond the 4 GiB address space without growing memory', () => {
    const before = heap().bytesReserved;
    for (const bytes of [2 ** 32, 0xffff_0000, 2 ** 53, Infinity, NaN, -1]) {
      let err: unknown;
      try { heap().alloc(bytes); } catch (e) { err = e; }
      expect(err, String(bytes)).toBeInstanceOf(WasmlearnError);
    }
    expect(heap().bytesReserved).toBe(before);
    expect(heap().bytesInUse).toBe(0);
  });

  it('a frame too large for linear memory is a typed error, and memory is unchanged', () => {
    // The fused plan streams 4,096-row chunks, so any number of rows scores in bounded memory;
    // the unfused kernels copy whole columns. One column of 2^29 float64 (4 GiB) cannot be
    // represented in linear memory: the allocator refuses it before copying.
    const before = heap().bytesReserved;
    let err: unknown;
    try { heap().scoped((a) => a.f64(2 ** 29)); } catch (e) { err = e; }
    expect(err).toMatchObject({ name: 'WasmlearnError', code: 'INVALID_INPUT' });
    expect((err as Error).message).toMatch(/4 GiB/);
    expect(heap().bytesReserved).toBe(before);
  });

  // The kernels that take counts separately from their buffers (linearDecision, probaFromDecision,
  // logisticObjective) check them at the TS boundary: probaFromDecision(z = 2 values, n = 100)
  // would otherwise read 198 stale values from linear memory (an earlier call's scores).
  it('kernel counts larger than their buffers are refused before the kernel runs', () => {
    heartModel().model.predictProba(heartData(200, 3).X); // leaves scores in linear memory
    expect(() => wasmKernels.probaFromDecision(new Float64Array(2), 100, 1)).toThrow(WasmlearnError);
    expect(() => wasmKernels.linearDecision(new Float64Array(4), 1000, 4, new Float64Array(5), 1)).toThrow(WasmlearnError);
  });
});

describe('linear memory stays bounded', () => {
  it('1,000,000 single-row scoring calls: no growth, nothing leaked', () => {
    const { model } = heartModel();
    const row = { ...HEART_ROW };
    model.predictProbaRow(row); // compile the plan
    const reserved = heap().bytesReserved, inUse = heap().bytesInUse;
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) {
      row.age = 29 + (i % 49); row.chol = 150 + (i % 200); row.cp = 1 + (i % 4);
      sum += model.predictProbaRow(row)[1];
    }
    expect(Number.isFinite(sum)).toBe(true);
    expect(heap().bytesReserved).toBe(reserved);
    expect(heap().bytesInUse).toBe(inUse);
  });

  it('100,000 batch scoring calls of 1–64 rows: no growth', () => {
    const { model } = heartModel();
    const { X } = heartData(64, 11);
    model.predictProba(X);
    const reserved = heap().bytesReserved, inUse = heap().bytesInUse;
    for (let i = 0; i < 100_000; i++) {
      const n = 1 + (i % 64);
      const batch = Object.fromEntries(Object.entries(X).map(([k, v]) => [k, v.subarray(0, n)]));
      model.predictProba(batch);
    }
    expect(heap().bytesReserved).toBe(reserved);
    expect(heap().bytesInUse).toBe(inUse);
  });

  const REPORTS = SCALE > 1 ? 10_000 : 500;
  const MAX_ROWS = SCALE > 1 ? 2000 : 400;
  it(`${REPORTS} drift reports of 1 to ${MAX_ROWS} rows: no growth after the largest, nothing leaked`, () => {
    const { X: train } = heartModel();
    const reference = Profile.fromFrame(train);
    const big = heartData(MAX_ROWS, 5, 1).X;
    const cut = (n: number) => Object.fromEntries(Object.entries(big).map(([k, v]) => [k, v.subarray(0, n)]));
    driftReport(reference, cut(MAX_ROWS), { allMetrics: true }); // the largest report sets the high-water mark
    const reserved = heap().bytesReserved, inUse = heap().bytesInUse;
    for (let i = 0; i < REPORTS; i++) {
      const rows = 1 + ((i * 7919) % MAX_ROWS);
      const rep = driftReport(reference, cut(rows), { allMetrics: i % 10 === 0 });
      expect(rep.current.rows).toBe(rows);
    }
    expect(heap().bytesReserved).toBe(reserved);
    expect(heap().bytesInUse).toBe(inUse);
  });
});

describe('dispose returns memory to its baseline', () => {
  it('a loaded model: scoring allocates its plan, dispose frees all of it; 500 load/score/dispose cycles leak nothing', () => {
    const { doc } = heartModel();
    const baseInUse = heap().bytesInUse;
    const m = loadModel(doc);
    m.predictProbaRow(HEART_ROW);
    expect(heap().bytesInUse).toBeGreaterThan(baseInUse);
    m.dispose();
    expect(heap().bytesInUse).toBe(baseInUse);
    const reserved = heap().bytesReserved;
    for (let i = 0; i < 500; i++) {
      const k = loadModel(doc);
      k.predictProba([HEART_ROW, HEART_ROW]);
      k.dispose();
    }
    expect(heap().bytesInUse).toBe(baseInUse);
    expect(heap().bytesReserved).toBe(reserved);
    // the pipeline stays usable after dispose: it recompiles on demand
    expect(m.predictProbaRow(HEART_ROW)[1]).toBeGreaterThan(0);
    m.dispose();
    expect(heap().bytesInUse).toBe(baseInUse);
  });

  it('a failing score (typed error mid-batch) frees its scratch memory', () => {
    const { model } = heartModel();
    model.predictProba([HEART_ROW]);
    const inUse = heap().bytesInUse;
    for (let i = 0; i < 1000; i++) {
      expect(() => model.predictProba([HEART_ROW, { ...HEART_ROW, chol: 'high' }])).toThrow(WasmlearnError);
      expect(() => model.predictProba([{ ...HEART_ROW, age: Infinity }])).toThrow(WasmlearnError);
    }
    expect(heap().bytesInUse).toBe(inUse);
  });
});
