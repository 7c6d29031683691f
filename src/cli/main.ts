/**
 * The `wasmlearn` command: `score`, `evaluate`, `drift`, `check`, `serve`.
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WasmlearnError } from '../core/errors.js';
import { ScoringError } from '../serve/errors.js';
import { VERSION } from '../serve/version.js';
import { parseCommandArgs, type CliIO, type Command } from './args.js';
import { checkCommand } from './check.js';
import { EXIT, UsageError } from './errors.js';
import { driftCommand, evaluateCommand } from './evaluate.js';
import { scoreCommand } from './score.js';
import { serveCommand } from './serve.js';
import { exportOnnxCommand } from './export-onnx.js';

const COMMANDS: readonly Command[] = [scoreCommand, evaluateCommand, driftCommand, checkCommand, serveCommand, exportOnnxCommand];

const HELP = `Usage: wasmlearn <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Run 'wasmlearn <command> --help' for the options of a command.

Exit codes:
  0  success
  1  a 'check' gate failed
  2  usage error (unknown command or option, missing or malformed value)
  3  input or model error (unreadable or invalid CSV, model that cannot be loaded or
     scored, drift reports not available in this build, port unavailable)

wasmlearn ${VERSION}`;

/**
 * Runs the CLI with the given arguments (without `node` and the script).
 *
 * @param argv - e.g. `['score', '--model', 'm.json', '--input', 'x.csv']`
 * @param io - where to write (default: process stdout / stderr)
 * @returns the exit code (see {@link EXIT})
 * @example
 * process.exitCode = await main(['--help']); // prints the commands => 0
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(HELP + '\n');
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(VERSION + '\n');
    return EXIT.OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`wasmlearn: unknown command '${name}'. The commands are ${COMMANDS.map((c) => c.name).join(', ')}.\n` +
      `Run 'wasmlearn --help' for usage.\n`);
    return EXIT.USAGE;
  }
  try {
    const values = parseCommandArgs(cmd, [...rest]);
    if (values.help) {
      io.stdout.write(cmd.usage + '\n');
      return EXIT.OK;
    }
    return await cmd.run(values, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`wasmlearn ${cmd.name}: ${e.message}\nRun 'wasmlearn ${cmd.name} --help' for usage.\n`);
      return EXIT.USAGE;
    }
    if (e instanceof WasmlearnError) {
      io.stderr.write(`wasmlearn ${cmd.name}: error ${e.code}: ${e.message}\n`);
      return EXIT.INPUT;
    }
    if (e instanceof ScoringError) {
      io.stderr.write(`wasmlearn ${cmd.name}: error ${e.errorCode}: ${e.message}\n`);
      return EXIT.INPUT;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string') {
      io.stderr.write(`wasmlearn ${cmd.name}: ${err.message}\n`);
      return EXIT.INPUT;
    }
    io.stderr.write(`wasmlearn ${cmd.name}: unexpected error: ${err?.stack ?? String(e)}\n`);
    return EXIT.INPUT;
  }
}

/** Runs `main` on `process.argv` and exits with its code (what `bin/wasmlearn.mjs` calls). */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // A finished command exits even if a library left a handle open; the server only
  // returns after it has closed.
  setTimeout(() => process.exit(code), 100).unref();
}

function invokedDirectly(): boolean {
  try {
    const entry = process.argv[1];
    return entry !== undefined && typeof import.meta.url === 'string' && import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) void run();
