// Status codes of assembly/status.ts. Keep the two in sync.
export const OK = 0;
export const E_NONFINITE = 1;
export const E_UNKNOWN_CATEGORY = 2;
export const E_MISSING = 3;
export const E_BAD_PLAN = 4;
