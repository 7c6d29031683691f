import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/kernels/reference.js';
import { wasmKernels } from '../../src/wasm/kernels.js';

const special = new Float64Array([0, -0, 1, -1, NaN, 1e300, -1e300, 1e-300, 3.5, NaN, 7]);

describe('WASM kernels equal the reference (exact)', () => {
  it('colStats', () => {
    for (const x of [special.filter((v) => Number.isFinite(v) || Number.isNaN(v)), new Float64Array([5]), new Float64Array([2, 2, 2]), new Float64Array([NaN])]) {
      expect(wasmKernels.colStats(x)).toEqual(referenceKernels.colStats(x));
    }
  });
  it('fillMissing / subDiv / lookupSorted', () => {
    expect(wasmKernels.fillMissing(special, 9)).toEqual(referenceKernels.fillMissing(special, 9));
    expect(wasmKernels.subDiv(special, 1.5, 3)).toEqual(referenceKernels.subDiv(special, 1.5, 3));
    const cats = new Float64Array([-1, 0, 3.5, 7, NaN]);
    expect(wasmKernels.lookupSorted(special, cats)).toEqual(referenceKernels.lookupSorted(special, cats));
  });
});
