import { expect } from 'vitest';
import { WasmlearnError } from '../../src/core/errors.js';

/** Asserts that f throws a WasmlearnError with this code and a message matching `message`. */
export function expectError(f: () => unknown, code: string, message: RegExp): void {
  try { f(); } catch (e) {
    expect(e).toBeInstanceOf(WasmlearnError);
    expect((e as WasmlearnError).code).toBe(code);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a WasmlearnError');
}
