/**
 * The report's style sheet, shared by the HTML report and the browser preview. Plain
 * CSS, system fonts, no external assets; prints on white with charts kept whole.
 */

/** CSS of the report elements (`.wl-*` classes). */
export const REPORT_CSS = `
.wl-report{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1f24;max-width:1180px;margin:0 auto}
.wl-report h1{font-size:1.6rem;margin:.2em 0 .4em}
.wl-report h2{font-size:1.3rem;margin:1.2em 0 .4em}
.wl-report h3{font-size:1.05rem;margin:.8em 0 .3em}
.wl-report code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em;background:#f1f3f5;padding:0 .25em;border-radius:3px}
.wl-verdict{border:1px solid #d0d7de;border-radius:8px;padding:.6em 1.1em 1em;background:#fafbfc}
.wl-good{color:#1a7f37}.wl-bad{color:#b3261e}
.wl-meter{position:relative;height:14px;background:#e6e9ed;border-radius:7px;margin:.5em 0;max-width:520px;overflow:visible}
.wl-meter-fill{height:100%;background:#4c78a8;border-radius:7px}.wl-meter-fill.wl-over{background:#b3261e}
.wl-meter-mark{position:absolute;top:-4px;bottom:-4px;width:2px;background:#1b1f24}
.wl-warn{color:#8a4b00}
.wl-rows{color:#57606a;font-size:.92em}
.wl-reasons{margin:.2em 0 0;padding-left:1.3em}.wl-reasons li.wl-fired{color:#b3261e}
.wl-table{border-collapse:collapse;margin:.6em 0 1em;min-width:60%;font-variant-numeric:tabular-nums}
.wl-table caption{text-align:left;font-weight:600;padding:.3em 0}
.wl-hint{font-weight:400;color:#57606a;font-size:.88em}
.wl-table th,.wl-table td{border-bottom:1px solid #d0d7de;padding:.3em .7em;text-align:left}
.wl-table td.wl-num{text-align:right}
.wl-table thead th{border-bottom:2px solid #57606a;white-space:nowrap}
.wl-table thead button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
.wl-table thead button:focus-visible{outline:2px solid #0969da;outline-offset:2px}
.wl-table th[aria-sort=ascending] .wl-arrow::after{content:" \\25B2"}.wl-table th[aria-sort=descending] .wl-arrow::after{content:" \\25BC"}
.wl-table tr.wl-drifted{background:#fde8e7}.wl-table tr.wl-drifted th,.wl-table tr.wl-drifted td{color:#7d1a14}
.wl-table tr.wl-missing{color:#57606a;font-style:italic}
.wl-charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1em}
.wl-chart{margin:0;border:1px solid #d0d7de;border-radius:8px;padding:.4em .8em .7em;break-inside:avoid;page-break-inside:avoid;background:#fff}
.wl-chart.wl-drifted{border-color:#b3261e;box-shadow:inset 4px 0 0 #b3261e}
.wl-chart h3{margin:.2em 0}
.wl-badge{font-size:.75rem;font-weight:600;color:#fff;background:#b3261e;border-radius:4px;padding:.05em .4em;vertical-align:middle}
.wl-chart figcaption{font-size:.88em;color:#333}
.wl-svg{max-width:100%;height:auto;font:11px system-ui,"DejaVu Sans",sans-serif;fill:#1b1f24}
.wl-svg .grid{stroke:#e1e4e8}.wl-svg .axis{stroke:#57606a}
.wl-svg .ref{fill:#4c78a8;fill-opacity:.55;stroke:#4c78a8}.wl-svg .cur{fill:#e45756;fill-opacity:.85;stroke:#b3261e}
.wl-svg .ref-line{stroke:#4c78a8;stroke-width:2}.wl-svg .cur-line{stroke:#e45756;stroke-width:2}
.wl-svg .bar:hover .ref{fill-opacity:.8}
.wl-nochart{color:#57606a;font-style:italic}
@media print{
  .wl-report{max-width:none;font-size:11pt}
  .wl-hint{display:none}
  .wl-charts{display:block}
  .wl-chart{margin:0 0 10pt;box-shadow:none}
  .wl-table tr.wl-drifted{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .wl-svg .ref,.wl-svg .cur,.wl-meter-fill{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
}
`;
