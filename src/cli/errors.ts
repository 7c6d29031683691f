/**
 * CLI exit codes and the usage error.
 * @packageDocumentation
 */

/** Exit codes of `wasmlearn` (documented in `wasmlearn --help` and docs/serving.md). */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A `check` gate failed. */
  GATE_FAILED: 1,
  /** Bad command line: unknown subcommand or option, missing or malformed value. */
  USAGE: 2,
  /** Input or model error: unreadable file, invalid CSV, model that cannot be loaded or scored. */
  INPUT: 3,
} as const;

/** A command-line mistake; `main` prints it with the subcommand's usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
