/**
 * Interleaved A/B of heart pipeline batch scoring between this tree and another checkout
 * of the repository (e.g. `git worktree add ../wasmlearn-base <rev>` with node_modules
 * linked), in one process: the same model document is loaded through both trees and their
 * calls alternate, so load on the machine affects both alike. Prints min and median ns per
 * row per tree and their ratio, then the minor page faults per call of this tree with and
 * without a reused `out` array (what allocating the result costs in fresh pages).
 *
 * Run: `taskset -c 1 npx tsx bench/ab-score.ts ../wasmlearn-base` (`SIZES=1000,100000`,
 * `ALLOC=1` to time calls that allocate their result).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as A from '../src/index.js';
import { heartPipeline } from '../test/helpers/heart.js';

const other = process.argv[2];
if (!other) throw new Error('usage: npx tsx bench/ab-score.ts <path of another checkout>');
const B = (await import(pathToFileURL(resolve(other, 'src/index.ts')).href)) as typeof A;
const sizes = (process.env.SIZES ?? '4096,1000,100000,1000000').split(',').map(Number);
const alloc = process.env.ALLOC === '1';

function features(n: number, seed: number) {
  const { num: _num, ...X } = A.makeHeart({ nRows: n, seed }).columns;
  return X as Record<string, Float64Array>;
}
const train = A.makeHeart({ nRows: 10_000, seed: 1 });
const { num: _num, ...trainX } = train.columns;
const doc = heartPipeline(undefined, 'expr').fit(trainX as Record<string, Float64Array>, train.target).toJSON();
const ma = A.loadModel(doc), mb = B.loadModel(doc);
const data = features(Math.max(...sizes), 2);

const ns = () => process.hrtime.bigint();
for (const n of sizes) {
  const X = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.subarray(0, n)]));
  const oa = new Float64Array(n * 2), ob = new Float64Array(n * 2);
  const ta: number[] = [], tb: number[] = [];
  const reps = Math.max(20, Math.min(20_000, Math.floor(3e8 / (n * 20))));
  for (let r = 0; r < reps; r++) {
    let t = ns(); if (alloc) ma.predictProba(X); else ma.predictProba(X, { out: oa }); ta.push(Number(ns() - t));
    t = ns(); if (alloc) mb.predictProba(X); else mb.predictProba(X, { out: ob }); tb.push(Number(ns() - t));
  }
  let d = 0;
  for (let i = 0; i < oa.length; i++) d = Math.max(d, Math.abs(oa[i] - ob[i]));
  ta.sort((a, b) => a - b); tb.sort((a, b) => a - b);
  const f = (t: number[]) => `min ${(t[0] / n).toFixed(2)} med ${(t[t.length >> 1] / n).toFixed(2)}`;
  console.log(`${n} rows${alloc ? ', result allocated' : ', into out'}: this ${f(ta)} | other ${f(tb)} ns/row | this/other min ${(ta[0] / tb[0]).toFixed(3)} med ${(ta[ta.length >> 1] / tb[tb.length >> 1]).toFixed(3)}${alloc ? '' : ` | max |Δp| ${d}`}`);
}
for (const n of sizes) {
  const X = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.subarray(0, n)]));
  const out = new Float64Array(n * 2);
  const faults = (f: () => unknown) => {
    const r0 = process.resourceUsage().minorPageFault;
    for (let i = 0; i < 50; i++) f();
    return (process.resourceUsage().minorPageFault - r0) / 50;
  };
  console.log(`${n} rows: minor page faults per call ${faults(() => ma.predictProba(X)).toFixed(1)} (result allocated; ${Math.ceil(n * 16 / 4096)} pages of result), ${faults(() => ma.predictProba(X, { out })).toFixed(1)} (into out)`);
}
