/**
 * Input checks shared by the drift functions. Every message names the function and
 * the argument at fault.
 * @packageDocumentation
 */
import { WasmlearnError, show } from '../core/errors.js';

/** Converts an array-like of numbers to a Float64Array (no copy for a Float64Array). */
export function toF64(fn: string, arg: string, values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array) return values;
  if (values == null || typeof (values as { length?: unknown }).length !== 'number') {
    throw new WasmlearnError('INVALID_INPUT', `${fn}: '${arg}' must be an array of numbers, got ${show(values)}.`, { estimator: fn, field: arg });
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      throw new WasmlearnError('INVALID_INPUT', `${fn}: '${arg}'[${i}] must be a number, got ${show(v)}.`, { estimator: fn, field: arg, row: i });
    }
    out[i] = v;
  }
  return out;
}

/** Throws EMPTY_INPUT when x has no elements. */
export function nonEmpty(fn: string, arg: string, x: ArrayLike<number>): void {
  if (x.length === 0) throw new WasmlearnError('EMPTY_INPUT', `${fn}: '${arg}' is empty; at least one value is required.`, { estimator: fn, field: arg });
}

/** Throws INVALID_INPUT at the first NaN (and, unless allowInfinite, the first ±Infinity). */
export function noNaN(fn: string, arg: string, x: Float64Array, allowInfinite: boolean): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v || (!allowInfinite && (v === Infinity || v === -Infinity))) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: '${arg}'[${i}] is ${show(v)}; ${allowInfinite ? 'NaN is' : 'NaN and infinite values are'} not accepted. Drop missing values first.`,
        { estimator: fn, field: arg, row: i });
    }
  }
}

/** Checks a vector of counts or probabilities: non-empty, finite, non-negative, positive sum. Returns the sum. */
export function distribution(fn: string, arg: string, x: Float64Array): void {
  nonEmpty(fn, arg, x);
  let any = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= 0) || v === Infinity) {
      throw new WasmlearnError('INVALID_INPUT',
        `${fn}: '${arg}'[${i}] is ${show(v)}; probabilities and counts must be finite and non-negative.`,
        { estimator: fn, field: arg, row: i });
    }
    if (v > 0) any = true;
  }
  if (!any) throw new WasmlearnError('INVALID_INPUT', `${fn}: '${arg}' sums to 0; at least one entry must be positive.`, { estimator: fn, field: arg });
}

/** Throws LENGTH_MISMATCH when the two lengths differ. */
export function sameLength(fn: string, a: string, x: ArrayLike<number>, b: string, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new WasmlearnError('LENGTH_MISMATCH', `${fn}: '${b}' has length ${y.length}, expected ${x.length} (the length of '${a}').`, { estimator: fn, field: b });
  }
}

/** Validates an optional logarithm base (finite, > 0, != 1). */
export function logBase(fn: string, base: number | undefined): number | undefined {
  if (base === undefined) return undefined;
  if (typeof base !== 'number' || !(base > 0) || base === 1 || !Number.isFinite(base)) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: the 'base' option must be a finite number > 0 and != 1. Got ${show(base)} instead.`, { estimator: fn, field: 'base' });
  }
  return base;
}

/** Throws INVALID_PARAM unless value is one of the allowed strings. */
export function oneOf<T extends string>(fn: string, param: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new WasmlearnError('INVALID_PARAM', `${fn}: the '${param}' option must be one of ${show([...allowed])}. Got ${show(value)} instead.`, { estimator: fn, field: param });
  }
  return value as T;
}
