/**
 * The allow-list: which Python globals a pickle may name, and how the few that may be
 * "called" (REDUCE / NEWOBJ / BUILD) are turned into inert data here, in JS, without
 * running anything. numpy arrays, dtypes and scalars, `_codecs.encode`, `slice`,
 * `OrderedDict`, `copyreg._reconstructor`, joblib's `NumpyArrayWrapper`, and the pieces of
 * a cloudpickled function (only its name is kept) are understood. scikit-learn classes
 * become {@link PyObject} shells holding their `__dict__`.
 *
 * Every other global is refused when the pickle would call it (`UNSAFE_PICKLE`, naming it).
 * Modules that exist to run code or touch the system (`os`, `posix`, `subprocess`, `sys`,
 * `builtins.eval`, `builtins.__import__`, …) are refused as soon as they are named.
 * Other names may appear only as references (a FunctionTransformer's `func`) or as
 * classes of inert objects (a user transformer), which the document builder binds to a
 * registered JS implementation or refuses.
 */
import { WasmlearnError } from '../core/errors.js';
import { PickleMachine, PyBytes, PyDict, PySet, badPickle, type PickleHooks } from './pickle-vm.js';

/** Kind of a global: `callable` (interpreted here), `class` (becomes a PyObject shell),
 *  `type` (an inert type reference such as `numpy.float64`), `foreign` (a name only). */
export type GlobalKind = 'callable' | 'class' | 'type' | 'foreign';

/** A named Python global, resolved to an inert token. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string, readonly kind: GlobalKind) {}
  /** `module.name`. */
  get qualname(): string { return `${this.module}.${this.name}`; }
}

/** A class pickled by value by cloudpickle (`_make_skeleton_class`). */
export class PyDynamicClass {
  constructor(readonly module: string, readonly name: string) {}
  get qualname(): string { return `${this.module}.${this.name}`; }
}

/** An object of a class: the class token, constructor arguments and `__dict__` state. */
export class PyObject {
  readonly state = new PyDict();
  /** State that was not a dict (kept for error messages). */
  rawState: unknown = undefined;
  constructor(readonly cls: PyGlobal | PyDynamicClass, readonly args: readonly unknown[]) {}
  get qualname(): string { return this.cls.qualname; }
  /** Attribute from `__dict__`, or `undefined`. */
  attr(name: string): unknown { return this.state.get(name); }
}

/** A function reference: by name (`pickle`) or by value (`cloudpickle`, only its name kept). */
export class PyFunctionRef {
  constructor(public module: string, public qualname: string, readonly byValue: boolean) {}
  /** `module.qualname`. */
  get fullName(): string { return this.module ? `${this.module}.${this.qualname}` : this.qualname; }
}

/** A `slice(start, stop, step)`. */
export class PySlice {
  constructor(readonly start: unknown, readonly stop: unknown, readonly step: unknown) {}
}

/** Something that must stay opaque (a module reference, a code object, a closure cell). */
export class PyOpaque {
  constructor(readonly what: string, readonly detail: unknown = undefined) {}
}

/** A numpy dtype: kind letter, item size in bytes, byte order. */
export class PyDtype {
  kind: string;
  itemsize: number;
  byteorder = '=';
  constructor(code: string) {
    const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(code);
    if (!m) throw unsupportedDtype(code);
    if (m[1]) this.byteorder = m[1];
    this.kind = m[2];
    this.itemsize = m[3] ? Number(m[3]) : m[2] === 'O' ? 8 : m[2] === '?' ? 1 : 0;
    if (this.kind === '?') this.kind = 'b';
  }
  /** `numpy.dtype.str`-like rendering. */
  get str(): string { return `${this.kind}${this.itemsize}`; }
}

/** A numpy array: dtype, shape, order and either raw bytes or Python objects. */
export class PyNdArray {
  constructor(public dtype: PyDtype | null, public shape: number[], public fortran: boolean,
    public raw: Uint8Array | null, public objects: unknown[] | null) {}
  /** Number of elements. */
  get size(): number { return this.shape.reduce((a, b) => a * b, 1); }
}

const ALIASES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', 'numpy._core.multiarray': 'numpy.core.multiarray', 'numpy._core.numeric': 'numpy.core.numeric', 'numpy._core': 'numpy.core', 'cloudpickle.cloudpickle_fast': 'cloudpickle.cloudpickle' };

/** scikit-learn classes rebuilt from a pickle (any `sklearn.*` module, so the private module
 *  layout may move between versions). */
export const SKLEARN_CLASSES: ReadonlySet<string> = new Set([
  'Pipeline', 'ColumnTransformer', 'SimpleImputer', 'StandardScaler', 'OneHotEncoder',
  'FunctionTransformer', 'LogisticRegression', '_RemainderColsList', 'make_column_selector',
]);

const BUILTIN_TYPES = new Set(['float', 'int', 'str', 'bool', 'object', 'type', 'list', 'dict', 'tuple', 'complex', 'bytes', 'NoneType']);
const DENIED_MODULES = new Set([
  'os', 'posix', 'nt', 'posixpath', 'ntpath', 'subprocess', 'sys', 'importlib', 'imp', 'shutil', 'socket', 'pickle', '_pickle',
  'marshal', 'ctypes', 'runpy', 'code', 'codeop', 'pty', 'commands', 'webbrowser', 'multiprocessing', 'asyncio', 'signal',
  'tempfile', 'io', '_io', 'pathlib', 'glob', 'urllib', 'http', 'ftplib', 'smtplib', 'telnetlib', 'platform', 'threading',
  '_thread', 'gc', 'inspect', 'types', 'operator', 'functools', 'itertools', 'timeit', 'pdb', 'bdb', 'trace', 'dill',
  'joblib.externals', 'site', 'distutils', 'setuptools', 'pip', 'zipimport', 'builtins_',
]);

/** Options of {@link pythonHooks}. */
export interface HookOptions {
  /** Read joblib's `NumpyArrayWrapper` arrays that follow their BUILD (default true). */
  joblib?: boolean;
}

/** Resolves `module.name` under the allow-list policy (see the module comment). */
export function resolveGlobal(moduleIn: string, name: string): PyGlobal {
  const module = ALIASES[moduleIn] ?? moduleIn;
  const q = `${module}.${name}`;
  if (CALLS[q]) return new PyGlobal(module, name, 'callable');
  const root = module.split('.')[0];
  if (module === 'builtins') {
    if (BUILTIN_TYPES.has(name)) return new PyGlobal(module, name, 'type');
    throw unsafe(`${moduleIn}.${name}`);
  }
  if (DENIED_MODULES.has(root) || DENIED_MODULES.has(module) || /^(system|popen\d?|eval|exec[lv]?p?e?|spawn[lv]p?e?|__import__)$/.test(name)) {
    throw unsafe(`${moduleIn}.${name}`);
  }
  if (root === 'sklearn' && SKLEARN_CLASSES.has(name)) return new PyGlobal(module, name, 'class');
  if (module === 'numpy' && /^(u?int\d*|float\d*|bool_?|object_?|str_|unicode_|bytes_|ndarray|intc|intp|uint|double|single|longlong|ulonglong)$/.test(name)) {
    return new PyGlobal(module, name, 'type');
  }
  if (module === 'joblib.numpy_pickle' && name === 'NumpyArrayWrapper') return new PyGlobal(module, name, 'class');
  return new PyGlobal(module, name, 'foreign');
}

/** UNSAFE_PICKLE naming the global. */
export function unsafe(qualname: string, why = ''): WasmlearnError {
  return new WasmlearnError('UNSAFE_PICKLE',
    `${qualname} is not an allowed class${why}: wasmlearn rebuilds only scikit-learn estimators ` +
    `(${[...SKLEARN_CLASSES].filter((c) => !c.startsWith('_') && c !== 'make_column_selector').join(', ')}) and the numpy data they hold, and never runs code from a pickle.`,
    { field: 'pickle', global: qualname });
}

function unsupportedDtype(code: string): WasmlearnError {
  return new WasmlearnError('UNSUPPORTED', `numpy dtype ${JSON.stringify(code)} is not supported in a pickled model (float, int, uint, bool, object and str arrays are).`, { field: 'pickle' });
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw badPickle(`${what} must be a string`);
  return v;
}

function bytesOf(v: unknown, what: string): Uint8Array {
  if (v instanceof PyBytes) return v.data;
  throw badPickle(`${what} must be bytes`);
}

function shapeOf(v: unknown): number[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) throw badPickle('bad array shape');
  const size = v.reduce((a: number, b: number) => a * b, 1);
  if (!Number.isSafeInteger(size) || size > 2 ** 31) throw badPickle(`array of ${size} elements is too large`);
  return v as number[];
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw badPickle('latin-1 encoded bytes contain a character above U+00FF');
    out[i] = c;
  }
  return out;
}

function arrayFromBuffer(raw: Uint8Array, dtype: PyDtype, shape: number[], fortran: boolean): PyNdArray {
  const a = new PyNdArray(dtype, shape, fortran, null, null);
  if (dtype.kind === 'O') throw badPickle('an object array cannot come from a raw buffer');
  // A zero item size would make any element count fit an empty buffer.
  if (!(dtype.itemsize > 0)) throw badPickle(`numpy dtype ${dtype.str} has item size 0`);
  if (raw.length !== a.size * dtype.itemsize) {
    throw badPickle(`array data has ${raw.length} bytes, expected ${a.size} x ${dtype.itemsize} for shape (${shape.join(', ')})`);
  }
  a.raw = raw;
  return a;
}

type Call = (args: readonly unknown[]) => unknown;

/** The callables a pickle may REDUCE, each interpreted here as pure data. */
const CALLS: Record<string, Call> = {
  '_codecs.encode': (args) => {
    const enc = args.length > 1 ? str(args[1], '_codecs.encode encoding') : 'utf-8';
    const s = str(args[0], '_codecs.encode argument');
    if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1') return new PyBytes(latin1Bytes(s));
    if (enc === 'utf-8' || enc === 'utf8' || enc === 'ascii') return new PyBytes(new TextEncoder().encode(s));
    throw badPickle(`_codecs.encode with encoding ${JSON.stringify(enc)}`);
  },
  'builtins.bytearray': (args) => bytesLike(args),
  'builtins.bytes': (args) => bytesLike(args),
  'builtins.set': (args) => setLike(args),
  'builtins.frozenset': (args) => setLike(args),
  'builtins.slice': (args) => new PySlice(args[0] ?? null, args[1] ?? null, args[2] ?? null),
  'collections.OrderedDict': (args) => {
    const d = new PyDict();
    if (args.length && Array.isArray(args[0])) for (const kv of args[0]) if (Array.isArray(kv) && kv.length === 2) d.set(kv[0], kv[1]);
    return d;
  },
  'copyreg._reconstructor': (args) => {
    const cls = args[0];
    if (cls instanceof PyGlobal && (cls.kind === 'class' || cls.kind === 'foreign')) return new PyObject(cls, []);
    if (cls instanceof PyDynamicClass) return new PyObject(cls, []);
    throw badPickle('copyreg._reconstructor needs a class');
  },
  'numpy.core.multiarray._reconstruct': (args) => {
    const cls = args[0];
    if (!(cls instanceof PyGlobal) || cls.qualname !== 'numpy.ndarray') {
      throw unsafe(cls instanceof PyGlobal ? cls.qualname : 'a numpy array subclass', ' (only numpy.ndarray is rebuilt)');
    }
    return new PyNdArray(null, [0], false, null, null);
  },
  'numpy.core.multiarray.scalar': (args) => {
    const dtype = args[0];
    if (!(dtype instanceof PyDtype)) throw badPickle('numpy scalar without a dtype');
    if (dtype.kind === 'O') return args[1];
    const raw = bytesOf(args[1], 'numpy scalar data');
    return elementsOf(arrayFromBuffer(raw, dtype, [], false), 'numpy scalar')[0];
  },
  'numpy.core.numeric._frombuffer': (args) => {
    const [buf, dtype, shape, order] = args;
    if (!(dtype instanceof PyDtype)) throw badPickle('numpy _frombuffer without a dtype');
    return arrayFromBuffer(bytesOf(buf, 'numpy buffer'), dtype, shapeOf(shape), order === 'F');
  },
  'numpy.dtype': (args) => new PyDtype(str(args[0], 'numpy dtype code')),
  'numpy.core._ufunc_reconstruct': (args) => new PyFunctionRef(str(args[0], 'ufunc module'), str(args[1], 'ufunc name'), false),
  'cloudpickle.cloudpickle._builtin_type': (args) => {
    const name = str(args[0], 'cloudpickle builtin type');
    if (!['CodeType', 'FunctionType', 'CellType', 'ModuleType'].includes(name)) throw unsafe(`types.${name}`);
    return new PyOpaque('builtin-type', name);
  },
  'cloudpickle.cloudpickle._make_function': (args) => makeFunction(args),
  'cloudpickle.cloudpickle._function_setstate': (args) => {
    const [fn, state] = args;
    if (fn instanceof PyFunctionRef && Array.isArray(state)) {
      const slots = state[1];
      if (slots instanceof PyDict) {
        const q = slots.get('__qualname__');
        const m = slots.get('__module__');
        if (typeof q === 'string') fn.qualname = q;
        if (typeof m === 'string') fn.module = m;
      }
    }
    return null;
  },
  'cloudpickle.cloudpickle.subimport': (args) => new PyOpaque('module', args[0]),
  'cloudpickle.cloudpickle.dynamic_subimport': (args) => new PyOpaque('module', args[0]),
  'cloudpickle.cloudpickle._make_empty_cell': () => new PyOpaque('cell'),
  'cloudpickle.cloudpickle._make_cell': () => new PyOpaque('cell'),
  'cloudpickle.cloudpickle.cell_set': () => null,
  'cloudpickle.cloudpickle._make_skeleton_class': (args) => {
    const name = str(args[1], 'class name');
    const kw = args[3];
    const module = kw instanceof PyDict && typeof kw.get('__module__') === 'string' ? kw.get('__module__') as string : '__main__';
    return new PyDynamicClass(module, name);
  },
  'cloudpickle.cloudpickle._class_setstate': (args) => args[0],
};

function bytesLike(args: readonly unknown[]): PyBytes {
  if (args.length === 0) return new PyBytes(new Uint8Array(0));
  if (args[0] instanceof PyBytes) return args[0];
  if (typeof args[0] === 'string') return new PyBytes(latin1Bytes(args[0]));
  throw badPickle('bytes() from an unsupported argument');
}

function setLike(args: readonly unknown[]): unknown {
  const items = args.length ? args[0] : [];
  if (!Array.isArray(items)) throw badPickle('set() from a non-list');
  return new PySet([...items]);
}

function makeFunction(args: readonly unknown[]): PyFunctionRef {
  const [code, globals, name] = args;
  const codeName = code instanceof PyOpaque && code.what === 'code' ? (code.detail as string) : undefined;
  const module = globals instanceof PyDict && typeof globals.get('__name__') === 'string' ? globals.get('__name__') as string : '';
  const fname = typeof name === 'string' ? name : codeName;
  if (!fname) throw badPickle('a pickled function has no name');
  return new PyFunctionRef(module, fname, true);
}

/** Decodes array elements in C order: numbers (float/int/bool), strings (U), or the objects. */
export function elementsOf(a: PyNdArray, field: string): unknown[] {
  if (a.objects) return a.objects;
  const d = a.dtype;
  if (!d || !a.raw) throw badPickle(`${field}: numpy array without data`);
  const n = a.size;
  const raw = a.raw;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = d.byteorder !== '>';
  const out: unknown[] = new Array(n);
  const sz = d.itemsize;
  for (let i = 0; i < n; i++) {
    const p = i * sz;
    switch (d.kind) {
      case 'f':
        out[i] = sz === 8 ? view.getFloat64(p, le) : sz === 4 ? view.getFloat32(p, le) : (() => { throw unsupportedDtype(d.str); })();
        break;
      case 'i':
        out[i] = sz === 8 ? safeBig(view.getBigInt64(p, le)) : sz === 4 ? view.getInt32(p, le) : sz === 2 ? view.getInt16(p, le) : sz === 1 ? view.getInt8(p) : (() => { throw unsupportedDtype(d.str); })();
        break;
      case 'u':
        out[i] = sz === 8 ? safeBig(view.getBigUint64(p, le)) : sz === 4 ? view.getUint32(p, le) : sz === 2 ? view.getUint16(p, le) : sz === 1 ? view.getUint8(p) : (() => { throw unsupportedDtype(d.str); })();
        break;
      case 'b':
        out[i] = view.getUint8(p) !== 0;
        break;
      case 'U': {
        let s = '';
        for (let k = 0; k < sz; k += 4) {
          const c = view.getUint32(p + k, le);
          if (c === 0) break;
          if (c > 0x10ffff) throw badPickle(`${field}: bad character in a str array`);
          s += String.fromCodePoint(c);
        }
        out[i] = s;
        break;
      }
      default:
        throw unsupportedDtype(d.str);
    }
  }
  if (a.fortran && a.shape.length === 2) {
    const [r, c] = a.shape;
    const t: unknown[] = new Array(n);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[i * c + j] = out[j * r + i];
    return t;
  }
  return out;
}

function safeBig(v: bigint): number | bigint {
  return Number.MIN_SAFE_INTEGER <= v && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}

/** The hooks that make {@link PickleMachine} safe: nothing is called, everything is data. */
export function pythonHooks(options: HookOptions = {}): PickleHooks {
  const joblib = options.joblib ?? true;
  const hooks: PickleHooks = {
    global: (module, name) => resolveGlobal(module, name),
    reduce(func, args) {
      if (func instanceof PyGlobal) {
        if (func.kind === 'callable') return CALLS[func.qualname](args);
        if (func.kind === 'class' && func.module.startsWith('sklearn')) return new PyObject(func, args);
        throw unsafe(func.qualname);
      }
      if (func instanceof PyOpaque && func.what === 'builtin-type') {
        if (func.detail === 'CodeType') return new PyOpaque('code', typeof args[11] === 'string' ? args[11] : undefined);
        if (func.detail === 'FunctionType') return makeFunction(args);
        if (func.detail === 'CellType') return new PyOpaque('cell');
        throw unsafe(`types.${String(func.detail)}`);
      }
      if (func instanceof PyDynamicClass) return new PyObject(func, args);
      throw badPickle('REDUCE of something that is not a class or function');
    },
    newobj(cls, args) {
      if (cls instanceof PyGlobal && (cls.kind === 'class' || cls.kind === 'foreign')) return new PyObject(cls, args);
      if (cls instanceof PyDynamicClass) return new PyObject(cls, args);
      if (cls instanceof PyGlobal) throw unsafe(cls.qualname, ' (as a NEWOBJ class)');
      throw badPickle('NEWOBJ of something that is not a class');
    },
    build(obj, state, vm) {
      if (obj instanceof PyObject) {
        let dict: unknown = state;
        let slots: unknown = null;
        if (Array.isArray(state) && state.length === 2 && (state[0] === null || state[0] instanceof PyDict)) [dict, slots] = state;
        if (dict instanceof PyDict || slots instanceof PyDict) {
          for (const d of [dict, slots]) if (d instanceof PyDict) for (const [k, v] of d.map) obj.state.set(k, v);
        } else {
          obj.rawState = state;
        }
        if (joblib && obj.qualname === 'joblib.numpy_pickle.NumpyArrayWrapper') return readJoblibArray(obj, vm, hooks);
        return undefined;
      }
      if (obj instanceof PyNdArray) {
        if (!Array.isArray(state)) throw badPickle('numpy array state must be a tuple');
        const s = state.length === 5 ? state.slice(1) : state;
        if (s.length !== 4) throw badPickle('numpy array state has the wrong length');
        const [shape, dtype, fortran, data] = s;
        if (!(dtype instanceof PyDtype)) throw badPickle('numpy array state without a dtype');
        obj.dtype = dtype;
        obj.shape = shapeOf(shape);
        obj.fortran = fortran === true || fortran === 1;
        if (dtype.kind === 'O') {
          if (!Array.isArray(data)) throw badPickle('object array data must be a list');
          if (data.length !== obj.size) throw badPickle(`object array has ${data.length} items, expected ${obj.size}`);
          obj.objects = data;
        } else {
          const raw = data instanceof PyBytes ? data.data : typeof data === 'string' ? latin1Bytes(data) : null;
          if (!raw) throw badPickle('numpy array data must be bytes');
          const a = arrayFromBuffer(raw, dtype, obj.shape, obj.fortran);
          obj.raw = a.raw;
        }
        return undefined;
      }
      if (obj instanceof PyDtype) {
        if (Array.isArray(state) && state.length >= 8) {
          const [, byteorder, subarray, names, , elsize] = state;
          if (subarray !== null || names !== null) throw unsupportedDtype('structured');
          if (typeof byteorder === 'string') obj.byteorder = byteorder;
          if (typeof elsize === 'number' && elsize > 0) obj.itemsize = elsize;
          return undefined;
        }
        throw badPickle('bad numpy dtype state');
      }
      if (obj instanceof PyDynamicClass || obj instanceof PyFunctionRef || obj instanceof PyOpaque) return undefined;
      throw badPickle('BUILD on a value that is not an object');
    },
  };
  return hooks;
}

/** joblib writes each numpy array's bytes right after its wrapper's BUILD (joblib >= 0.10). */
function readJoblibArray(w: PyObject, vm: PickleMachine, hooks: PickleHooks): PyNdArray {
  const dtype = w.attr('dtype');
  const order = w.attr('order');
  if (!(dtype instanceof PyDtype)) throw badPickle('joblib array wrapper without a dtype');
  const shape = shapeOf(w.attr('shape'));
  if (dtype.kind === 'O') {
    // Object arrays are a nested protocol-2 pickle, read with the same safe machine.
    const sub = new PickleMachine(vm.bytes, hooks, {}, vm.pos);
    const arr = sub.run();
    vm.pos = sub.pos;
    if (!(arr instanceof PyNdArray)) throw badPickle('joblib object array is not an array');
    return arr;
  }
  const align = w.attr('numpy_array_alignment_bytes');
  if (typeof align === 'number') {
    const pad = vm.read(1)[0];
    vm.read(pad);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const raw = vm.read(size * dtype.itemsize);
  return arrayFromBuffer(raw, dtype, shape, order === 'F');
}

/** Runs a pickle through the safe machine and returns the inert object graph. */
export function unpickle(bytes: Uint8Array, options: HookOptions = {}): unknown {
  return new PickleMachine(bytes, pythonHooks(options)).run();
}

/** True for an object whose class is `module.name` (any `sklearn.*` module for scikit-learn classes). */
export function isClass(v: unknown, name: string): v is PyObject {
  return v instanceof PyObject && v.cls.name === name && (v.cls instanceof PyGlobal ? v.cls.kind === 'class' : false);
}
