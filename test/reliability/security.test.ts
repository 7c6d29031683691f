/**
 * Security review as tests: known pickle exploits against the allow-list (reduce to
 * os.system, builtins.eval, subprocess.Popen, __import__ via STACK_GLOBAL, getattr chains,
 * copyreg._reconstructor abuse, numpy.load-style file access), and the server's defaults
 * (binds 127.0.0.1, body and header limits, no CORS unless asked, no stack traces unless debug).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { pickleToDocument } from '../../src/mlflow/index.js';
import { WasmlearnError } from '../../src/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { FakeModel } from '../serve/fake-model.js';
import { P, call, pickle, sklearnObject } from '../fuzz/pickle-asm.js';

const PWNED = '/tmp/wasmlearn-security-pwned';
function refused(bytes: Uint8Array): WasmlearnError {
  rmSync(PWNED, { force: true });
  let err: unknown;
  try { pickleToDocument(bytes); } catch (e) { err = e; }
  expect(existsSync(PWNED)).toBe(false);
  expect(err).toBeInstanceOf(WasmlearnError);
  return err as WasmlearnError;
}
const touch = [P.str(`touch ${PWNED}`)];

describe('pickle exploits are refused and nothing runs', () => {
  it.each([
    ['os.system', call('os', 'system', touch)],
    ['posix.system', call('posix', 'system', touch)],
    ['nt.system', call('nt', 'system', touch)],
    ['builtins.eval', call('builtins', 'eval', [P.str(`__import__('os').system('touch ${PWNED}')`)])],
    ['builtins.exec', call('builtins', 'exec', [P.str('1')])],
    ['__builtin__.eval (protocol 0 name)', call('__builtin__', 'eval', [P.str('1')])],
    ['builtins.compile', call('builtins', 'compile', [P.str('1')], [P.str('x')], [P.str('eval')])],
    ['builtins.open (file access)', call('builtins', 'open', [P.str('/etc/passwd')])],
    ['subprocess.Popen', call('subprocess', 'Popen', [P.emptyList(), P.str('touch'), P.raw(0x61), P.str(PWNED), P.raw(0x61)])],
    ['subprocess.run', call('subprocess', 'run', touch)],
    ['importlib.import_module', call('importlib', 'import_module', [P.str('os')])],
    ['runpy._run_code', call('runpy', '_run_code', [P.str('1')], [P.emptyDict()])],
    ['pickle.loads (nested)', call('pickle', 'loads', [P.bytes([0x2e])])],
    ['ctypes.CDLL', call('ctypes', 'CDLL', [P.str('libc.so.6')])],
    ['shutil.rmtree', call('shutil', 'rmtree', [P.str('/tmp/x')])],
  ])('%s', (_, ops) => {
    const err = refused(pickle(P.proto(2), ...ops, P.stop()));
    expect(err.code).toBe('UNSAFE_PICKLE');
  });

  it('__import__ through STACK_GLOBAL, then a getattr chain to system', () => {
    const err = refused(pickle(P.proto(4), P.str('builtins'), P.str('__import__'), P.stackGlobal(), P.mark(), P.str('os'), P.tuple(), P.reduce(),
      P.stop()));
    expect(err.code).toBe('UNSAFE_PICKLE');
    expect(err.message).toContain('builtins.__import__');
    const getattr = refused(pickle(P.proto(4), P.str('builtins'), P.str('getattr'), P.stackGlobal(), P.stop()));
    expect(getattr.code).toBe('UNSAFE_PICKLE');
    const opAttr = refused(pickle(P.proto(2), ...call('operator', 'attrgetter', [P.str('system')]), P.stop()));
    expect(opAttr.code).toBe('UNSAFE_PICKLE');
  });

  it('harmless-looking names may be named but never called: numpy.load, numpy.fromfile, pandas.read_pickle, joblib.load', () => {
    for (const [m, n] of [['numpy', 'load'], ['numpy', 'fromfile'], ['numpy.lib.npyio', 'load'], ['pandas', 'read_pickle'], ['joblib', 'load'], ['torch', 'load'], ['numpy.testing._private.utils', 'runstring']]) {
      const err = refused(pickle(P.proto(2), ...call(m, n, [P.str('/etc/passwd')]), P.stop()));
      expect(err.code, `${m}.${n}`).toBe('UNSAFE_PICKLE');
      expect(err.message).toContain(`${m}.${n} is not an allowed class`);
    }
  });

  it('copyreg._reconstructor only makes inert shells: a dangerous class cannot be named, a foreign one is never constructed', () => {
    const named = refused(pickle(P.proto(2), ...call('copyreg', '_reconstructor', [P.global('subprocess', 'Popen')], [P.global('builtins', 'object')], [P.none()]), P.stop()));
    expect(named.code).toBe('UNSAFE_PICKLE');
    // a foreign class as the model: refused by the document builder, nothing constructed
    const shell = refused(pickle(P.proto(2), ...sklearnObject('evil', 'Payload', [['cmd', touch]]), P.stop()));
    expect(['NOT_REGISTERED', 'UNSUPPORTED', 'INVALID_MODEL', 'UNSAFE_PICKLE']).toContain(shell.code);
    // an allow-listed sklearn class whose state carries a reduce to os.system: refused at the GLOBAL
    const nested = refused(pickle(P.proto(2), ...sklearnObject('sklearn.preprocessing._data', 'StandardScaler', [['x', call('os', 'system', touch)]]), P.stop()));
    expect(nested.code).toBe('UNSAFE_PICKLE');
  });

  it('__proto__ / constructor keys in pickled dicts do not reach JS prototypes', () => {
    const bytes = pickle(P.proto(2), ...sklearnObject('sklearn.preprocessing._data', 'StandardScaler', [['__proto__', [P.emptyDict(), P.str('polluted'), P.true(), P.raw(0x73)]], ['constructor', [P.none()]]]), P.stop());
    try { pickleToDocument(bytes); } catch { /* refused is fine */ }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('server defaults', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });
  const start = async (o: Partial<Parameters<typeof startServer>[0]> = {}) => { const s = await startServer({ model: new FakeModel(), port: 0, ...o }); servers.push(s); return s; };
  const rawRequest = (port: number, text: string) => new Promise<string>((resolve) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(text));
    let out = '';
    sock.on('data', (d) => { out += d; });
    sock.on('close', () => resolve(out));
    sock.on('error', () => resolve(out));
    sock.setTimeout(5000, () => sock.destroy());
  });

  it('binds 127.0.0.1 unless told otherwise', async () => {
    const s = await start();
    expect((s.server.address() as { address: string }).address).toBe('127.0.0.1');
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('a header block over 16 KB gets 431; a body over the limit gets 413, before it is read', async () => {
    const s = await start({ maxBodyBytes: 1000 });
    const big = await rawRequest(s.port, `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431/);
    const body = await rawRequest(s.port, 'POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{');
    expect(body).toMatch(/^HTTP\/1\.1 413/);
    expect(body).toContain('REQUEST_LIMIT_EXCEEDED');
  });

  it('no CORS headers unless asked, not even on a preflight', async () => {
    const s = await start();
    const pre = await fetch(`${s.url}/invocations`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${s.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json', Origin: 'https://evil.example' }, body: '{"dataframe_records":[{"age":50,"sex":"male","cp":1}]}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('no stack traces or internal messages in replies without debug, for typed and untyped model failures', async () => {
    const throwing = {
      signature_: null, classes_: [0, 1],
      predict(): never { throw new Error('secret internal detail at /srv/app.js'); },
      predictProba(): never { throw new WasmlearnError('INTERNAL', 'kernel state'); },
    };
    const a = await start({ model: throwing });
    const b = await start({ model: throwing, predictFn: 'predict_proba' });
    for (const s of [a, b]) {
      const res = await fetch(`${s.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"dataframe_records":[{"x":1}]}' });
      const text = await res.text();
      const j = JSON.parse(text);
      expect(j.stack_trace).toBeUndefined();
      expect(text).not.toContain('secret internal detail');
      expect(text).not.toMatch(/\bat \S+:\d+:\d+/);
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });
});
