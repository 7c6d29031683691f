/** The model document (docs/model-format.md). */
import type { EstimatorDocument } from '../core/estimator.js';
import type { Signature } from '../compose/pipeline.js';

export const MODEL_FORMAT = 'wasmlearn.model';
export const MODEL_FORMAT_VERSION = 1;
/** Package version written into documents. */
export const VERSION = '0.1.0';

export interface ModelDocument {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  producer: { name: string; version: string; [k: string]: unknown };
  signature: (Signature & { outputs?: { classes?: unknown[] } }) | null;
  estimator: EstimatorDocument;
  profile?: unknown;
  metadata?: Record<string, string>;
}
