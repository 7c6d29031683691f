/**
 * The only module that touches WebAssembly. It instantiates the kernels module once,
 * owns its linear memory through a small allocator (`Heap`), and hands out fresh
 * typed-array views: a view must never be kept across a call that can allocate,
 * because `memory.grow` detaches the old buffer.
 */
import { WASM_BASE64 } from './binary.js';
import { WasmlearnError } from '../core/errors.js';

/** Raw exports of assembly/index.ts (pointers are byte offsets). */
export interface WasmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  [name: string]: unknown;
}

const ALIGN = 16;
const PAGE = 65536;

/**
 * First-fit allocator over the module's linear memory, 16-byte aligned, with
 * coalescing free list. Written here (not AssemblyScript's runtime) so that kernels
 * stay allocation-free and memory ownership sits in one place.
 */
export class Heap {
  readonly memory: WebAssembly.Memory;
  readonly base: number;
  #top: number;
  #live = new Map<number, number>();
  #free: { ptr: number; size: number }[] = [];
  #inUse = 0;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.#top = this.base;
  }

  /** Bytes currently allocated. */
  get bytesInUse(): number { return this.#inUse; }
  /** Size of linear memory in bytes. */
  get bytesReserved(): number { return this.memory.buffer.byteLength; }

  alloc(bytes: number): number {
    if (!Number.isFinite(bytes) || bytes < 0) throw new WasmlearnError('INTERNAL', `Heap.alloc: bad size ${bytes}.`);
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.#free.length; i++) {
      const b = this.#free[i];
      if (b.size >= size) {
        const ptr = b.ptr;
        if (b.size === size) this.#free.splice(i, 1);
        else { b.ptr += size; b.size -= size; }
        this.#live.set(ptr, size);
        this.#inUse += size;
        return ptr;
      }
    }
    const ptr = this.#top;
    const end = ptr + size;
    if (end > 0xffff_0000) {
      throw new WasmlearnError('INVALID_INPUT', `Request for ${bytes} bytes exceeds the 4 GiB WebAssembly address space; score in smaller batches.`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        // grow at least 25 % to amortise; fall back to the exact need
        const extra = Math.max(pages, Math.ceil(have / PAGE / 4));
        try { this.memory.grow(extra); } catch { this.memory.grow(pages); }
      } catch (cause) {
        throw new WasmlearnError('INVALID_INPUT', `Out of WebAssembly memory allocating ${bytes} bytes; score in smaller batches.`, {}, { cause });
      }
    }
    this.#top = end;
    this.#live.set(ptr, size);
    this.#inUse += size;
    return ptr;
  }

  free(ptr: number): void {
    const size = this.#live.get(ptr);
    if (size === undefined) return;
    this.#live.delete(ptr);
    this.#inUse -= size;
    // insert sorted, then coalesce with neighbours
    let i = 0;
    while (i < this.#free.length && this.#free[i].ptr < ptr) i++;
    this.#free.splice(i, 0, { ptr, size });
    if (i + 1 < this.#free.length && this.#free[i].ptr + this.#free[i].size === this.#free[i + 1].ptr) {
      this.#free[i].size += this.#free[i + 1].size;
      this.#free.splice(i + 1, 1);
    }
    if (i > 0 && this.#free[i - 1].ptr + this.#free[i - 1].size === this.#free[i].ptr) {
      this.#free[i - 1].size += this.#free[i].size;
      this.#free.splice(i, 1);
      i--;
    }
    const last = this.#free[this.#free.length - 1];
    if (last && last.ptr + last.size === this.#top) {
      this.#top = last.ptr;
      this.#free.pop();
    }
  }

  f64(ptr: number, length: number): Float64Array { return new Float64Array(this.memory.buffer, ptr, length); }
  i32(ptr: number, length: number): Int32Array { return new Int32Array(this.memory.buffer, ptr, length); }
  u8(ptr: number, length: number): Uint8Array { return new Uint8Array(this.memory.buffer, ptr, length); }

  /** Allocates and copies a float64 array in; returns its pointer. */
  putF64(src: ArrayLike<number>): number {
    const p = this.alloc(src.length * 8);
    this.f64(p, src.length).set(src);
    return p;
  }
  putI32(src: ArrayLike<number>): number {
    const p = this.alloc(src.length * 4);
    this.i32(p, src.length).set(src);
    return p;
  }

  /** Runs `fn` with an arena whose allocations are all freed afterwards, even on throw. */
  scoped<T>(fn: (a: Arena) => T): T {
    const arena = new Arena(this);
    try { return fn(arena); } finally { arena.release(); }
  }
}

/** Allocations freed together. */
export class Arena {
  #ptrs: number[] = [];
  constructor(readonly heap: Heap) {}
  alloc(bytes: number): number { const p = this.heap.alloc(bytes); this.#ptrs.push(p); return p; }
  f64(length: number): number { return this.alloc(length * 8); }
  i32(length: number): number { return this.alloc(length * 4); }
  putF64(src: ArrayLike<number>): number { const p = this.heap.putF64(src); this.#ptrs.push(p); return p; }
  putI32(src: ArrayLike<number>): number { const p = this.heap.putI32(src); this.#ptrs.push(p); return p; }
  release(): void { for (const p of this.#ptrs) this.heap.free(p); this.#ptrs.length = 0; }
}

export interface WasmRuntime { readonly exports: WasmExports; readonly heap: Heap }

let current: WasmRuntime | undefined;
let pending: Promise<WasmRuntime> | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const g = globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array }; atob?: (s: string) => string };
  if (g.Buffer) return Uint8Array.from(g.Buffer.from(WASM_BASE64, 'base64'));
  const bin = g.atob!(WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const imports = {
  env: {
    abort(): never { throw new WasmlearnError('INTERNAL', 'WebAssembly kernel aborted.'); },
  },
};

function makeRuntime(instance: WebAssembly.Instance): WasmRuntime {
  const exports = instance.exports as unknown as WasmExports;
  return { exports, heap: new Heap(exports.memory, exports.heapBase()) };
}

/**
 * Compiles and instantiates the kernels asynchronously. Browsers' main threads
 * refuse to compile modules over 4 KB synchronously, so a page calls
 * `await init()` once before using any estimator; Node and workers may skip it.
 */
export function init(): Promise<void> {
  if (current) return Promise.resolve();
  pending ??= WebAssembly.instantiate(wasmBytes(), imports).then((r: WebAssembly.WebAssemblyInstantiatedSource) => (current = makeRuntime(r.instance)));
  return pending.then(() => undefined);
}

/** The runtime, compiling synchronously on first use where the platform allows it. */
export function runtime(): WasmRuntime {
  if (current) return current;
  try {
    const mod = new WebAssembly.Module(wasmBytes());
    current = makeRuntime(new WebAssembly.Instance(mod, imports));
    return current;
  } catch (cause) {
    throw new WasmlearnError('WASM_NOT_READY',
      "The WebAssembly kernels are not initialised. Call 'await init()' once before using wasmlearn in a browser's main thread.",
      {}, { cause });
  }
}

/** A kernel export: pointers and counts in, a number out. */
export type KernelFn = (...args: number[]) => number;
const kernelCache = new Map<string, KernelFn>();

/** The kernel exported as `name` (looked up once). */
export function kernel(name: string): KernelFn {
  let f = kernelCache.get(name);
  if (f) return f;
  const g = runtime().exports[name];
  if (typeof g !== 'function') throw new WasmlearnError('INTERNAL', `WebAssembly export '${name}' is missing.`);
  f = g as KernelFn;
  kernelCache.set(name, f);
  return f;
}

/** True once the module is instantiated. */
export function isReady(): boolean { return current !== undefined; }
