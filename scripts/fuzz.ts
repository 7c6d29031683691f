/**
 * The long fuzz run: the fuzz suites (test/fuzz) and the WebAssembly memory checks at
 * WASMLEARN_FUZZ_SCALE times their CI run counts (default 50; 10,000 drift reports), then a
 * summary of every property (runs, seed, ok, typed errors, slowest case) for docs/reliability.md.
 *
 *   npm run fuzz                    # scale 50, the suites' fixed seeds
 *   npm run fuzz -- 200             # scale 200
 *   WASMLEARN_FUZZ_SEED=123 npm run fuzz   # another seed for every property
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const scale = process.argv[2] ?? process.env.WASMLEARN_FUZZ_SCALE ?? '50';
const env = { ...process.env, WASMLEARN_FUZZ_SCALE: scale };
const args = ['run', 'test/fuzz', 'test/reliability/wasm-memory.test.ts', '--testTimeout', '3600000', '--hookTimeout', '600000'];
const started = Date.now();
const child = spawn(join(root, 'node_modules/.bin/vitest'), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
const lines: string[] = [];
let buf = '';
child.stdout.on('data', (d: Buffer) => {
  process.stdout.write(d);
  buf += d.toString();
  const parts = buf.split('\n');
  buf = parts.pop() ?? '';
  for (const l of parts) if (/^fuzz |cases skipped|known .*bug/.test(l.replace(/\x1b\[[0-9;]*m/g, ''))) lines.push(l.replace(/\x1b\[[0-9;]*m/g, ''));
});
child.on('close', (code) => {
  console.log(`\n== fuzz summary (scale ${scale}, ${Math.round((Date.now() - started) / 1000)} s, node ${process.version}) ==`);
  for (const l of lines) console.log(l);
  process.exit(code ?? 1);
});
