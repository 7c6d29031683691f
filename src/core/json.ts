/** JSON encoding helpers for model documents (see docs/model-format.md). */
import { WasmlearnError, show } from './errors.js';
import type { Category } from './frame.js';

export type JsonNumber = number | { $float: 'NaN' | 'Infinity' | '-Infinity' };
export type JsonCategory = string | JsonNumber;

export function encodeNumber(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  return { $float: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
}

export function isEncodedFloat(v: unknown): v is { $float: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $float?: unknown }).$float === 'string';
}

/** Decodes a number or `{"$float": …}`; throws INVALID_MODEL naming `field` otherwise. */
export function decodeNumber(v: unknown, field: string, allowNonFinite = true): number {
  if (typeof v === 'number') return v;
  if (isEncodedFloat(v)) {
    const x = v.$float === 'NaN' ? NaN : v.$float === 'Infinity' ? Infinity : v.$float === '-Infinity' ? -Infinity : undefined;
    if (x === undefined) throw badField(field, `expected "NaN", "Infinity" or "-Infinity" in $float, got ${show(v.$float)}`);
    if (!allowNonFinite) throw badField(field, `expected a finite number, got ${v.$float}`);
    return x;
  }
  throw badField(field, `expected a number, got ${show(v)}`);
}

export function encodeCategory(v: Category): JsonCategory {
  return typeof v === 'number' ? encodeNumber(v) : v;
}

export function decodeCategory(v: unknown, field: string): Category {
  if (typeof v === 'string') return v;
  return decodeNumber(v, field);
}

export function encodeArray(a: ArrayLike<number>): JsonNumber[] {
  return Array.from(a, encodeNumber);
}

/** Longest array a model document may hold (a bound checked before any array is walked). */
export const MAX_DOCUMENT_ARRAY = 50_000_000;

/**
 * An array from a document: checks its length against the bound (and `length` when given)
 * before reading it, and that it has no holes (a sparse array built in JS).
 */
export function expectArray(v: unknown, field: string, length?: number, max = MAX_DOCUMENT_ARRAY): unknown[] {
  if (!Array.isArray(v)) throw badField(field, `expected an array, got ${show(v)}`);
  if (v.length > max) throw badField(field, `${v.length} entries exceed the limit of ${max}`);
  if (length !== undefined && v.length !== length) throw badField(field, `expected ${length} values, got ${v.length}`);
  for (let i = 0; i < v.length; i++) if (!(i in v)) throw badField(`${field}[${i}]`, 'missing entry (sparse array)');
  return v;
}

/** Decodes an array of numbers of the expected length (when given) into a Float64Array. */
export function decodeF64(v: unknown, field: string, length?: number, allowNonFinite = false): Float64Array {
  expectArray(v, field, length);
  if (!Array.isArray(v)) throw badField(field, `expected an array, got ${show(v)}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = decodeNumber(v[i], `${field}[${i}]`, allowNonFinite);
  return out;
}

export function badField(field: string, problem: string): WasmlearnError {
  return new WasmlearnError('INVALID_MODEL', `Invalid model document at ${field}: ${problem}.`, { field });
}

export function expectObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badField(field, `expected an object, got ${show(v)}`);
  return v as Record<string, unknown>;
}

export function expectInt(v: unknown, field: string, min = 0, max = 2 ** 31 - 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badField(field, `expected an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}

export function expectStringArray(v: unknown, field: string, length?: number): string[] {
  if (!Array.isArray(v)) throw badField(field, `expected an array of strings, got ${show(v)}`);
  if (length !== undefined && v.length !== length) throw badField(field, `expected ${length} names, got ${v.length}`);
  expectArray(v, field);
  if (v.some((s) => typeof s !== 'string')) throw badField(field, `expected an array of strings, got ${show(v)}`);
  return v as string[];
}

export function expectOneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw badField(field, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(v)}`);
  }
  return v as T;
}

export function expectBoolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw badField(field, `expected true or false, got ${show(v)}`);
  return v;
}
