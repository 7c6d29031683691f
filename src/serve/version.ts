import pkg from '../../package.json';

/** The wasmlearn package version, answered by `GET /version`. */
export const VERSION: string = (pkg as { version: string }).version;
