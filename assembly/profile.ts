// Profile kernels (one pass per column block for the drift monitor's hot path).
export function profileVersion(): i32 { return 1; }
