import { ERROR_CLASSES } from '../model.js';

/** The report's stylesheet. Colours for classes and states are shared with the page script via CSS variables. */
export const PAGE_STYLE = `
:root {
  --fg: #1d2330; --muted: #6b7385; --line: #e3e6ec; --bg: #f6f7f9; --card: #fff;
  --pass: #2b8a3e; --fail: #c92a2a; --inconclusive: #b7791f;
  --ok: #37b24d;
  --cls-refused: #e03131; --cls-reset: #862e9c; --cls-socket-closed: #d6336c; --cls-timeout: #5f3dc4; --cls-http-5xx: #f76707; --cls-other: #868e96;
  --st-pending: #d0d7e2; --st-ready: #8ce99a; --st-unready: #ffe066; --st-terminating: #ffc078; --st-signalled: #ff922b; --st-killed: #fa5252; --st-exited: #ced4da;
  --mk-signal: #d9480f; --mk-kill: #c92a2a;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 18px 28px 8px; }
header.top h1 { margin: 0; font-size: 20px; letter-spacing: .2px; }
header.top h1 span { color: var(--muted); font-weight: 400; }
main { padding: 0 28px 40px; max-width: 1500px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 12px 0; }
.muted { color: var(--muted); } .small { font-size: 12px; font-weight: 400; }
.good { color: var(--pass); } .bad { color: var(--fail); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font-family: var(--mono); font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
table.overview tbody tr { cursor: pointer; }
table.overview tbody tr:hover, table.overview tbody tr.selected { background: #eef3ff; }
a.run-link { color: inherit; font-weight: 600; text-decoration: none; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-weight: 700; font-size: 12px; letter-spacing: .6px; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.inconclusive { background: var(--inconclusive); }
.chip { display: inline-flex; align-items: center; gap: 4px; font-size: 12px; white-space: nowrap; margin-right: 6px; }
.chip i { width: 9px; height: 9px; border-radius: 50%; display: inline-block; }
${ERROR_CLASSES.map((c) => `.cls-${c} i { background: var(--cls-${c}); }`).join('\n')}
nav.tabs { display: flex; gap: 4px; margin: 18px 0 0; border-bottom: 2px solid var(--line); flex-wrap: wrap; }
nav.tabs button { font: inherit; border: 0; background: transparent; padding: 8px 16px; cursor: pointer; border-bottom: 3px solid transparent; margin-bottom: -2px; color: var(--muted); display: flex; gap: 8px; align-items: center; }
nav.tabs button.active { color: var(--fg); border-bottom-color: #3b5bdb; font-weight: 600; }
nav.tabs button .dot { width: 9px; height: 9px; border-radius: 50%; }
.dot.pass { background: var(--pass); } .dot.fail { background: var(--fail); } .dot.inconclusive { background: var(--inconclusive); }
section.run { display: none; }
section.run.active, body.printing section.run { display: block; }
body.printing nav.tabs { display: none; }
.verdict { display: flex; gap: 16px; align-items: flex-start; padding: 16px 18px; margin: 14px 0 10px; border-radius: 10px; background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--muted); }
.verdict.pass { border-left-color: var(--pass); } .verdict.fail { border-left-color: var(--fail); } .verdict.inconclusive { border-left-color: var(--inconclusive); }
.verdict .badge { font-size: 16px; padding: 5px 14px; margin-top: 2px; }
.verdict h2 { margin: 0; font-size: 20px; font-family: var(--mono); }
.verdict .desc { color: var(--muted); }
.verdict .reasons { margin: 6px 0 0; padding-left: 18px; }
.verdict p.reasons { padding-left: 0; }
.verdict .why { margin-top: 8px; }
.verdict .why-title { font-size: 12px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: .5px; }
.verdict .why ul { margin: 4px 0 0; padding-left: 18px; }
.verdict .why li { margin: 2px 0; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 10px; margin-bottom: 10px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.kpi-label { font-size: 12px; color: var(--muted); }
.kpi-value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-extra { font-size: 12px; color: var(--muted); }
.charts { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 6px 14px 12px; }
.charts h3 { margin: 12px 0 2px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.chart { position: relative; width: 100%; }
.legend.lanes-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin: 2px 0 4px; color: var(--muted); }
.legend .st i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.12); }
${['pending', 'ready', 'unready', 'terminating', 'signalled', 'killed', 'exited'].map((s) => `.legend .st.${s} i { background: var(--st-${s}); }`).join('\n')}
.legend .mk.signal { color: var(--mk-signal); } .legend .mk.kill { color: var(--mk-kill); } .legend .mk.endpoint { color: #1c7ed6; } .legend .mk.failure { color: var(--cls-refused); }
.details { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 4px 18px 12px; margin-top: 12px; }
.details table.kv th { width: 38%; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: 6px 0; border-bottom: 1px solid var(--line); }
ul.findings .sev { font-size: 11px; text-transform: uppercase; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: #e9ecef; }
ul.findings .sev-error .sev { background: #ffe3e3; color: var(--fail); }
ul.findings .sev-warning .sev { background: #fff3bf; color: #8f5d00; }
details.failure-list { margin-top: 8px; } details.failure-list summary { cursor: pointer; color: #3b5bdb; }
pre.command { background: #1d2330; color: #e9ecef; padding: 10px 14px; border-radius: 8px; overflow-x: auto; }
ul.notes { font-size: 12px; color: var(--muted); padding-left: 18px; } ul.notes li.warn { color: #8f5d00; }
.tooltip { position: absolute; z-index: 10; pointer-events: none; background: #1d2330; color: #f1f3f5; font-size: 12px; line-height: 1.4; padding: 7px 10px; border-radius: 6px; max-width: 380px; box-shadow: 0 4px 14px rgba(0,0,0,.25); display: none; }
.tooltip b { color: #fff; } .tooltip .k { color: #adb5bd; }
.tooltip .sw { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; }
.u-legend .u-marker { border-radius: 2px; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 24px; }
noscript p { color: var(--fail); }
@media (max-width: 900px) { .details { grid-template-columns: 1fr; } }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  nav.tabs, .tooltip, details.failure-list summary { display: none !important; }
  details.failure-list { display: none; }
  section.run { display: block !important; break-before: page; }
  .charts, .details, .verdict, .kpi, .card { break-inside: avoid; border-color: #ccc; }
  main { max-width: none; padding: 0; } header.top { padding: 0 0 8px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
