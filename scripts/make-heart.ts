/**
 * Writes synthetic heart-disease data (the Cleveland schema, see src/datasets/heart.ts) as
 * CSV to stdout or a file:
 *   npm run heart -- --rows 1000 --seed 42 --drift 0.5 --output heart.csv
 * Options: --rows (default 303), --seed (default 42), --drift 0..1 (default 0: moves age,
 * chol, thalach, oldpeak and the cp mix), --missing (share missing in ca and thal, default
 * 0.02), --no-target (leave out the target column), --output (default stdout).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { heartToCsv, makeHeart } from '../src/datasets/heart.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' }, seed: { type: 'string' }, drift: { type: 'string' }, missing: { type: 'string' },
    'no-target': { type: 'boolean' }, output: { type: 'string' }, help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log('usage: npm run heart -- [--rows N] [--seed S] [--drift 0..1] [--missing share] [--no-target] [--output file.csv]');
  process.exit(0);
}
const num = (v: string | undefined, name: string, d: number) => {
  if (v === undefined) return d;
  const x = Number(v);
  if (!Number.isFinite(x)) { console.error(`--${name} must be a number, got '${v}'`); process.exit(2); }
  return x;
};
const data = makeHeart({ nRows: num(values.rows, 'rows', 303), seed: num(values.seed, 'seed', 42), drift: num(values.drift, 'drift', 0), missingRate: num(values.missing, 'missing', 0.02) });
const csv = heartToCsv(data, !values['no-target']);
if (values.output) writeFileSync(values.output, csv); else process.stdout.write(csv);
