// Drift kernels (histograms, divergences, two-sample statistics).
export function driftVersion(): i32 { return 1; }
