import { describe, expect, it } from 'vitest';
import { Frame, WasmlearnError } from '../../src/index.js';

describe('Frame.from normalises every input form', () => {
  const expectAB = (f: Frame) => {
    expect(f.names).toEqual(['a', 'b']);
    expect(f.nRows).toBe(3);
    expect(Array.from(f.numeric('a'))).toEqual([1, NaN, 3]);
    expect(f.column('b').kind).toBe('categorical');
    expect(f.toRows().map((r) => r.b)).toEqual(['x', null, 'y']);
  };
  it('row objects (null, undefined and NaN are missing; a missing key is missing)', () => {
    expectAB(Frame.from([{ a: 1, b: 'x' }, { a: null }, { a: 3, b: 'y' }]));
    expectAB(Frame.from([{ a: 1, b: 'x' }, { a: NaN, b: undefined }, { a: 3, b: 'y' }]));
  });
  it('object of columns, with arrays and typed arrays', () => {
    expectAB(Frame.from({ a: new Float64Array([1, NaN, 3]), b: ['x', null, 'y'] }));
    expectAB(Frame.from({ a: [1, undefined, 3], b: ['x', undefined, 'y'] }));
  });
  it("MLflow / pandas split form { columns, data }", () => {
    expectAB(Frame.from({ columns: ['a', 'b'], data: [[1, 'x'], [null, null], [3, 'y']] }));
  });
  it('positional rows get names x0, x1 and hasNames = false', () => {
    const f = Frame.from([[1, 2], [3, 4]]);
    expect(f.names).toEqual(['x0', 'x1']);
    expect(f.hasNames).toBe(false);
  });
  it('typed-array columns are used without copying', () => {
    const a = new Float64Array([1, 2]);
    expect(Frame.from({ a }).numeric('a')).toBe(a);
  });
  it('booleans are numbers 0/1', () => {
    expect(Array.from(Frame.from({ a: [true, false] }).numeric('a'))).toEqual([1, 0]);
  });
});

describe('Frame errors name the column and row', () => {
  const err = (fn: () => unknown) => { try { fn(); } catch (e) { return e as WasmlearnError; } throw new Error('did not throw'); };
  it('missing column', () => {
    const e = err(() => Frame.from({ a: [1] }).column('age'));
    expect(e).toBeInstanceOf(WasmlearnError);
    expect(e.code).toBe('MISSING_COLUMN');
    expect(e.message).toBe('Column "age" is missing from the input; the input has 1 columns: ["a"].');
  });
  it('a string in a numeric column', () => {
    const e = err(() => Frame.from({ age: [40, 'old', 50] }).numeric('age', 'StandardScaler'));
    expect(e.code).toBe('COLUMN_TYPE');
    expect(e.details).toMatchObject({ column: 'age', row: 1 });
    expect(e.message).toContain('Column "age" must be numeric for StandardScaler, but row 1 holds "old"');
  });
  it('columns of different lengths', () => {
    const e = err(() => Frame.from({ a: [1, 2], b: [1] }));
    expect(e.code).toBe('LENGTH_MISMATCH');
    expect(e.message).toBe('X column "b" has length 1, expected 2.');
  });
  it('split rows of the wrong width', () => {
    const e = err(() => Frame.from({ columns: ['a', 'b'], data: [[1, 2], [3]] }));
    expect(e.code).toBe('LENGTH_MISMATCH');
    expect(e.details.row).toBe(1);
  });
  it('unsupported cell types and non-table inputs', () => {
    expect(err(() => Frame.from({ a: [{}] as never })).code).toBe('COLUMN_TYPE');
    expect(err(() => Frame.from(42 as never)).code).toBe('INVALID_INPUT');
    expect(err(() => Frame.from([1, 2] as never)).code).toBe('INVALID_INPUT');
  });
  it('duplicate names in split input', () => {
    const e = err(() => Frame.from({ columns: ['a', 'a'], data: [[1, 2]] }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('Duplicate column name "a" in input.');
  });
});
