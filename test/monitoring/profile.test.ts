import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeHeart } from '../../src/datasets/heart.js';
import { Profile, Reservoir, type NumericColumnProfile } from '../../src/monitoring/index.js';
import { expectError } from '../helpers/errors.js';

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('Profile', () => {
  const ref = Profile.fromFrame({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5], c: ['a', 'b', 'a', 'a', 'c', 'b', 'a', 'b', 'a', 'a'] }, { bins: 4 });

  it('detects types, counts, moments and histogram on quantile edges (exact)', () => {
    const x = ref.column('x') as NumericColumnProfile;
    expect(x.type).toBe('numeric');
    expect(x.count).toBe(10);
    expect(x.mean).toBeCloseTo(5.55, 12);
    expect(Array.from(x.edges)).toEqual([1, 3.25, 5.5, 7.75, 10.5]);
    expect(Array.from(x.counts).reduce((s, v) => s + v, 0)).toBe(10);
    const c = ref.column('c');
    expect(c.type).toBe('categorical');
    if (c.type === 'categorical') { expect(c.categories).toEqual(['a', 'b', 'c']); expect(Array.from(c.counts)).toEqual([6, 3, 1]); }
  });

  it('uses the reference schema: unseen categories go to other, out-of-range values to below/above', () => {
    const cur = Profile.fromFrame({ x: [0, 11, 5, NaN], c: ['z', 'a', null, 'a'] }, { reference: ref });
    const x = cur.column('x') as NumericColumnProfile;
    expect([x.below, x.above, x.count, x.missing]).toEqual([1, 1, 3, 1]);
    const c = cur.column('c');
    if (c.type === 'categorical') expect([c.other, c.count, c.missing, ...c.counts]).toEqual([1, 3, 1, 2, 0, 0]);
  });

  it('honours type overrides', () => {
    const p = Profile.fromFrame({ cp: [1, 2, 4, 4] }, { overrides: { cp: 'categorical' } });
    expect(p.column('cp').type).toBe('categorical');
  });

  it('round-trips through JSON, including NaN/Infinity encoding (exact)', () => {
    const cur = Profile.fromFrame({ x: [NaN, NaN], c: ['a', 'b'] }, { reference: ref });
    const doc = JSON.parse(JSON.stringify(cur.toJSON()));
    expect(doc.columns[0].mean).toEqual({ $float: 'NaN' });
    expect(doc.columns[0].min).toEqual({ $float: 'Infinity' });
    const back = Profile.fromJSON(doc);
    expect(back.toJSON()).toEqual(cur.toJSON());
    expect(Profile.fromJSON(JSON.stringify(ref.toJSON())).toJSON()).toEqual(ref.toJSON());
  });

  it('merged profiles equal the profile of the concatenation (counts exact, moments 1e-9 relative, sample exact under capacity)', () => {
    const heart = makeHeart({ nRows: 400, seed: 3 }).columns;
    const reference = Profile.fromFrame(heart);
    fc.assert(fc.property(
      fc.array(fc.record({ a: fc.double({ min: -1e3, max: 1e3, noNaN: true }), b: fc.constantFrom('u', 'v', 'w', null) }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.record({ a: fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(NaN)), b: fc.constantFrom('u', 'v', 'x', null) }), { minLength: 1, maxLength: 40 }),
      (rowsA, rowsB) => {
        const r = Profile.fromFrame([...rowsA, { a: 0, b: 'u' }], { bins: 5, sampleSize: 100 });
        const pa = Profile.fromFrame(rowsA, { reference: r }), pb = Profile.fromFrame(rowsB, { reference: r });
        const m = pa.merge(pb), all = Profile.fromFrame([...rowsA, ...rowsB], { reference: r });
        expect(m.nRows).toBe(all.nRows);
        const [ma, aa] = [m.column('a') as NumericColumnProfile, all.column('a') as NumericColumnProfile];
        expect([ma.count, ma.missing, ma.below, ma.above, ma.min, ma.max]).toEqual([aa.count, aa.missing, aa.below, aa.above, aa.min, aa.max]);
        expect(Array.from(ma.counts)).toEqual(Array.from(aa.counts));
        if (aa.count > 0) { expect(close(ma.mean, aa.mean, 1e-9)).toBe(true); expect(close(ma.m2, aa.m2, 1e-9)).toBe(true); }
        expect(Array.from(ma.sample.values()).sort()).toEqual(Array.from(aa.sample.values()).sort());
        expect(m.toJSON().columns[1]).toEqual(all.toJSON().columns[1]);
      }));
    // heart data: per-shard profiles against one reference merge to the whole
    const a = Profile.fromFrame(makeHeart({ nRows: 300, seed: 8 }).columns, { reference });
    const b = Profile.fromFrame(makeHeart({ nRows: 200, seed: 9 }).columns, { reference });
    expect(a.merge(b).nRows).toBe(500);
  });

  it('rejects bad input with typed errors naming the column', () => {
    expectError(() => Profile.fromFrame([]), 'EMPTY_INPUT', /Found input with 0 rows, while a minimum of 1 is required by Profile/);
    expectError(() => Profile.fromFrame({ x: [NaN, NaN], y: [1, 2] }), 'MISSING_VALUE', /Column "x" has no non-missing values \(all 2 rows are missing\)/);
    expectError(() => Profile.fromFrame({ x: [1, Infinity] }), 'NON_FINITE', /Infinity in column "x" at row 1/);
    expectError(() => Profile.fromFrame({ x: ['a', 'b'] }, { overrides: { x: 'numeric' } }), 'COLUMN_TYPE', /Column "x" must be numeric for Profile, but row 0 holds "a"/);
    expectError(() => Profile.fromFrame({ x: [1] }, { overrides: { nope: 'numeric' } }), 'MISSING_COLUMN', /Column "nope" is missing/);
    expectError(() => Profile.fromFrame({ x: [1] }, { bins: 0 }), 'INVALID_PARAM', /'bins' parameter of Profile must be an integer in \[1, 10000\]. Got 0/);
    const other = Profile.fromFrame({ x: [100, 200, 300], c: ['a', 'b', 'c'] }, { bins: 4 });
    expectError(() => ref.merge(other), 'SCHEMA_MISMATCH', /Profiles have different schemas at column "x": histogram edges/);
    const renamed = Profile.fromFrame({ y: [1, 2] });
    expectError(() => ref.merge(renamed), 'SCHEMA_MISMATCH', /at column "x": the other profile has column "y" at position 0/);
    const doc = ref.toJSON() as unknown as { formatVersion: number };
    expectError(() => Profile.fromJSON({ ...doc, formatVersion: 9 }), 'INVALID_MODEL', /profile.formatVersion: this reader knows version 1, the document has 9/);
  });
});

describe('Reservoir', () => {
  it('holds everything up to capacity, then exactly capacity values; merge keeps seen counts', () => {
    const r = new Reservoir(50, 1);
    r.addAll(Float64Array.from({ length: 30 }, (_, i) => i));
    expect(r.exact).toBe(true);
    r.addAll(Float64Array.from({ length: 1000 }, (_, i) => i));
    expect([r.size, r.seen, r.exact]).toEqual([50, 1030, false]);
    const s = new Reservoir(50, 2);
    s.addAll([1, 2, NaN]);
    const m = r.merge(s);
    expect([m.size, m.seen]).toEqual([50, 1032]);
  });
});
