// Drift preview page: file inputs and drop zones, the worker, and the rendering (the same
// functions as the HTML report, so both show the same numbers).
import { init, renderReportBody, renderDriftReport, enableSorting, REPORT_CSS } from './dist/index.js';

const $ = (id) => document.getElementById(id);
const els = {
  reference: $('reference'), current: $('current'), refName: $('ref-name'), curName: $('cur-name'),
  refDrop: $('ref-drop'), curDrop: $('cur-drop'), target: $('target'), prediction: $('prediction'),
  cancel: $('cancel'), status: $('status'), progressWrap: $('progress-wrap'), progress: $('progress'),
  progressLabel: $('progress-label'), error: $('error'), warnings: $('warnings'), actions: $('actions'),
  result: $('result'), downloadHtml: $('download-html'), downloadJson: $('download-json'),
};

const style = document.createElement('style');
style.textContent = REPORT_CSS;
document.head.appendChild(style);

const files = { reference: null, current: null };
let worker = null;
let busy = false;
let runId = 0;
let last = null; // { report, distributions, info, names }
let started = 0;

/** Latest result, for scripting the page (report JSON, distributions, timings). */
window.driftPreview = { get result() { return last; } };

function setState(s) { document.body.dataset.state = s; }

function showError(message) {
  els.error.textContent = message;
  els.error.hidden = false;
}

function clearMessages() {
  els.error.hidden = true;
  els.error.textContent = '';
  els.warnings.replaceChildren();
}

function showWarnings(list) {
  els.warnings.replaceChildren(...list.map((w) => {
    const p = document.createElement('p');
    p.className = 'warning';
    p.textContent = w;
    return p;
  }));
}

function newWorker() {
  if (worker) worker.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = onMessage;
  worker.onerror = (e) => {
    e.preventDefault();
    finish('error');
    showError(`The background worker failed: ${e.message || 'unknown error'}. Reload the page if this persists.`);
    worker = null;
  };
}

const PHASE = { reference: 'Reading the reference', current: 'Reading the current data' };

function onMessage(e) {
  const m = e.data;
  if (m.id !== runId) return; // a message of a cancelled run
  if (m.type === 'progress') {
    const half = m.phase === 'reference' ? 0 : 0.5;
    els.progress.value = half + 0.5 * (m.total ? m.loaded / m.total : 1);
    els.progressLabel.textContent = `${PHASE[m.phase]}: ${(m.loaded / 1048576).toFixed(1)} of ${(m.total / 1048576).toFixed(1)} MB`;
  } else if (m.type === 'result') {
    showResult(m);
    finish('done');
  } else if (m.type === 'error') {
    finish('error');
    showError(m.message);
  }
}

function fillSelect(select, names, value) {
  select.replaceChildren(new Option('(none)', ''), ...names.map((n) => new Option(n, n)));
  select.value = value ?? '';
  select.disabled = false;
}

function showResult(m) {
  const { report, distributions, info } = m;
  last = { report, distributions, info, elapsedMs: performance.now() - started };
  fillSelect(els.target, info.columns, info.target);
  fillSelect(els.prediction, info.columns, info.prediction);
  showWarnings(info.warnings);
  const subtitle = `${files.reference.name} (reference) vs ${files.current.name} (current)`;
  els.result.innerHTML = renderReportBody(report, { distributions, title: 'Drift report', subtitle });
  enableSorting(els.result);
  els.actions.hidden = false;
  els.status.textContent = `Done in ${(last.elapsedMs / 1000).toFixed(2)} s: ${report.dataset.nDrifted} of ${report.dataset.nColumns} columns drifted.`;
}

function finish(state) {
  busy = false;
  els.cancel.disabled = true;
  els.progressWrap.hidden = true;
  if (state === 'error') els.status.textContent = 'Could not compute the report.';
  setState(state);
}

function start(message) {
  runId++;
  busy = true;
  started = performance.now();
  clearMessages();
  els.cancel.disabled = false;
  els.progress.value = 0;
  els.progressLabel.textContent = 'Starting…';
  els.progressWrap.hidden = false;
  els.status.textContent = message;
  setState('working');
}

function run() {
  if (!files.reference || !files.current) {
    els.status.textContent = files.reference ? 'Now choose the current file.' : 'Now choose the reference file.';
    return;
  }
  if (busy || !worker) newWorker(); // cancel a running job: its worker is replaced
  last = null;
  els.result.replaceChildren();
  els.actions.hidden = true;
  start('Computing…');
  worker.postMessage({
    type: 'run', id: runId, reference: files.reference, current: files.current,
    target: els.target.disabled ? undefined : els.target.value, prediction: els.prediction.disabled ? undefined : els.prediction.value,
  });
}

function recompute() {
  if (!last || busy || !worker) return;
  start('Recomputing…');
  worker.postMessage({ type: 'recompute', id: runId, target: els.target.value, prediction: els.prediction.value });
}

function pick(role, file) {
  files[role] = file ?? null;
  (role === 'reference' ? els.refName : els.curName).textContent = file ? `${file.name} (${(file.size / 1024).toFixed(1)} KB)` : 'No file chosen';
  if (role === 'reference') { // new columns: defaults again
    els.target.disabled = true;
    els.prediction.disabled = true;
  }
  run();
}

for (const [role, input, drop] of [['reference', els.reference, els.refDrop], ['current', els.current, els.curDrop]]) {
  input.addEventListener('change', () => pick(role, input.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) pick(role, f);
  });
}
els.target.addEventListener('change', recompute);
els.prediction.addEventListener('change', recompute);
els.cancel.addEventListener('click', () => {
  if (!busy) return;
  worker.terminate();
  worker = null;
  runId++;
  finish('idle');
  els.status.textContent = 'Cancelled.';
});

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
els.downloadHtml.addEventListener('click', () => {
  if (!last) return;
  const subtitle = `${files.reference.name} (reference) vs ${files.current.name} (current)`;
  download('drift-report.html', 'text/html', renderDriftReport(last.report, { distributions: last.distributions, subtitle, generatedAt: new Date().toISOString() }));
});
els.downloadJson.addEventListener('click', () => {
  if (last) download('drift-report.json', 'application/json', JSON.stringify(last.report, null, 2));
});

// The page itself renders without WebAssembly; init() here warms the module for scripts
// that call estimators on the main thread and reports a broken build early.
init().catch((e) => showError(`wasmlearn could not start: ${e.message}`));
newWorker();
