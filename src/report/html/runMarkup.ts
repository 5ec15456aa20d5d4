import { ERROR_CLASSES, REPORT_LEGEND, type ReportModel, type RunReport } from '../model.js';
import { html, type SafeHtml } from './safeHtml.js';
import { formatCount, formatMs, formatPercent, formatSeconds } from '../format.js';

/** How many individual failures the table lists; the charts always plot all of them. */
const FAILURE_ROWS = 200;

const VERDICT_TEXT: Record<RunReport['summary']['verdict'], string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' };

export function verdictBadge(verdict: RunReport['summary']['verdict']): SafeHtml {
  return html`<span class="badge ${verdict}">${VERDICT_TEXT[verdict]}</span>`;
}

function classChips(byClass: RunReport['summary']['failuresByClass']): SafeHtml {
  const chips = ERROR_CLASSES.filter((c) => (byClass[c] ?? 0) > 0).map(
    (c, i) => html`${i > 0 ? ' ' : ''}<span class="chip cls-${c}"><i></i>${c} <b>${formatCount(byClass[c]!)}</b></span>`,
  );
  return chips.length === 0 ? html`<span class="muted">none</span>` : html`${chips}`;
}

/** All runs side by side in one table: the comparison the default lab's four runs exist for. */
export function overviewMarkup(model: ReportModel): SafeHtml {
  const rows = model.runs.map((r, i) => {
    const s = r.summary;
    return html`${i > 0 ? '\n' : ''}<tr data-select-run="${i}">
<td><a href="#run-${i}" class="run-link">${r.run}</a><div class="muted small">${r.description ?? ''}</div></td>
<td>${verdictBadge(s.verdict)}</td>
<td class="num">${formatCount(s.requests)}</td>
<td class="num ${s.failures > 0 ? 'bad' : 'good'}">${formatCount(s.failures)}</td>
<td>${classChips(s.failuresByClass)}</td>
<td class="num">${formatPercent(s.successPercent)}</td>
<td class="num">${s.latencyMs ? formatMs(s.latencyMs.p99) : '–'}</td>
<td class="num">${s.rollout ? html`${formatSeconds(s.rollout.durationMs)}${s.rollout.completed ? '' : html` <span class="bad">(incomplete)</span>`}` : '–'}</td>
</tr>`;
  });
  return html`<table class="overview">
<thead><tr><th>Run</th><th>Verdict</th><th class="num">Requests</th><th class="num">Failed</th><th>Failure classes</th><th class="num">Succeeded</th><th class="num">p99 latency</th><th class="num">Rollout</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function configRows(config: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(config);
  if (entries.length === 0) return html`<p class="muted">The run did not record its configuration.</p>`;
  // A config value may be undefined when a producer spreads optional settings; show it like null.
  const value = (v: unknown) =>
    typeof v === 'string' ? html`${v}` : v === null || v === undefined ? html`<span class="muted">none</span>` : html`<code>${JSON.stringify(v)}</code>`;
  return html`<table class="kv">${entries.map(([k, v]) => html`<tr><th>${k}</th><td>${value(v)}</td></tr>`)}</table>`;
}

function auditMarkup(audit: RunReport['audit']): SafeHtml {
  if (audit.length === 0) return html`<p class="muted">No findings for this configuration.</p>`;
  return html`<ul class="findings">${audit.map(
    (f) =>
      html`<li class="sev-${f.severity}"><span class="sev">${f.severity}</span> <code>${f.rule}</code>${f.container ? html` <span class="muted">(${f.container})</span>` : ''}<div>${f.message}</div></li>`,
  )}</ul>`;
}

function failuresMarkup(r: RunReport): SafeHtml {
  if (r.failures.length === 0) return html`<p class="muted">No request failed.</p>`;
  const groups = r.failureGroups.map(
    (g) =>
      html`<tr><td><span class="chip cls-${g.error}"><i></i>${g.error}</span></td><td>${g.pod === null ? html`<span class="muted">no pod</span>` : g.pod}</td><td class="num">${formatCount(g.count)}</td><td class="num">${formatSeconds(g.first)} – ${formatSeconds(g.last)}</td></tr>`,
  );
  const listed = r.failures.slice(0, FAILURE_ROWS);
  const rows = listed.map(
    (f) =>
      html`<tr><td class="num">${formatSeconds(f.t)}</td><td><span class="chip cls-${f.error}"><i></i>${f.error}</span></td><td>${[f.status, f.code].filter((x) => x !== undefined).join(' ')}</td><td>${f.pod === null ? html`<span class="muted">–</span>` : f.pod}</td><td class="num">${formatMs(f.latencyMs)}</td></tr>`,
  );
  const more =
    r.failures.length > listed.length
      ? html`<p class="muted">…and ${formatCount(r.failures.length - listed.length)} more (all are plotted on the pod lanes).</p>`
      : '';
  return html`<table class="groups"><thead><tr><th>Class</th><th>Pod</th><th class="num">Count</th><th class="num">Between</th></tr></thead><tbody>${groups}</tbody></table>
<details class="failure-list"><summary>Every failure (${formatCount(r.failures.length)})</summary>
<table><thead><tr><th class="num">Sent at</th><th>Class</th><th>Status / code</th><th>Pod</th><th class="num">Took</th></tr></thead><tbody>${rows}</tbody></table>${more}</details>`;
}

/** "6.0 / 252 ms" rather than "6.0 ms / 252 ms" when both share a unit, so the pair fits a tile. */
function formatPair(a: number, b: number): string {
  const [x, y] = [formatMs(a), formatMs(b)];
  const unit = / (m?s)$/;
  const ux = unit.exec(x)?.[1];
  return ux !== undefined && ux === unit.exec(y)?.[1] ? `${x.replace(unit, '')} / ${y}` : `${x} / ${y}`;
}

function kpi(label: string, value: SafeHtml | string, extra: SafeHtml | string = ''): SafeHtml {
  return html`<div class="kpi"><div class="kpi-label">${label}</div><div class="kpi-value">${value}</div>${extra ? html`<div class="kpi-extra">${extra}</div>` : ''}</div>`;
}

/** The lane legend: every lane state the model names, then the markers the page draws. */
function lanesLegend(): SafeHtml {
  const states = REPORT_LEGEND.laneStates.map((s) => html`<span class="st ${s.state}"><i></i>${s.legend}</span>`);
  return html`<div class="legend lanes-legend">
    ${states}
    <span class="mk signal">▼ stop signal</span><span class="mk kill">✕ SIGKILL</span><span class="mk endpoint">┃ endpoint removed (per consumer)</span><span class="mk failure">● failed request</span>
  </div>`;
}

export function runMarkup(r: RunReport, index: number): SafeHtml {
  const s = r.summary;
  const reasons =
    s.reasons.length > 0
      ? html`<ul class="reasons">${s.reasons.map((x) => html`<li>${x}</li>`)}</ul>`
      : html`<p class="reasons">Every request succeeded while the rollout ran.</p>`;
  const why =
    r.explanations.length === 0
      ? ''
      : html`<div class="why"><div class="why-title">What the timeline shows</div><ul>${r.explanations.map((x) => html`<li class="cause-${x.cause}">${x.message}</li>`)}</ul></div>`;
  const lag = s.maxLoadLagMs === null ? '' : `generator lag ≤ ${formatMs(s.maxLoadLagMs)}`;
  const notes =
    r.notes.length === 0 ? '' : html`<ul class="notes">${r.notes.map((n) => html`<li class="${n.level}">${formatSeconds(n.t)} ${n.message}</li>`)}</ul>`;
  return html`<section class="run" id="run-${index}" data-run="${index}">
<div class="verdict ${s.verdict}">
  ${verdictBadge(s.verdict)}
  <div><h2>${r.run}</h2>${r.description ? html`<div class="desc">${r.description}</div>` : ''}${reasons}${why}</div>
</div>
<div class="kpis">
  ${kpi('Requests', formatCount(s.requests), `${s.meanRps.toFixed(0)} req/s offered${lag ? `, ${lag}` : ''}`)}
  ${kpi('Failed', html`<span class="${s.failures > 0 ? 'bad' : 'good'}">${formatCount(s.failures)}</span>`, classChips(s.failuresByClass))}
  ${kpi('Succeeded', formatPercent(s.successPercent))}
  ${kpi('Latency p50 / p99', s.latencyMs ? formatPair(s.latencyMs.p50, s.latencyMs.p99) : '–', s.latencyMs ? `max ${formatMs(s.latencyMs.max)}` : '')}
  ${kpi('Rollout', s.rollout ? formatSeconds(s.rollout.durationMs) : '–', s.rollout ? (s.rollout.completed ? 'completed' : html`<span class="bad">did not complete</span>`) : '')}
  ${kpi('Pods', String(s.pods), `${r.source} run${r.startedAt ? `, ${r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}` : ''}`)}
</div>
<div class="charts">
  <h3>Requests per second <span class="muted small">by intended send time, ${r.series.bucketMs} ms buckets; failures stacked on top by class</span></h3>
  <div class="chart" data-chart="rps" role="img" aria-label="Requests per second over time, succeeded and failed by class; the numbers are in the tables below"></div>
  <h3>Latency of successful requests <span class="muted small">from intended send time, log scale</span></h3>
  <div class="chart" data-chart="latency" role="img" aria-label="Latency percentiles of successful requests over time"></div>
  <h3>Pods <span class="muted small">hover a lane, marker or failure for details; drag on any chart to zoom, double-click to reset</span></h3>
  ${lanesLegend()}
  <div class="chart" data-chart="lanes" role="img" aria-label="One lane per pod: lifecycle states, stop signal, SIGKILL, endpoint removals and failed requests over time; the failures are listed below"></div>
</div>
<div class="details">
  <div><h3>Failures</h3>${failuresMarkup(r)}</div>
  <div><h3>Configuration</h3>${configRows(r.config)}<h3>Audit findings</h3>${auditMarkup(r.audit)}</div>
</div>
<h3>Reproduce</h3>
${r.command ? html`<pre class="command"><code>${r.command}</code></pre>` : html`<p class="muted">The run did not record its command.</p>`}
${notes}
</section>`;
}
