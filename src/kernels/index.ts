import type { Kernels } from './types.js';
import { referenceKernels } from './reference.js';
import { wasmKernels } from '../wasm/kernels.js';

export type { Kernels } from './types.js';
let active: Kernels = wasmKernels;

/** Kernels in use: WebAssembly by default. */
export function kernels(): Kernels { return active; }

/** Switches the numeric backend ('wasm' | 'reference'); for tests and benchmarks. */
export function setBackend(name: 'wasm' | 'reference'): void {
  active = name === 'wasm' ? wasmKernels : referenceKernels;
}
