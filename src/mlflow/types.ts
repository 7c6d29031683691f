/**
 * The wasmlearn model document (docs/model-format.md, format version 1) as produced from
 * scikit-learn pickles and MLflow model directories.
 */

/** The model document (docs/model-format.md); defined with `loadModel`. */
export type { ModelDocument } from '../model/document.js';

/** Column types of a signature; MLflow's column-based signature maps one-to-one. */
export type ColumnType = 'double' | 'long' | 'string' | 'boolean';

/** One input column of a model. */
export interface ColumnSpec {
  /** Column name. */
  name: string;
  /** Column type. */
  type: ColumnType;
}

/** Options of `pickleToDocument`. */
export interface PickleOptions {
  /**
   * JS implementations by name, for FunctionTransformers and custom classes. Only the keys
   * matter to `pickleToDocument` (a function is looked up under its qualified name, e.g.
   * `__main__.ratio`, then its bare name `ratio`); `loadPickle` passes them on to `loadModel`.
   */
  functions?: Record<string, unknown>;
  /**
   * Custom (non-scikit-learn) transformer classes by qualified name
   * (`custom_class.NewFeatureTransformer`). A listed class becomes a FunctionTransformer
   * document under that name; when the value is a function, `loadPickle` binds it.
   */
  classes?: Record<string, unknown>;
}
