/**
 * The library functions the CLI calls, looked up on the public API (`src/index.ts`)
 * by name, so a command whose module is not part of this build fails with a clear
 * message instead of breaking the others.
 * @packageDocumentation
 */
import * as lib from '../index.js';
import { WasmlearnError } from '../core/errors.js';

const api = lib as unknown as Record<string, unknown>;

/**
 * The exported function `name` of the wasmlearn API.
 * @param name - export name (`loadModel`, `readMlflowModel`, `driftReport`, …)
 * @param what - what the caller needs it for, for the error message
 * @throws WasmlearnError UNSUPPORTED - the export is missing from this build
 */
export function libraryFunction<F extends (...args: never[]) => unknown>(name: string, what: string): F {
  const f = api[name];
  if (typeof f !== 'function') {
    throw new WasmlearnError('UNSUPPORTED', `${what} is not available: this build of wasmlearn does not export '${name}'.`);
  }
  return f as F;
}

/** True when the API exports a function `name`. */
export function hasLibraryFunction(name: string): boolean {
  return typeof api[name] === 'function';
}
