/**
 * Shared pieces of the fuzz suites: run counts and seeds (CI-sized by default, scaled up by
 * `npm run fuzz`), the typed-error oracle, a hang guard, and the heart model under test.
 *
 * Environment:
 * - `WASMLEARN_FUZZ_SCALE` multiplies every run count (default 1; `npm run fuzz` uses 50).
 * - `WASMLEARN_FUZZ_SEED` replaces every suite's fixed seed (to explore new inputs).
 * Each suite prints `fuzz <name>: <runs> runs, seed <seed>` so a failure can be replayed with
 * `WASMLEARN_FUZZ_SEED=<seed>` (fast-check also prints the failing path).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { WasmlearnError, type ErrorCode } from '../../src/core/errors.js';
import { registerFunction, saveModel, type Pipeline, type ModelDocument } from '../../src/index.js';
import { heartData, heartPipeline, ratio } from '../helpers/heart.js';

export const SCALE = Math.max(1, Number(process.env.WASMLEARN_FUZZ_SCALE ?? 1) || 1);
const SEED_OVERRIDE = process.env.WASMLEARN_FUZZ_SEED === undefined ? undefined : Number(process.env.WASMLEARN_FUZZ_SEED);

/** Every `WasmlearnError` code a public entry point may throw. */
export const ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_FITTED', 'INVALID_INPUT', 'EMPTY_INPUT', 'MISSING_COLUMN', 'COLUMN_TYPE', 'LENGTH_MISMATCH', 'FEATURE_MISMATCH',
  'UNKNOWN_CATEGORY', 'NON_FINITE', 'MISSING_VALUE', 'INVALID_PARAM', 'SINGLE_CLASS', 'INVALID_MODEL', 'UNSUPPORTED',
  'NOT_REGISTERED', 'UNSAFE_PICKLE', 'WASM_NOT_READY', 'SCHEMA_MISMATCH',
]);

/** A case slower than this is reported as a hang (a hang guard, not a performance bound). */
export const HANG_MS = Number(process.env.WASMLEARN_FUZZ_HANG_MS ?? 10_000);

/** Per-suite record of what ran, printed at the end of each property and read by scripts/fuzz.ts. */
export interface FuzzRecord { name: string; runs: number; seed: number; ok: number; typedErrors: number; slowestMs: number }
export const records: FuzzRecord[] = [];

/**
 * Runs a fast-check property with a recorded run count and seed. The body returns
 * 'ok' or 'error' (a typed error was thrown); anything else it throws fails the run.
 */
export function fuzz<T>(name: string, arb: fc.Arbitrary<T>, runs: number, seed: number, body: (v: T) => 'ok' | 'error'): FuzzRecord {
  const rec: FuzzRecord = { name, runs: runs * SCALE, seed: SEED_OVERRIDE ?? seed, ok: 0, typedErrors: 0, slowestMs: 0 };
  fc.assert(fc.property(arb, (v) => {
    const t0 = performance.now();
    const r = body(v);
    const ms = performance.now() - t0;
    if (ms > rec.slowestMs) rec.slowestMs = ms;
    if (ms > HANG_MS) throw new Error(`case took ${Math.round(ms)} ms (hang guard ${HANG_MS} ms)`);
    if (r === 'ok') rec.ok++; else rec.typedErrors++;
  }), { numRuns: rec.runs, seed: rec.seed, endOnFailure: true });
  records.push(rec);
  // eslint-disable-next-line no-console
  console.log(`fuzz ${name}: ${rec.runs} runs, seed ${rec.seed}, ok ${rec.ok}, typed errors ${rec.typedErrors}, slowest ${rec.slowestMs.toFixed(1)} ms`);
  return rec;
}

/** Async variant (HTTP): same record, awaits the body. */
export async function fuzzAsync<T>(name: string, arb: fc.Arbitrary<T>, runs: number, seed: number,
  body: (v: T) => Promise<'ok' | 'error'>): Promise<FuzzRecord> {
  const rec: FuzzRecord = { name, runs: runs * SCALE, seed: SEED_OVERRIDE ?? seed, ok: 0, typedErrors: 0, slowestMs: 0 };
  await fc.assert(fc.asyncProperty(arb, async (v) => {
    const t0 = performance.now();
    const r = await body(v);
    const ms = performance.now() - t0;
    if (ms > rec.slowestMs) rec.slowestMs = ms;
    if (r === 'ok') rec.ok++; else rec.typedErrors++;
  }), { numRuns: rec.runs, seed: rec.seed, endOnFailure: true, timeout: HANG_MS });
  records.push(rec);
  // eslint-disable-next-line no-console
  console.log(`fuzz ${name}: ${rec.runs} runs, seed ${rec.seed}, ok ${rec.ok}, typed errors ${rec.typedErrors}, slowest ${rec.slowestMs.toFixed(1)} ms`);
  return rec;
}

/**
 * Calls `f`: returns 'ok' when it returns, 'error' when it throws a `WasmlearnError` with a
 * known code and a non-empty message; rethrows anything else (a crash the fuzzer reports).
 */
export function typed(f: () => unknown, check?: (v: unknown) => void): 'ok' | 'error' {
  let v: unknown;
  try {
    v = f();
  } catch (e) {
    if (!(e instanceof WasmlearnError)) {
      throw new Error(`untyped error: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
    }
    if (!ERROR_CODES.has(e.code)) throw new Error(`unexpected error code ${e.code}: ${e.message}`, { cause: e });
    if (!e.message) throw new Error(`empty message for ${e.code}`);
    return 'error';
  }
  check?.(v);
  return 'ok';
}

/** Probabilities: n x k, every value finite in [0, 1], rows summing to 1. */
export function checkProba(m: { rows: number; cols: number; data: ArrayLike<number> }, nRows?: number): void {
  if (nRows !== undefined) expect(m.rows).toBe(nRows);
  expect(m.data.length).toBe(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) {
      const p = m.data[i * m.cols + j];
      if (!(p >= 0 && p <= 1)) throw new Error(`probability ${p} at row ${i}, column ${j}`);
      s += p;
    }
    if (!(Math.abs(s - 1) < 1e-9)) throw new Error(`row ${i} sums to ${s}`);
  }
}

registerFunction('ratio', ratio);

let heart: { model: Pipeline; doc: ModelDocument; X: Record<string, Float64Array>; y: Float64Array } | undefined;
/** The fitted heart pipeline of the MLflow tutorial, its model document and training data. */
export function heartModel() {
  if (!heart) {
    const { X, y } = heartData(400, 7);
    const model = heartPipeline().fit(X, y);
    heart = { model, doc: saveModel(model), X, y: y as Float64Array };
  }
  return heart;
}

export const HEART_ROW = { age: 63, sex: 1, cp: 1, trestbps: 145, chol: 233, fbs: 1, restecg: 2, thalach: 150, exang: 0, oldpeak: 2.3, slope: 3, ca: 0, thal: 6 };
export const HEART_COLS = Object.keys(HEART_ROW) as (keyof typeof HEART_ROW)[];

/** Odd cell values: every kind of missing, non-finite, extreme, signed zero, wrong type. */
export const oddCell: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, null, undefined, 1e308, -1e308, 5e-324, -5e-324, Number.MAX_SAFE_INTEGER + 2,
    '', 'abc', '1', 'NaN', ' ', '\u0000', true, false, 2 ** 31, -(2 ** 31), 1e-300),
  fc.double(),
  fc.integer({ min: -5, max: 10 }),
  fc.string({ maxLength: 4 }),
  fc.constantFrom({}, [], [1], Symbol.for('x'), 10n, () => 1, new Date(0)),
);

/** A plausible heart cell, or an odd one. */
export const heartCell = (col: string) => fc.oneof(
  { weight: 16, arbitrary: fc.constant((HEART_ROW as Record<string, number>)[col]) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: oddCell },
);
