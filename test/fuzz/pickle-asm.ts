/**
 * A tiny pickle assembler for hand-written test pickles (protocol 2 opcodes), so exploit
 * and edge-case pickles are readable in the tests instead of opaque byte strings.
 */
const enc = new TextEncoder();

export type Op = number[] | Uint8Array;

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

export const P = {
  proto: (v = 2): Op => [0x80, v],
  stop: (): Op => [0x2e],
  mark: (): Op => [0x28],
  none: (): Op => [0x4e],
  true: (): Op => [0x88],
  false: (): Op => [0x89],
  /** GLOBAL module\nname\n */
  global: (module: string, name: string): Op => [0x63, ...enc.encode(`${module}\n${name}\n`)],
  /** STACK_GLOBAL: module and name strings are on the stack. */
  stackGlobal: (): Op => [0x93],
  str: (s: string): Op => { const b = enc.encode(s); return [0x58, ...u32(b.length), ...b]; },
  bytes: (b: ArrayLike<number>): Op => [0x42, ...u32(b.length), ...Array.from(b)],
  int: (n: number): Op => [0x4a, ...u32(n | 0)],
  float: (x: number): Op => { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, x, false); return [0x47, ...b]; },
  emptyTuple: (): Op => [0x29],
  tuple: (): Op => [0x74],
  tuple1: (): Op => [0x85],
  tuple2: (): Op => [0x86],
  tuple3: (): Op => [0x87],
  emptyList: (): Op => [0x5d],
  appends: (): Op => [0x65],
  emptyDict: (): Op => [0x7d],
  setitems: (): Op => [0x75],
  reduce: (): Op => [0x52],
  newobj: (): Op => [0x81],
  build: (): Op => [0x62],
  memoize: (): Op => [0x94],
  binput: (i: number): Op => [0x71, i],
  binget: (i: number): Op => [0x68, i],
  /** A raw, unchecked byte sequence. */
  raw: (...b: number[]): Op => b,
};

/** LONG1: a non-negative integer as little-endian two's complement bytes. */
export function long1(d: number): Op {
  const b: number[] = [];
  let v = BigInt(d);
  while (v > 0n) { b.push(Number(v & 0xffn)); v >>= 8n; }
  if (b.length === 0 || b[b.length - 1] & 0x80) b.push(0);
  return [0x8a, b.length, ...b];
}

/** Concatenates opcodes into pickle bytes. */
export function pickle(...ops: Op[]): Uint8Array {
  return new Uint8Array(ops.flatMap((o) => Array.from(o)));
}

/** `module.name(*args)` as GLOBAL + MARK args TUPLE + REDUCE. */
export function call(module: string, name: string, ...args: Op[][]): Op[] {
  return [P.global(module, name), P.mark(), ...args.flat(), P.tuple(), P.reduce()];
}

/** `{k: v, …}` as EMPTY_DICT MARK k v … SETITEMS. */
export function dict(entries: [string, Op[]][]): Op[] {
  return [P.emptyDict(), P.mark(), ...entries.flatMap(([k, v]) => [P.str(k), ...v]), P.setitems()];
}

/** A scikit-learn object: `copyreg._reconstructor(cls, object, None)` then BUILD with `state`. */
export function sklearnObject(module: string, name: string, state: [string, Op[]][]): Op[] {
  return [
    ...call('copyreg', '_reconstructor', [P.global(module, name)], [P.global('builtins', 'object')], [P.none()]),
    ...dict(state), P.build(),
  ];
}

/** numpy `_frombuffer(buf, dtype(code), shape, 'C')`. */
export function ndarray(code: string, shape: number[], data: ArrayLike<number>): Op[] {
  return call('numpy.core.numeric', '_frombuffer',
    [P.bytes(data)],
    call('numpy', 'dtype', [P.str(code)]),
    [P.mark(), ...shape.map((d) => (d < 2 ** 31 ? P.int(d) : long1(d))), P.tuple()],
    [P.str('C')]);
}

/** A fitted StandardScaler pickle whose mean_/var_/scale_ are the given arrays. */
export function scalerPickle(mean: Op[], n = 1): Uint8Array {
  const f64 = (xs: number[]) => { const b = new Uint8Array(xs.length * 8); const v = new DataView(b.buffer); xs.forEach((x, i) => v.setFloat64(i * 8, x, true)); return b; };
  const ones = Array.from({ length: n }, () => 1);
  return pickle(P.proto(2), ...sklearnObject('sklearn.preprocessing._data', 'StandardScaler', [
    ['with_mean', [P.true()]], ['with_std', [P.true()]], ['copy', [P.true()]],
    ['n_features_in_', [P.int(n)]], ['n_samples_seen_', [P.int(10)]],
    ['mean_', mean], ['var_', ndarray('<f8', [n], f64(ones))], ['scale_', ndarray('<f8', [n], f64(ones))],
  ]), P.stop());
}
