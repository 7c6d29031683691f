// Status codes shared with src/wasm/status.ts. Keep the two in sync.
export const OK: i32 = 0;
/** A value that must be finite was NaN or infinite; error slot holds (row, term). */
export const E_NONFINITE: i32 = 1;
/** A category not seen during fit with handle_unknown='error'; error slot holds (row, term). */
export const E_UNKNOWN_CATEGORY: i32 = 2;
/** A missing value reached a step that cannot take it; error slot holds (row, term). */
export const E_MISSING: i32 = 3;
/** Unknown term kind in a scoring plan (corrupted plan). */
export const E_BAD_PLAN: i32 = 4;

/** First byte of linear memory free for the host's allocator. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
