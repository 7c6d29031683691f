/**
 * Drift metrics equal to their numpy / scipy namesakes: histograms and bin edges,
 * divergences between binned distributions, two-sample tests on raw values and
 * chi-square tests. Hot loops run in WebAssembly (see src/wasm/drift-kernels.ts).
 * @packageDocumentation
 */
export { histogram, quantileEdges, histogramBinEdges, type HistogramResult, type BinRule } from './histogram.js';
export { entropy, relEntr, klDiv, jensenshannon, psi, hellinger } from './divergence.js';
export { ks2samp, wassersteinDistance, type Ks2sampOptions, type TestResult } from './two-sample.js';
export { chisquare, chi2Contingency, type Chi2ContingencyResult } from './chisquare.js';
