import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pickleToDocument } from '../../src/mlflow/index.js';
import { read } from './helpers.js';

const PWNED = '/tmp/wasmlearn-pwned';
const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));

/** Runs with a time bound: every refusal must be immediate, never a hang. */
function refuse(data: Uint8Array, code: string, message: string | RegExp) {
  rmSync(PWNED, { force: true });
  const t0 = performance.now();
  let err: unknown;
  try { pickleToDocument(data, { functions: { log1p: () => new Float64Array(0) } }); } catch (e) { err = e; }
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(err).toMatchObject({ name: 'WasmlearnError', code });
  expect((err as Error).message).toMatch(message);
  expect(existsSync(PWNED)).toBe(false);
}

describe('malicious pickles are refused, nothing is executed, work is bounded', () => {
  it.each([
    ['os_system.pkl', 'os.system'],
    ['posix_system.pkl', 'posix.system'],
    ['builtins_eval.pkl', 'builtins.eval'],
    ['builtins_exec.pkl', '__builtin__.exec'],
    ['subprocess_popen.pkl', 'subprocess.Popen'],
    ['import_stack_global.pkl', 'builtins.__import__'],
    ['pipeline_reduce_system.pkl', 'posix.system'],
  ])('%s → UNSAFE_PICKLE naming %s', (file, global) => {
    refuse(read(`malicious/${file}`), 'UNSAFE_PICKLE', `${global} is not an allowed class`);
  });

  it.each([
    ['deep_marks.pkl', /nesting deeper than 1000 levels/],
    ['deep_nesting.pkl', /expected a scikit-learn estimator, got list/],
    ['huge_unicode8.pkl', /more than 2\^53 bytes/],
    ['huge_binbytes.pkl', /runs past the end of the data/],
    ['huge_long4.pkl', /integer of 2147483647 bytes/],
    ['random_bytes.pkl', /Invalid pickle/],
    ['memo_doubling.pkl', /more than 100000 parts|nested deeper than 32 levels/],
    ['cycle.pkl', /expected a \(name, estimator\) pair/],
  ])('%s → INVALID_MODEL', (file, message) => {
    refuse(read(`malicious/${file}`), 'INVALID_MODEL', message);
  });

  it('hand-written reduces to dangerous callables are refused at the GLOBAL', () => {
    refuse(bytes("cos\nsystem\n(S'touch /tmp/wasmlearn-pwned'\ntR."), 'UNSAFE_PICKLE', 'os.system is not an allowed class');
    refuse(bytes("cbuiltins\ngetattr\n."), 'UNSAFE_PICKLE', 'builtins.getattr');
    refuse(bytes("csubprocess\ncheck_output\n."), 'UNSAFE_PICKLE', 'subprocess.check_output');
    refuse(bytes([0x80, 4, 0x8c, 2], 'nt', [0x8c, 6], 'system', [0x93, 0x2e]), 'UNSAFE_PICKLE', 'nt.system');
  });

  it('calling a name that is not on the allow-list is refused even if it looks harmless', () => {
    refuse(bytes("cnumpy.testing._private.utils\nrunstring\n(S'x'\ntR."), 'UNSAFE_PICKLE', 'numpy.testing._private.utils.runstring is not an allowed class');
    refuse(bytes("cmymodule\nhelper\n)R."), 'UNSAFE_PICKLE', 'mymodule.helper is not an allowed class');
  });

  it('persistent ids and extension codes are refused', () => {
    refuse(bytes('P1\n.'), 'UNSAFE_PICKLE', /persistent ids/);
    refuse(bytes([0x80, 2, 0x82, 1, 0x2e]), 'UNSAFE_PICKLE', /extension registry/);
  });

  it('truncated pickles: every prefix of a real model is refused cleanly', () => {
    const full = read('heart_p4.pkl');
    for (let n = 0; n < full.length; n += 97) {
      let err: unknown;
      try { pickleToDocument(full.subarray(0, n), { functions: { ratio: () => new Float64Array(0) } }); } catch (e) { err = e; }
      expect(err, `prefix ${n}`).toMatchObject({ code: 'INVALID_MODEL' });
    }
  });

  it('a stream with no STOP, an unknown protocol, and bad UTF-8 are refused', () => {
    refuse(bytes([0x80, 2, 0x5d]), 'INVALID_MODEL', /before the STOP/);
    refuse(bytes([0x80, 9, 0x4e, 0x2e]), 'INVALID_MODEL', /protocol 9/);
    refuse(bytes([0x80, 4, 0x8c, 2, 0xff, 0xfe, 0x2e]), 'INVALID_MODEL', /UTF-8/);
  });

  it('negative and big integers are decoded exactly (LONG1 two\'s complement)', async () => {
    const { unpickle } = await import('../../src/mlflow/python-objects.js');
    // pickle.dumps([-2**40, 2**70], protocol=2)
    const v = unpickle(bytes([0x80, 2, 0x5d, 0x71, 0, 0x28, 0x8a, 6, 0, 0, 0, 0, 0, 0xff, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x65, 0x2e]));
    expect(v).toEqual([-(2 ** 40), 2n ** 70n]);
  });
});
