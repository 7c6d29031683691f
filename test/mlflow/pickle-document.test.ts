import { describe, expect, it } from 'vitest';
import { pickleToDocument } from '../../src/mlflow/index.js';
import { unpickle, PyNdArray, elementsOf } from '../../src/mlflow/python-objects.js';
import { ATTRIBUTE_FIELDS, expected, find, ratio, read } from './helpers.js';

const HEART = ['heart_p2.pkl', 'heart_p4.pkl', 'heart_p5.pkl', 'heart_cloudpickle.pkl', 'heart.joblib'];
const MULTI = ['multiclass_p2.pkl', 'multiclass_p4.pkl', 'multiclass_p5.pkl', 'multiclass.joblib'];

function checkAttributes(file: string, key: string, options = {}) {
  const doc = pickleToDocument(read(file), options);
  for (const [path, attrs] of Object.entries(expected[key].attributes as Record<string, Record<string, unknown>>)) {
    const est = path === 'preprocessor' ? find(doc.estimator, 'preprocessor') : find(doc.estimator, path);
    for (const [attr, value] of Object.entries(attrs)) {
      if (attr === 'class') { expect(est.type, `${file} ${path}`).toBe(value === 'NewFeatureTransformer' ? 'FunctionTransformer' : value); continue; }
      const field = ATTRIBUTE_FIELDS[attr];
      expect(est.state![field], `${file} ${path}.${attr}`).toEqual(attr === 'intercept_' || attr === 'n_iter_' ? value : value);
    }
  }
  return doc;
}

describe('pickleToDocument: scikit-learn 1.2 pickles, attributes exactly as fitted', () => {
  it.each(HEART)('%s (heart pipeline)', (file) => {
    const doc = checkAttributes(file, 'heart', { functions: { ratio } });
    expect(doc.format).toBe('wasmlearn.model');
    expect(doc.formatVersion).toBe(1);
    expect(doc.producer).toMatchObject({ name: 'wasmlearn', sklearn: '1.2.1' });
    expect(doc.signature!.inputs.map((c) => c.name)).toEqual(expected.heart.input.columns);
    expect(doc.signature!.outputs).toEqual({ classes: [0, 1] });
    const pre = find(doc.estimator, 'preprocessor');
    expect((pre.state!.transformers as unknown[][]).map((t) => [t[0], t[2]])).toEqual([
      ['num', ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']],
      ['cat', ['cp', 'restecg', 'ca', 'thal', 'slope']],
      ['binary', ['sex', 'fbs', 'exang']],
      ['new', ['thalach', 'trestbps']],
    ]);
    const ft = find(doc.estimator, 'preprocessor/new');
    expect(ft.params).toEqual({ name: 'ratio', featureNamesOut: null, kwArgs: null });
    expect(ft.state).toEqual({ nFeaturesIn: 2, featureNamesIn: ['thalach', 'trestbps'], featureNamesOut: ['ratio'] });
    expect(find(doc.estimator, 'preprocessor/cat/imputer').params).toEqual({ strategy: 'constant', fillValue: 0, keepEmptyFeatures: false });
    expect(find(doc.estimator, 'classifier').params).toEqual({ penalty: 'l2', C: 1, fitIntercept: true, maxIter: 1000, tol: 1e-4, multiClass: 'auto' });
  });

  it.each(MULTI)('%s (multiclass, string categories and labels, remainder passthrough)', (file) => {
    const doc = checkAttributes(file, 'multiclass');
    expect(doc.signature!.outputs).toEqual({ classes: ['high', 'low', 'mid'] });
    const types = Object.fromEntries(doc.signature!.inputs.map((c) => [c.name, c.type]));
    expect(types).toEqual({ color: 'string', x1: 'double', size: 'string', x2: 'double', flag: 'string', x3: 'double' });
    const pre = find(doc.estimator, 'preprocessor');
    const entries = pre.state!.transformers as unknown[][];
    expect(entries.map((t) => t[0])).toEqual(['num', 'cat', 'flag', 'remainder']);
    expect(entries[3].slice(1)).toEqual(['passthrough', ['x3']]);
    expect(pre.params.remainder).toBe('passthrough');
    expect(find(doc.estimator, 'preprocessor/flag').params).toEqual({ categories: 'auto', handleUnknown: 'error', drop: 'if_binary' });
    expect(find(doc.estimator, 'preprocessor/flag').state!.dropIdx).toEqual([0]);
  });

  it('the same model gives the same document under every protocol and joblib', () => {
    const docs = HEART.map((f) => JSON.stringify(pickleToDocument(read(f), { functions: { ratio } })));
    for (const d of docs) expect(d).toBe(docs[0]);
  });

  it('a function pickled by reference binds under its qualified name too', () => {
    const doc = pickleToDocument(read('heart_p4.pkl'), { functions: { '__main__.ratio': ratio } });
    expect(find(doc.estimator, 'preprocessor/new').params.name).toBe('__main__.ratio');
  });

  it('an unregistered FunctionTransformer function is named in the error', () => {
    for (const f of ['heart_p4.pkl', 'heart_cloudpickle.pkl']) {
      expect(() => pickleToDocument(read(f))).toThrow(expect.objectContaining({
        code: 'NOT_REGISTERED', message: expect.stringContaining('register a JS implementation for __main__.ratio'),
      }));
    }
  });

  it('a custom class needs a registered JS implementation, then becomes a FunctionTransformer', () => {
    expect(() => pickleToDocument(read('custom_class.pkl'))).toThrow(expect.objectContaining({
      code: 'NOT_REGISTERED', message: expect.stringContaining('register a JS implementation for custom_class.NewFeatureTransformer'),
    }));
    const doc = checkAttributes('custom_class.pkl', 'custom', { classes: { 'custom_class.NewFeatureTransformer': ratio } });
    const ft = find(doc.estimator, 'preprocessor/new');
    expect(ft.type).toBe('FunctionTransformer');
    expect(ft.params.name).toBe('custom_class.NewFeatureTransformer');
    expect(ft.state).toEqual({ nFeaturesIn: 2, featureNamesIn: ['thalach', 'trestbps'], featureNamesOut: ['custom_class.NewFeatureTransformer'] });
  });

  it('decodes numpy arrays: float64, int64, object str, NaN', () => {
    const g = unpickle(read('multiclass_p4.pkl')) as { attr(k: string): unknown };
    const clf = (g.attr('steps') as unknown[][])[1][1] as { attr(k: string): unknown };
    const classes = clf.attr('classes_') as PyNdArray;
    expect(classes.dtype!.kind).toBe('O');
    expect(elementsOf(classes, 'classes_')).toEqual(['high', 'low', 'mid']);
    const coef = clf.attr('coef_') as PyNdArray;
    expect(coef.dtype!.str).toBe('f8');
    expect(coef.shape).toEqual([3, 11]);
  });

  it('refuses a compressed joblib file with the remedy', () => {
    expect(() => pickleToDocument(read('heart_compressed.joblib'))).toThrow(expect.objectContaining({
      code: 'UNSUPPORTED', message: expect.stringContaining('compress=0'),
    }));
  });
});
