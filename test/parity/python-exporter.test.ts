/**
 * Runs the Python exporter's own unit tests (python/tests, plain unittest) with Debian's
 * scikit-learn, so CI checks both sides of the model format. Skipped without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PY = '/usr/bin/python3';
const root = join(__dirname, '..', '..');
const ok = existsSync(PY) && spawnSync(PY, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' }).status === 0;
if (!ok) console.warn('python exporter tests skipped: /usr/bin/python3 with scikit-learn and pandas not found');

describe.skipIf(!ok)('python exporter (python/tests)', () => {
  it('unittest discover passes', () => {
    const r = spawnSync(PY, ['-m', 'unittest', 'discover', '-s', 'python/tests'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    if (r.status !== 0) console.error(r.stdout, r.stderr);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\nOK\b/);
  }, 300_000);
});
