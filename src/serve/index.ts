/**
 * Serving: the MLflow-compatible scoring handler and server.
 * @packageDocumentation
 */
export { createScoringHandler, DEFAULT_MAX_BODY_BYTES, type ScoringHandler, type ScoringHandlerOptions } from './handler.js';
export { startServer, type StartServerOptions, type RunningServer } from './server.js';
export { ScoringError, type MlflowErrorCode } from './errors.js';
export type {
  ScoringModel, ScoringMonitor, ModelSignature, SignatureInput, PredictFn, ProbaMatrix, AccessLog, AccessLogEntry,
} from './types.js';
