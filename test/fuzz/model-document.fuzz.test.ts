/**
 * Fuzzing `loadModel` with mutated model documents: truncated JSON text, fields replaced by
 * values of the wrong type, arrays lengthened or shortened so lengths disagree, absurd sizes
 * (2^31 features or categories, sparse arrays declaring 1e9 elements), deep nesting. Every
 * case loads (and then scores to valid probabilities) or throws a `WasmlearnError`
 * (INVALID_MODEL, NOT_REGISTERED, …). The training profile (`Profile.fromJSON`), which the
 * server reads from the same document, is fuzzed the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, WasmlearnError, loadModel, Profile } from '../../src/index.js';
import { HEART_ROW, checkProba, fuzz, heartModel, typed } from './helpers.js';

type Json = unknown;

/** Every [container, key] in a JSON value, depth first. */
function slots(v: Json, out: [Record<string, Json> | Json[], string | number][] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); slots(x, out); });
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([v as Record<string, Json>, k]); slots((v as Record<string, Json>)[k], out); }
  return out;
}

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 1e308, -1e308, '', 'x', 'NaN',
    [], {}, [null], { $float: 'NaN' }, { $float: 'Infinity' }, { $float: 'bogus' }, { $float: 1 }, 'passthrough', 'drop',
    'Pipeline', 'LogisticRegression', 'SimpleImputer', { type: 'Pipeline', version: 1, params: { steps: [] }, state: null }),
  fc.jsonValue({ maxDepth: 3 }),
);

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'grow'; at: number }
  | { kind: 'shrink'; at: number }
  | { kind: 'repeat'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: replacement }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('grow' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('shrink' as const), at: fc.nat() }),
  // Long dense arrays (1e3 / 1e5 copies of the last element). Sparse arrays (holes) and 2^31
  // declared lengths are the known-bug cases below.
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.constantFrom(1e3, 1e5) }),
);

function mutate(doc: Json, ms: Mutation[]): Json {
  const d = structuredClone(doc);
  // Long arrays last: walking them here would cost more than the load.
  const ordered = [...ms.filter((m) => m.kind !== 'repeat'), ...ms.filter((m) => m.kind === 'repeat')];
  let longSlots: ReturnType<typeof slots> | null = null;
  for (const m of ordered) {
    if (m.kind === 'repeat') {
      longSlots ??= slots(d);
      const [parent, key] = longSlots[m.at % longSlots.length];
      const cur = (parent as Record<string | number, Json>)[key];
      if (Array.isArray(cur) && cur.length) { const last = cur[cur.length - 1]; for (let i = 0; i < m.length; i++) cur.push(last); }
      continue;
    }
    const all = slots(d);
    if (all.length === 0) break;
    const [parent, key] = all[m.at % all.length];
    const cur = (parent as Record<string | number, Json>)[key];
    switch (m.kind) {
      case 'replace': (parent as Record<string | number, Json>)[key] = structuredClone(m.value); break;
      case 'delete': if (Array.isArray(parent)) parent.splice(key as number, 1); else delete (parent as Record<string, Json>)[key]; break;
      case 'grow': if (Array.isArray(cur) && cur.length) cur.push(structuredClone(cur[cur.length - 1])); break;
      case 'shrink': if (Array.isArray(cur)) cur.pop(); break;
    }
  }
  return d;
}

/** A loaded model must score the reference row to valid probabilities or refuse it with a typed error. */
function loadAndScore(doc: Json) {
  return typed(() => {
    const m = loadModel(doc as Parameters<typeof loadModel>[0]);
    typed(() => checkProba(m.predictProba([HEART_ROW]), 1));
    typed(() => { const p = m.predictProbaRow(HEART_ROW); checkProba({ rows: 1, cols: p.length, data: p }); });
    return m;
  });
}

describe('loadModel on mutated documents', () => {
  it('the unmutated heart document loads and scores', () => {
    const { doc } = heartModel();
    expect(loadAndScore(JSON.parse(JSON.stringify(doc)))).toBe('ok');
  });

  it('truncated JSON text at every length class is INVALID_MODEL', () => {
    const text = JSON.stringify(heartModel().doc);
    fuzz('loadModel truncated text', fc.nat(text.length - 1), 300, 0x5eed11, (n) => {
      const r = typed(() => loadModel(text.slice(0, n)));
      expect(r).toBe('error');
      return r;
    });
  });

  it('1–4 mutations of the document (as an object): loads and scores, or a typed error', () => {
    const { doc } = heartModel();
    const base = JSON.parse(JSON.stringify(doc));
    fuzz('loadModel mutated object', fc.array(mutation, { minLength: 1, maxLength: 4 }), 1500, 0x5eed12, (ms) => loadAndScore(mutate(base, ms)));
  });

  it('1–4 mutations of the document (as JSON text): loads and scores, or a typed error', () => {
    const { doc } = heartModel();
    const base = JSON.parse(JSON.stringify(doc));
    fuzz('loadModel mutated text', fc.array(mutation, { minLength: 1, maxLength: 4 }), 800, 0x5eed13,
      (ms) => loadAndScore(JSON.stringify(mutate(base, ms))));
  });

  it('absurd declared sizes (nFeaturesIn 2^31, 1e9, 1e300, -1) are refused', () => {
    const base = JSON.parse(JSON.stringify(heartModel().doc));
    for (const n of [2 ** 31, 2 ** 31 - 1, 1e9, 1e300, -1, 1.5]) {
      const d = structuredClone(base);
      d.estimator.params.steps[0][1].state.nFeaturesIn = n;
      expect(typed(() => loadModel(d))).toBe('error');
    }
  });

  it('deep nesting: 10,000 nested pipelines (object and text), and a 100,000-deep array in metadata', () => {
    let inner: Json = { type: 'StandardScaler', version: 1, params: {}, state: null };
    for (let i = 0; i < 10_000; i++) inner = { type: 'Pipeline', version: 1, params: { steps: [['p', inner]] }, state: null };
    expect(typed(() => loadModel(inner as Parameters<typeof loadModel>[0]))).toBe('error');
    const deepText = '{"type":"Pipeline","version":1,"params":{"steps":[["p",'.repeat(10_000) + '{}' + ']]},"state":null}'.repeat(10_000);
    expect(typed(() => loadModel(deepText))).toBe('error');
    const text = JSON.stringify(heartModel().doc).replace('"metadata":{}', `"metadata":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(typed(() => loadModel(text))).toMatch(/ok|error/);
  });
});

/**
 * An array whose elements count their reads and stop the test after `budget` of them: a
 * loader that walks a declared length of 2^31 instead of refusing it is caught by the count,
 * with no clock involved.
 */
function countingSparse(length: number, budget = 100_000): unknown[] {
  let reads = 0;
  const target: unknown[] = [];
  target.length = length;
  return new Proxy(target, {
    get(t, k, r) {
      if (typeof k === 'string' && /^\d+$/.test(k) && ++reads > budget) throw new Error(`read ${budget} elements of a ${length}-long array`);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      if (typeof k === 'string' && /^\d+$/.test(k) && ++reads > budget) throw new Error(`read ${budget} elements of a ${length}-long array`);
      return Reflect.has(t, k);
    },
  });
}

describe('regressions: invalid structure is refused at load with INVALID_MODEL', () => {
  // A Pipeline whose intermediate step is not a transformer (a LogisticRegression) used to
  // load and then fail with a TypeError when scoring.
  it('a Pipeline whose middle step is a classifier is INVALID_MODEL at load, not a TypeError when scoring', () => {
    const lr = new LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1]).toJSON();
    const doc = { type: 'Pipeline', version: 1, params: { steps: [['a', lr], ['b', lr]] }, state: null };
    let err: unknown;
    try { loadModel(doc as Parameters<typeof loadModel>[0]).predictProba([[1]]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(WasmlearnError);
    expect((err as WasmlearnError).code).toBe('INVALID_MODEL');
  });

  // Array lengths are bounded before arrays are walked, so an object document holding a
  // sparse array of length 2^31 is refused after O(1) element reads.
  it('a categories array declaring 2^31 entries is refused without walking it', () => {
    const d = structuredClone(heartModel().doc) as unknown as { estimator: { params: { steps: [string, { state: { transformers: [string, { params: { steps: [string, { state: { categories: unknown[] } }][] } }][] } }][] } } };
    d.estimator.params.steps[0][1].state.transformers[1][1].params.steps[1][1].state.categories[0] = countingSparse(2 ** 31);
    expect(typed(() => loadModel(d as unknown as Parameters<typeof loadModel>[0]))).toBe('error');
  });
  it('featureNamesIn declaring 2^31 names is refused without walking it', () => {
    const d = structuredClone(heartModel().doc) as unknown as { estimator: { params: { steps: [string, { state: { featureNamesIn: unknown } }][] } } };
    d.estimator.params.steps[1][1].state.featureNamesIn = countingSparse(2 ** 31);
    expect(typed(() => loadModel(d as unknown as Parameters<typeof loadModel>[0]))).toBe('error');
  });
  // Holes in sparse arrays (which Array.prototype.map skips) are refused as missing entries.
  it('a Pipeline steps array with a hole is INVALID_MODEL', () => {
    const d = JSON.parse(JSON.stringify(heartModel().doc));
    d.estimator.params.steps.length = 3;
    expect(typed(() => loadModel(d).predictProba([HEART_ROW]))).toBe('error');
  });
  it('a profile columns array with a hole is a typed error', () => {
    const d = JSON.parse(JSON.stringify(Profile.fromFrame(heartModel().X).toJSON()));
    d.columns.length += 1;
    expect(typed(() => Profile.fromJSON(d))).toBe('error');
  });
  it('control: an explicit undefined in the same place is refused with a typed error', () => {
    const d = JSON.parse(JSON.stringify(heartModel().doc));
    d.estimator.params.steps.push(undefined);
    expect(typed(() => loadModel(d).predictProba([HEART_ROW]))).toBe('error');
  });
  it('control: a coef row declaring 2^31 values is refused after reading none of them', () => {
    const d = structuredClone(heartModel().doc) as unknown as { estimator: { params: { steps: [string, { state: { coef: unknown[] } }][] } } };
    d.estimator.params.steps[1][1].state.coef[0] = countingSparse(2 ** 31);
    expect(typed(() => loadModel(d as unknown as Parameters<typeof loadModel>[0]))).toBe('error');
  });
});

describe('Profile.fromJSON on mutated profiles', () => {
  it('1–3 mutations: a profile or INVALID_MODEL-style typed error', () => {
    const { X } = heartModel();
    const base = JSON.parse(JSON.stringify(Profile.fromFrame(X).toJSON()));
    fuzz('Profile.fromJSON mutated', fc.array(mutation, { minLength: 1, maxLength: 3 }), 800, 0x5eed14,
      (ms) => typed(() => Profile.fromJSON(mutate(base, ms) as Parameters<typeof Profile.fromJSON>[0])));
  });
});
