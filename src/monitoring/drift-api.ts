/**
 * The drift functions of src/drift that profiles and reports use, typed in one place.
 * @internal
 */
import * as drift from '../drift/index.js';

/** Signatures of the src/drift functions used by the monitoring module. @internal */
export interface DriftApi {
  histogram(values: ArrayLike<number>, edges: ArrayLike<number>): { counts: Float64Array; nanCount: number; below: number; above: number };
  quantileEdges(values: ArrayLike<number>, nBins: number): Float64Array;
  histogramBinEdges(values: ArrayLike<number>, bins: number | 'auto' | 'sturges' | 'fd', range?: [number, number]): Float64Array;
  entropy(pk: ArrayLike<number>, qk?: ArrayLike<number>, options?: { base?: number }): number;
  jensenshannon(p: ArrayLike<number>, q: ArrayLike<number>, options?: { base?: number }): number;
  psi(expected: ArrayLike<number>, actual: ArrayLike<number>, options?: { epsilon?: number }): number;
  hellinger(p: ArrayLike<number>, q: ArrayLike<number>): number;
  wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>, uWeights?: ArrayLike<number>, vWeights?: ArrayLike<number>): number;
  ks2samp(a: ArrayLike<number>, b: ArrayLike<number>, options?: { method?: string; alternative?: string }): { statistic: number; pvalue: number };
  chisquare(observed: ArrayLike<number>, expected?: ArrayLike<number>, options?: { ddof?: number }): { statistic: number; pvalue: number };
}

/** The drift functions (typed against the signatures above). @internal */
export const driftFns: DriftApi = drift;
