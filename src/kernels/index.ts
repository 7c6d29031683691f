import type { Kernels } from './types.js';
import { referenceKernels } from './reference.js';
import { wasmKernels } from '../wasm/kernels.js';
import { referenceDriftKernels } from './drift.js';
import { wasmDriftKernels } from '../wasm/drift-kernels.js';
import { referenceProfileKernels } from './profile.js';
import { wasmProfileKernels } from '../wasm/profile-kernels.js';

export type { Kernels } from './types.js';
let active: Kernels = wasmKernels;

/** Kernels in use: WebAssembly by default. */
export function kernels(): Kernels { return active; }

/** Switches the numeric backend ('wasm' | 'reference'); for tests and benchmarks. */
export function setBackend(name: 'wasm' | 'reference'): void {
  active = name === 'wasm' ? wasmKernels : referenceKernels;
}

/** Drift kernels for the active backend (the same switch as {@link setBackend}). */
export function driftKernels(): import('./drift.js').DriftKernels {
  return active.name === 'wasm' ? wasmDriftKernels : referenceDriftKernels;
}

/** Profile kernels for the active backend (the same switch as {@link setBackend}). */
export function profileKernels(): import('./profile.js').ProfileKernels {
  return active.name === 'wasm' ? wasmProfileKernels : referenceProfileKernels;
}
