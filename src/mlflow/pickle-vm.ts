/**
 * A small, strict pickle machine (protocols 0–5) that never executes anything.
 *
 * Why not an npm parser: `pickleparser` (the maintained one) resolves globals through a hook,
 * but then *calls* whatever the hook returns on REDUCE / NEWOBJ / BUILD with
 * attacker-chosen arguments, assigns pickled dict keys onto plain JS objects (so `__proto__`
 * keys re-prototype them), decodes LONG4 integers in quadratic time (a few bytes of input
 * can hang the process), reads negative LONG1 integers as unsigned (-2**40 becomes
 * 280375465082880) and has no depth or size limits. Here every opcode is checked against
 * the bytes that remain, nesting is bounded, and globals, calls and object builds are handed
 * to a {@link PickleHooks} object that turns them into inert data (see `python-objects.ts`):
 * no Python and no JS function chosen by the pickle ever runs.
 *
 * Values: `None` → `null`, `bool` → boolean, `int` → number (bigint beyond 2^53),
 * `float` → number, `str` → string, `bytes`/`bytearray` → {@link PyBytes}, list → array,
 * tuple → frozen array, dict → {@link PyDict}, set/frozenset → {@link PySet}.
 */
import { WasmlearnError } from '../core/errors.js';

/** Raw bytes (`bytes`, `bytearray`, in-band `PickleBuffer`). */
export class PyBytes {
  constructor(readonly data: Uint8Array) {}
}

/** A Python `dict`: insertion-ordered, keys compared by identity except primitives. */
export class PyDict {
  readonly map = new Map<unknown, unknown>();
  /** The value under a string key, or `undefined`. */
  get(key: string): unknown { return this.map.get(key); }
  has(key: string): boolean { return this.map.has(key); }
  set(key: unknown, value: unknown): void { this.map.set(key, value); }
}

/** A Python `set` / `frozenset`. */
export class PySet {
  constructor(readonly items: unknown[]) {}
}

/** Where the machine hands over everything that could mean "run code". */
export interface PickleHooks {
  /** GLOBAL / STACK_GLOBAL / INST: return an inert token, or throw UNSAFE_PICKLE. */
  global(module: string, name: string): unknown;
  /** REDUCE and OBJ/INST: `func(*args)`. */
  reduce(func: unknown, args: readonly unknown[]): unknown;
  /** NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`. */
  newobj(cls: unknown, args: readonly unknown[], kwargs: PyDict | null): unknown;
  /** BUILD: `obj.__setstate__(state)`. A value other than `undefined` replaces the object
   *  on the stack (joblib's array wrappers become the array they precede). */
  build(obj: unknown, state: unknown, vm: PickleMachine): unknown;
}

/** Limits that bound the work one pickle can cause. */
export interface PickleLimits {
  /** Deepest MARK nesting accepted (default 1000). */
  maxMarkDepth: number;
  /** Longest integer in bytes (LONG1/LONG4; default 1024). */
  maxLongBytes: number;
}

const DEFAULT_LIMITS: PickleLimits = { maxMarkDepth: 1000, maxLongBytes: 1024 };

/** `INVALID_MODEL` for a malformed pickle, with the byte offset. */
export function badPickle(problem: string, offset?: number): WasmlearnError {
  const where = offset === undefined ? '' : ` at byte ${offset}`;
  return new WasmlearnError('INVALID_MODEL', `Invalid pickle${where}: ${problem}.`, { field: 'pickle', offset });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A pickle reader positioned in a byte buffer; `run()` executes one pickle up to STOP. */
export class PickleMachine {
  readonly bytes: Uint8Array;
  pos: number;
  #view: DataView;
  #hooks: PickleHooks;
  #limits: PickleLimits;

  constructor(bytes: Uint8Array, hooks: PickleHooks, limits: Partial<PickleLimits> = {}, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#hooks = hooks;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes left after the current position. */
  get remaining(): number { return this.bytes.length - this.pos; }

  /** Reads `n` raw bytes (a view, not a copy); throws when fewer remain. */
  read(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) {
      throw badPickle(`a length of ${n} bytes runs past the end of the data (${this.remaining} bytes left)`, this.pos);
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  #u8(): number { return this.read(1)[0]; }
  #u16(): number { const p = this.pos; this.read(2); return this.#view.getUint16(p, true); }
  #i32(): number { const p = this.pos; this.read(4); return this.#view.getInt32(p, true); }
  #u32(): number { const p = this.pos; this.read(4); return this.#view.getUint32(p, true); }
  #u64(): number {
    const p = this.pos;
    this.read(8);
    const lo = this.#view.getUint32(p, true);
    const hi = this.#view.getUint32(p + 4, true);
    if (hi > 0x1fffff) throw badPickle(`a declared length of more than 2^53 bytes`, p);
    return hi * 2 ** 32 + lo;
  }
  #line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw badPickle('a text argument has no terminating newline', this.pos);
    const s = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  #utf8(n: number): string {
    const at = this.pos;
    try { return utf8.decode(this.read(n)); } catch (e) {
      if (e instanceof WasmlearnError) throw e;
      throw badPickle('a string is not valid UTF-8', at);
    }
  }

  /** Runs the pickle from the current position to its STOP opcode and returns the result. */
  run(): unknown {
    const hooks = this.#hooks;
    const limits = this.#limits;
    let stack: unknown[] = [];
    const marks: unknown[][] = [];
    const memo = new Map<number, unknown>();
    const pop = (): unknown => {
      if (stack.length === 0) throw badPickle('stack underflow', this.pos - 1);
      return stack.pop();
    };
    const top = (): unknown => {
      if (stack.length === 0) throw badPickle('stack underflow', this.pos - 1);
      return stack[stack.length - 1];
    };
    const popMark = (): unknown[] => {
      const items = stack;
      const prev = marks.pop();
      if (prev === undefined) throw badPickle('MARK expected', this.pos - 1);
      stack = prev;
      return items;
    };
    const memoGet = (i: number): unknown => {
      if (!memo.has(i)) throw badPickle(`memo key ${i} is not defined`, this.pos);
      return memo.get(i);
    };
    const list = (v: unknown): unknown[] => {
      if (!Array.isArray(v) || Object.isFrozen(v)) throw badPickle('APPEND target is not a list', this.pos - 1);
      return v;
    };
    const dict = (v: unknown): PyDict => {
      if (!(v instanceof PyDict)) throw badPickle('SETITEM target is not a dict', this.pos - 1);
      return v;
    };
    const tuple = (items: unknown[]): unknown[] => Object.freeze(items) as unknown[];

    for (;;) {
      if (this.pos >= this.bytes.length) throw badPickle('the data ends before the STOP opcode (truncated file?)', this.pos);
      const at = this.pos;
      const op = this.bytes[this.pos++];
      switch (op) {
        case 0x80: { // PROTO
          const v = this.#u8();
          if (v > 5) throw badPickle(`unsupported pickle protocol ${v} (0 to 5 are supported)`, at);
          break;
        }
        case 0x95: this.#u64(); break; // FRAME: framing is only a hint
        case 0x2e: { // STOP
          if (marks.length > 0 || stack.length !== 1) throw badPickle('STOP with an unbalanced stack', at);
          return stack[0];
        }
        case 0x28: // MARK
          if (marks.length >= limits.maxMarkDepth) throw badPickle(`nesting deeper than ${limits.maxMarkDepth} levels`, at);
          marks.push(stack);
          stack = [];
          break;
        case 0x31: popMark(); break; // POP_MARK
        case 0x30: pop(); break; // POP
        case 0x32: stack.push(top()); break; // DUP

        case 0x70: memo.set(parseDecimal(this.#line(), at), top()); break; // PUT
        case 0x71: memo.set(this.#u8(), top()); break; // BINPUT
        case 0x72: memo.set(this.#u32(), top()); break; // LONG_BINPUT
        case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
        case 0x67: stack.push(memoGet(parseDecimal(this.#line(), at))); break; // GET
        case 0x68: stack.push(memoGet(this.#u8())); break; // BINGET
        case 0x6a: stack.push(memoGet(this.#u32())); break; // LONG_BINGET

        case 0x4e: stack.push(null); break; // NONE
        case 0x88: stack.push(true); break; // NEWTRUE
        case 0x89: stack.push(false); break; // NEWFALSE
        case 0x49: { // INT
          const s = this.#line();
          stack.push(s === '01' ? true : s === '00' ? false : intFromText(s, at));
          break;
        }
        case 0x4c: stack.push(intFromText(this.#line().replace(/L$/, ''), at)); break; // LONG
        case 0x46: { // FLOAT
          const s = this.#line();
          const v = Number(s);
          if (s.trim() === '' || (Number.isNaN(v) && !/^[-+]?nan$/i.test(s))) throw badPickle(`bad float ${JSON.stringify(s)}`, at);
          stack.push(v);
          break;
        }
        case 0x4a: stack.push(this.#i32()); break; // BININT
        case 0x4b: stack.push(this.#u8()); break; // BININT1
        case 0x4d: stack.push(this.#u16()); break; // BININT2
        case 0x8a: stack.push(this.#long(this.#u8(), at)); break; // LONG1
        case 0x8b: stack.push(this.#long(this.#i32(), at)); break; // LONG4
        case 0x47: { // BINFLOAT (big-endian)
          const p = this.pos;
          this.read(8);
          stack.push(this.#view.getFloat64(p, false));
          break;
        }

        case 0x53: { // STRING (protocol 0, quoted)
          const s = this.#line();
          if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== "'" && s[0] !== '"')) throw badPickle('unquoted STRING', at);
          stack.push(unescapePy(s.slice(1, -1)));
          break;
        }
        case 0x54: stack.push(latin1(this.read(this.#i32()))); break; // BINSTRING
        case 0x55: stack.push(latin1(this.read(this.#u8()))); break; // SHORT_BINSTRING
        case 0x56: stack.push(unescapeRawUnicode(this.#line())); break; // UNICODE
        case 0x58: stack.push(this.#utf8(this.#u32())); break; // BINUNICODE
        case 0x8c: stack.push(this.#utf8(this.#u8())); break; // SHORT_BINUNICODE
        case 0x8d: stack.push(this.#utf8(this.#u64())); break; // BINUNICODE8
        case 0x42: stack.push(new PyBytes(this.read(this.#i32()))); break; // BINBYTES
        case 0x43: stack.push(new PyBytes(this.read(this.#u8()))); break; // SHORT_BINBYTES
        case 0x8e: stack.push(new PyBytes(this.read(this.#u64()))); break; // BINBYTES8
        case 0x96: stack.push(new PyBytes(this.read(this.#u64()))); break; // BYTEARRAY8
        case 0x97: throw badPickle('out-of-band buffers (NEXT_BUFFER) are not supported; pickle with buffer_callback=None', at);
        case 0x98: top(); break; // READONLY_BUFFER

        case 0x29: stack.push(tuple([])); break; // EMPTY_TUPLE
        case 0x74: { const items = popMark(); stack.push(tuple(items)); break; } // TUPLE
        case 0x85: { const a = pop(); stack.push(tuple([a])); break; } // TUPLE1
        case 0x86: { const b = pop(); const a = pop(); stack.push(tuple([a, b])); break; } // TUPLE2
        case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(tuple([a, b, c])); break; } // TUPLE3

        case 0x5d: stack.push([]); break; // EMPTY_LIST
        case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
        case 0x61: { const v = pop(); list(top()).push(v); break; } // APPEND
        case 0x65: { // APPENDS
          const items = popMark();
          const l = list(top());
          for (const v of items) l.push(v);
          break;
        }

        case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
        case 0x64: { // DICT
          const items = popMark();
          if (items.length % 2) throw badPickle('odd number of items for DICT', at);
          const d = new PyDict();
          for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
          stack.push(d);
          break;
        }
        case 0x73: { const v = pop(); const k = pop(); dict(top()).set(k, v); break; } // SETITEM
        case 0x75: { // SETITEMS
          const items = popMark();
          if (items.length % 2) throw badPickle('odd number of items for SETITEMS', at);
          const d = dict(top());
          for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
          break;
        }

        case 0x8f: stack.push(new PySet([])); break; // EMPTY_SET
        case 0x90: { // ADDITEMS
          const items = popMark();
          const s = top();
          if (!(s instanceof PySet)) throw badPickle('ADDITEMS target is not a set', at);
          for (const v of items) s.items.push(v);
          break;
        }
        case 0x91: stack.push(new PySet(popMark())); break; // FROZENSET

        case 0x63: { // GLOBAL
          const module = this.#line();
          const name = this.#line();
          stack.push(hooks.global(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') throw badPickle('STACK_GLOBAL needs two strings', at);
          stack.push(hooks.global(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = pop();
          const func = pop();
          if (!Array.isArray(args)) throw badPickle('REDUCE arguments are not a tuple', at);
          stack.push(hooks.reduce(func, args));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = pop();
          const cls = pop();
          if (!Array.isArray(args)) throw badPickle('NEWOBJ arguments are not a tuple', at);
          stack.push(hooks.newobj(cls, args, null));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = pop();
          const args = pop();
          const cls = pop();
          if (!Array.isArray(args) || !(kwargs instanceof PyDict)) throw badPickle('bad NEWOBJ_EX arguments', at);
          stack.push(hooks.newobj(cls, args, kwargs));
          break;
        }
        case 0x6f: { // OBJ
          const items = popMark();
          if (items.length === 0) throw badPickle('OBJ without a class', at);
          stack.push(hooks.reduce(items[0], items.slice(1)));
          break;
        }
        case 0x69: { // INST
          const module = this.#line();
          const name = this.#line();
          const cls = hooks.global(module, name);
          stack.push(hooks.reduce(cls, popMark()));
          break;
        }
        case 0x62: { // BUILD
          const state = pop();
          const built = hooks.build(top(), state, this);
          if (built !== undefined) stack[stack.length - 1] = built;
          break;
        }
        case 0x50: case 0x51: // PERSID, BINPERSID
          throw new WasmlearnError('UNSAFE_PICKLE', 'Pickle uses persistent ids (PERSID), which are not allowed: they are resolved by application code.', { field: 'pickle' });
        case 0x82: case 0x83: case 0x84: // EXT1/2/4
          throw new WasmlearnError('UNSAFE_PICKLE', 'Pickle uses the copyreg extension registry (EXT opcodes), which is not allowed.', { field: 'pickle' });
        default:
          throw badPickle(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`, at);
      }
    }
  }

  /** Little-endian two's-complement integer of `n` bytes. */
  #long(n: number, at: number): number | bigint {
    if (n < 0 || n > this.#limits.maxLongBytes) throw badPickle(`an integer of ${n} bytes is larger than the ${this.#limits.maxLongBytes} allowed`, at);
    const b = this.read(n);
    if (n === 0) return 0;
    let hex = '';
    for (let i = n - 1; i >= 0; i--) hex += b[i].toString(16).padStart(2, '0');
    let v = BigInt('0x' + hex);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return Number.MIN_SAFE_INTEGER <= v && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function parseDecimal(s: string, at: number): number {
  if (!/^\d{1,10}$/.test(s)) throw badPickle(`bad memo index ${JSON.stringify(s)}`, at);
  return Number(s);
}

function intFromText(s: string, at: number): number | bigint {
  if (!/^[-+]?\d{1,400}$/.test(s)) throw badPickle(`bad integer ${JSON.stringify(s.slice(0, 40))}`, at);
  const v = BigInt(s);
  return Number.MIN_SAFE_INTEGER <= v && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}

/** Python string-escape subset used by protocol 0 STRING. */
function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' } as Record<string, string>)[e] ?? '\\' + e;
  });
}

/** raw-unicode-escape used by protocol 0 UNICODE. */
function unescapeRawUnicode(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u: string, U: string) => String.fromCodePoint(parseInt(u ?? U, 16)));
}
