// Cold start of the ESM build in a page: fetch + parse (import), compile (init), first
// drift report. Data generation is timed separately and not part of the cold start.
const out = document.getElementById('out');
try {
  const rows = Number(new URLSearchParams(location.search).get('rows') ?? 100000);
  const t0 = performance.now();
  const lib = await import('./dist/index.js');
  const t1 = performance.now();
  await lib.init();
  const t2 = performance.now();
  const ref = lib.makeHeart({ nRows: rows, seed: 1 });
  const cur = lib.makeHeart({ nRows: rows, seed: 2, drift: 1 });
  const t3 = performance.now();
  const report = lib.driftReport(ref.columns, cur.columns);
  const t4 = performance.now();
  const again = lib.driftReport(ref.columns, cur.columns);
  const t5 = performance.now();
  const result = {
    rows, version: lib.VERSION, ready: lib.isReady(),
    importMs: t1 - t0, initMs: t2 - t1, dataMs: t3 - t2, firstReportMs: t4 - t3, warmReportMs: t5 - t4,
    coldStartMs: (t2 - t0) + (t4 - t3),
    driftedColumns: report.dataset.driftedColumns, sameAgain: JSON.stringify(report) === JSON.stringify(again),
  };
  window.smoke = result;
  out.textContent = JSON.stringify(result, null, 2);
  document.body.dataset.state = 'done';
} catch (e) {
  window.smoke = { error: String(e && e.message ? e.message : e) };
  out.textContent = `Failed: ${window.smoke.error}`;
  document.body.dataset.state = 'error';
}
