/**
 * Command-line parsing for the subcommands, on `node:util` `parseArgs`.
 * @packageDocumentation
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

/** Option specs of one subcommand (`parseArgs` format). */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes: standard output and standard error. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** One subcommand. */
export interface Command {
  /** Name on the command line. */
  name: string;
  /** One line for `wasmlearn --help`. */
  summary: string;
  /** Full `--help` text. */
  usage: string;
  /** Options accepted (`--help` is added). */
  options: OptionSpecs;
  /** Runs with parsed options; resolves to the exit code. */
  run(values: Record<string, string | boolean | string[] | undefined>, io: CliIO): Promise<number>;
}

/**
 * Parses a subcommand's arguments strictly: unknown options and positionals are usage errors.
 * @throws UsageError - with the parser's message
 */
export function parseCommandArgs(cmd: Command, argv: string[]): Record<string, string | boolean | string[] | undefined> {
  try {
    const { values } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The string value of a required option. @throws UsageError when absent */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required.`);
  return v;
}

/** A positive integer option. @throws UsageError when malformed */
export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}; got '${String(v)}'.`);
  return n;
}

/** `--predict-fn`: `predict` or `predict_proba`. @throws UsageError otherwise */
export function predictFnOption(values: Record<string, unknown>): 'predict' | 'predict_proba' | undefined {
  const v = values['predict-fn'];
  if (v === undefined) return undefined;
  if (v !== 'predict' && v !== 'predict_proba') throw new UsageError(`--predict-fn must be 'predict' or 'predict_proba'; got '${String(v)}'.`);
  return v;
}
