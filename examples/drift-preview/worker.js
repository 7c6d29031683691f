// Drift preview worker: parses the files (streaming, in chunks) and computes the profiles
// and the drift report with wasmlearn, off the page's main thread.
//
// Messages in:  { type: 'run', id, reference: File, current: File, target?, prediction? }
//               { type: 'recompute', id, target, prediction }
// Messages out: { type: 'progress', id, phase, loaded, total }
//               { type: 'result', id, report, distributions, info }
//               { type: 'error', id, message, code }
import Papa from './vendor/papaparse.mjs';
import { init, Frame, Profile, driftReport, profileDistributions, WasmlearnError } from './dist/index.js';
import { PARSE_CONFIG, InputError, ReferenceTable, CurrentTable, headerNames, checkLooksLikeCsv } from './columns.js';

const CHUNK_BYTES = 1 << 21; // 2 MiB of text per chunk: a progress update every ~50k rows
let state = null; // { reference: Profile, current: Profile, info }

const ready = init();

function post(msg) { self.postMessage(msg); }

const describe = (role, file) => `The ${role} file "${file.name}"`;

/**
 * Streams a CSV file through Papa Parse, calling onHeader once and onRecords per chunk.
 * Resolves with the number of data rows.
 */
function streamCsv(file, role, id, onHeader, onRecords) {
  const what = describe(role, file);
  if (file.size === 0) return Promise.reject(new InputError(`${what} is empty (0 bytes). Choose a CSV file with a header row and data rows.`, 'EMPTY_INPUT'));
  return new Promise((resolve, reject) => {
    let header = null;
    let failed = false;
    let first = true;
    Papa.parse(file, {
      ...PARSE_CONFIG,
      chunkSize: CHUNK_BYTES,
      beforeFirstChunk(text) {
        try { checkLooksLikeCsv(text, what); } catch (e) { failed = true; reject(e); return ''; }
        return undefined;
      },
      chunk(results, parser) {
        if (failed) { parser.abort(); return; }
        try {
          const bad = results.errors.find((e) => e.type === 'Quotes');
          if (bad) throw new InputError(`${what} is not valid CSV: ${bad.message} (near data row ${bad.row ?? '?'}).`);
          let records = results.data;
          if (first) {
            first = false;
            if (records.length === 0) throw new InputError(`${what} has no header row.`, 'EMPTY_INPUT');
            header = headerNames(records[0], what);
            onHeader(header);
            records = records.slice(1);
          }
          if (records.length) onRecords(records);
          post({ type: 'progress', id, phase: role, loaded: Math.min(results.meta.cursor, file.size), total: file.size });
        } catch (e) {
          failed = true;
          parser.abort();
          reject(e);
        }
      },
      complete() {
        if (failed) return;
        if (header === null) reject(new InputError(`${what} is empty: it has no header row.`, 'EMPTY_INPUT'));
        else resolve();
      },
      error(err) {
        failed = true;
        reject(new InputError(`${what} could not be read: ${err && err.message ? err.message : err}.`));
      },
    });
  });
}

async function readReference(file, id) {
  const what = describe('reference', file);
  const head = await file.slice(0, 64).text();
  if (/\.json$/i.test(file.name) || head.trimStart().startsWith('{')) {
    if (file.size === 0) throw new InputError(`${what} is empty (0 bytes).`, 'EMPTY_INPUT');
    let doc;
    try { doc = JSON.parse(await file.text()); } catch (e) {
      throw new InputError(`${what} is not valid JSON (${e.message}). A reference profile is the JSON written by Profile.toJSON().`);
    }
    post({ type: 'progress', id, phase: 'reference', loaded: file.size, total: file.size });
    try {
      return { profile: Profile.fromJSON(doc), kind: 'profile' };
    } catch (e) {
      throw new InputError(`${what} is not a usable wasmlearn profile: ${e.message}`, e.code ?? 'INVALID_MODEL');
    }
  }
  let table = null;
  await streamCsv(file, 'reference', id, (names) => { table = new ReferenceTable(names, what); }, (records) => table.add(records));
  const { columns, nRows } = table.finish();
  return { profile: Profile.fromFrame(new Frame(columns, nRows)), kind: 'csv' };
}

async function readCurrent(file, reference, id) {
  const what = describe('current', file);
  let table = null;
  const current = reference.emptyLike();
  const schema = reference.columns.map((c) => ({ name: c.name, type: c.type, categories: c.type === 'categorical' ? [...c.categories] : undefined }));
  await streamCsv(file, 'current', id, (names) => { table = new CurrentTable(names, schema, what); }, (records) => {
    current.update(new Frame(table.chunk(records), records.length));
  });
  if (table.nRows === 0) throw new InputError(`${what} has a header but no data rows.`, 'EMPTY_INPUT');
  return { profile: current, missing: table.missing, extra: table.extra };
}

function compute(id, target, prediction) {
  const { reference, current, info } = state;
  const names = reference.names;
  const tgt = target && names.includes(target) ? target : undefined;
  const pred = prediction && names.includes(prediction) && prediction !== tgt ? prediction : undefined;
  const t0 = performance.now();
  const report = driftReport(reference, current, { target: tgt, prediction: pred, retraining: true });
  const distributions = profileDistributions(reference, current);
  post({ type: 'result', id, report, distributions, info: { ...info, target: tgt ?? null, prediction: pred ?? null, reportMs: performance.now() - t0 } });
}

async function run(msg) {
  const { id } = msg;
  state = null;
  const t0 = performance.now();
  await ready;
  const ref = await readReference(msg.reference, id);
  const t1 = performance.now();
  const cur = await readCurrent(msg.current, ref.profile, id);
  const t2 = performance.now();
  const names = ref.profile.names;
  const warnings = [];
  if (cur.missing.length) warnings.push(`The current file lacks ${cur.missing.length} reference column(s): ${cur.missing.join(', ')}. They are reported as missing.`);
  if (cur.extra.length) warnings.push(`The current file has ${cur.extra.length} column(s) the reference does not: ${cur.extra.join(', ')}. They are ignored.`);
  state = {
    reference: ref.profile, current: cur.profile,
    info: {
      columns: names, referenceKind: ref.kind, referenceRows: ref.profile.nRows, currentRows: cur.profile.nRows, warnings,
      referenceMs: t1 - t0, currentMs: t2 - t1,
    },
  };
  const target = msg.target ?? (names.includes('target') ? 'target' : undefined);
  const prediction = msg.prediction ?? (names.includes('prediction') ? 'prediction' : undefined);
  compute(id, target, prediction);
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'run') await run(msg);
    else if (msg.type === 'recompute') {
      if (!state) throw new InputError('Choose a reference and a current file first.');
      compute(msg.id, msg.target, msg.prediction);
    }
  } catch (err) {
    const known = err instanceof InputError || err instanceof WasmlearnError;
    post({ type: 'error', id: msg.id, code: err.code ?? 'INTERNAL', message: known ? err.message : `Unexpected error: ${err && err.message ? err.message : err}` });
  }
};
