/** Shared fixtures and lookups for the pickle / MLflow tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EstimatorDocument } from '../../src/core/estimator.js';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'pickles');
export const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
export const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

/** The heart pipeline's `ratio` feature, as the JS FunctionTransformer binding. */
export const ratio = ({ thalach, trestbps }: Record<string, Float64Array>): Float64Array =>
  thalach.map((v, i) => v / trestbps[i]);

type Step = EstimatorDocument | string;

/** The estimator document at a scikit-learn path such as `preprocessor/num/imputer`. */
export function find(doc: EstimatorDocument, path: string): EstimatorDocument {
  let cur: Step = doc;
  for (const name of path.split('/')) {
    const d = cur as EstimatorDocument;
    if (d.type === 'Pipeline') cur = (d.params.steps as [string, Step][]).find(([n]) => n === name)![1];
    else if (d.type === 'ColumnTransformer') cur = (d.state!.transformers as [string, Step, unknown][]).find(([n]) => n === name)![1];
    else throw new Error(`no child ${name} in ${d.type}`);
    if (cur === undefined) throw new Error(`no step ${name}`);
  }
  return cur as EstimatorDocument;
}

/** scikit-learn attribute → document state field. */
export const ATTRIBUTE_FIELDS: Record<string, string> = {
  mean_: 'mean', var_: 'var', scale_: 'scale', n_samples_seen_: 'nSamplesSeen', statistics_: 'statistics',
  categories_: 'categories', drop_idx_: 'dropIdx', coef_: 'coef', intercept_: 'intercept', classes_: 'classes',
  n_iter_: 'nIter', n_features_in_: 'nFeaturesIn', feature_names_in_: 'featureNamesIn',
};

export const decode = (v: unknown): number => (typeof v === 'object' && v !== null ? Number((v as { $float: string }).$float) : v as number);
