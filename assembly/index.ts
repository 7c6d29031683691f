// wasmlearn kernels. Every export takes byte offsets (`*Ptr`) into linear memory and
// element counts, and returns a status code (0 = ok, see status.ts) or a number.
// Memory is owned by the TypeScript side (src/wasm/): kernels never allocate.
export { heapBase } from './status';
export * from './preprocess';
export * from './linear';
export * from './score';
export * from './drift';
export * from './profile';
