#!/usr/bin/env node
// Serves the drift preview page (examples/drift-preview) and the built package (dist/)
// on 127.0.0.1, and prints the URL. Nothing else is served and nothing is fetched.
//
//   npm run preview                    # port 4173, or the next free one
//   node scripts/preview.mjs --port 0  # any free port
//   node scripts/preview.mjs --dist path/to/dist
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
if (args.includes('-h') || args.includes('--help')) {
  process.stdout.write('Usage: node scripts/preview.mjs [--port <n>] [--dist <dir>]\nServes the drift preview on http://127.0.0.1:<port>/ (default port 4173).\n');
  process.exit(0);
}

const page = join(root, 'examples', 'drift-preview');
const dist = resolve(opt('dist', process.env.WASMLEARN_DIST ?? join(root, 'dist')));
const requestedPort = Number(opt('port', process.env.PORT ?? '4173'));

if (!existsSync(join(dist, 'index.js'))) {
  process.stderr.write(`The package is not built: ${join(dist, 'index.js')} is missing. Run 'npm run build' first.\n`);
  process.exit(1);
}

// Papa Parse ships as UMD; module workers need ESM, so it is wrapped once at start-up.
const require = createRequire(import.meta.url);
const papaSource = readFileSync(require.resolve('papaparse/papaparse.min.js'), 'utf8');
const papaModule = `const module = { exports: {} }; const exports = module.exports;\n${papaSource}\nexport default module.exports;\n`;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.ts': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
};

/** The file under `base` that `rel` names, or null when it escapes `base` or does not exist. */
function inside(base, rel) {
  const p = normalize(join(base, rel));
  if (p !== base && !p.startsWith(base + sep)) return null;
  try { return statSync(p).isFile() ? p : null; } catch { return null; }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed\n');
  let path;
  try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname); } catch { return send(res, 400, 'text/plain', 'Bad request\n'); }
  if (path === '/') path = '/index.html';
  if (path === '/vendor/papaparse.mjs') return send(res, 200, TYPES['.mjs'], req.method === 'HEAD' ? '' : papaModule);
  const file = path.startsWith('/dist/') ? inside(dist, path.slice('/dist/'.length)) : inside(page, path.slice(1));
  if (!file) return send(res, 404, 'text/plain', `Not found: ${path}\n`);
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', req.method === 'HEAD' ? '' : readFileSync(file));
});

function listen(port, tries) {
  server.once('error', (e) => {
    if (e.code === 'EADDRINUSE' && tries > 0 && port !== 0) listen(port + 1, tries - 1);
    else { process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${e.message}\n`); process.exit(1); }
  });
  server.listen(port, '127.0.0.1', () => {
    const { port: p } = server.address();
    process.stdout.write(`Drift preview: http://127.0.0.1:${p}/\n`);
  });
}
listen(requestedPort, 10);

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
