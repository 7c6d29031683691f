/**
 * ONNX export of fitted pipelines.
 * @packageDocumentation
 */
export { toONNX, type ToOnnxOptions, type OnnxFunctionSpec, type OnnxFunctionOp } from './export.js';
export { decodeModel as decodeONNX } from './proto.js';
