import { ERROR_CLASSES, type ReportModel, type RunReport } from '../model.js';
import { escapeHtml as h } from './escape.js';
import { formatCount, formatMs, formatPercent, formatSeconds } from '../format.js';

/** How many individual failures the table lists; the charts always plot all of them. */
const FAILURE_ROWS = 200;

const VERDICT_TEXT: Record<RunReport['summary']['verdict'], string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' };

export function verdictBadge(verdict: RunReport['summary']['verdict']): string {
  return `<span class="badge ${verdict}">${VERDICT_TEXT[verdict]}</span>`;
}

function classChips(byClass: RunReport['summary']['failuresByClass']): string {
  const chips = ERROR_CLASSES.filter((c) => (byClass[c] ?? 0) > 0).map(
    (c) => `<span class="chip cls-${c}"><i></i>${h(c)} <b>${formatCount(byClass[c]!)}</b></span>`,
  );
  return chips.length === 0 ? '<span class="muted">none</span>' : chips.join(' ');
}

/** All runs side by side in one table: the comparison the default lab's four runs exist for. */
export function overviewMarkup(model: ReportModel): string {
  const rows = model.runs
    .map((r, i) => {
      const s = r.summary;
      return `<tr data-select-run="${i}">
<td><a href="#run-${i}" class="run-link">${h(r.run)}</a><div class="muted small">${h(r.description ?? '')}</div></td>
<td>${verdictBadge(s.verdict)}</td>
<td class="num">${formatCount(s.requests)}</td>
<td class="num ${s.failures > 0 ? 'bad' : 'good'}">${formatCount(s.failures)}</td>
<td>${classChips(s.failuresByClass)}</td>
<td class="num">${formatPercent(s.successPercent)}</td>
<td class="num">${s.latencyMs ? formatMs(s.latencyMs.p99) : '–'}</td>
<td class="num">${s.rollout ? `${formatSeconds(s.rollout.durationMs)}${s.rollout.completed ? '' : ' <span class="bad">(incomplete)</span>'}` : '–'}</td>
</tr>`;
    })
    .join('\n');
  return `<table class="overview">
<thead><tr><th>Run</th><th>Verdict</th><th class="num">Requests</th><th class="num">Failed</th><th>Failure classes</th><th class="num">Succeeded</th><th class="num">p99 latency</th><th class="num">Rollout</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function configRows(config: Record<string, unknown>): string {
  const entries = Object.entries(config);
  if (entries.length === 0) return '<p class="muted">The run did not record its configuration.</p>';
  // A config value may be undefined when a producer spreads optional settings; show it like null.
  const value = (v: unknown) =>
    typeof v === 'string' ? h(v) : v === null || v === undefined ? '<span class="muted">none</span>' : `<code>${h(JSON.stringify(v))}</code>`;
  return `<table class="kv">${entries.map(([k, v]) => `<tr><th>${h(k)}</th><td>${value(v)}</td></tr>`).join('')}</table>`;
}

function auditMarkup(audit: RunReport['audit']): string {
  if (audit.length === 0) return '<p class="muted">No findings for this configuration.</p>';
  return `<ul class="findings">${audit
    .map(
      (f) =>
        `<li class="sev-${h(f.severity)}"><span class="sev">${h(f.severity)}</span> <code>${h(f.rule)}</code>${f.container ? ` <span class="muted">(${h(f.container)})</span>` : ''}<div>${h(f.message)}</div></li>`,
    )
    .join('')}</ul>`;
}

function failuresMarkup(r: RunReport): string {
  if (r.failures.length === 0) return '<p class="muted">No request failed.</p>';
  const groups = r.failureGroups
    .map(
      (g) =>
        `<tr><td><span class="chip cls-${g.error}"><i></i>${h(g.error)}</span></td><td>${g.pod === null ? '<span class="muted">no pod</span>' : h(g.pod)}</td><td class="num">${formatCount(g.count)}</td><td class="num">${formatSeconds(g.first)} – ${formatSeconds(g.last)}</td></tr>`,
    )
    .join('');
  const listed = r.failures.slice(0, FAILURE_ROWS);
  const rows = listed
    .map(
      (f) =>
        `<tr><td class="num">${formatSeconds(f.t)}</td><td><span class="chip cls-${f.error}"><i></i>${h(f.error)}</span></td><td>${h([f.status, f.code].filter((x) => x !== undefined).join(' '))}</td><td>${f.pod === null ? '<span class="muted">–</span>' : h(f.pod)}</td><td class="num">${formatMs(f.latencyMs)}</td></tr>`,
    )
    .join('');
  const more =
    r.failures.length > listed.length
      ? `<p class="muted">…and ${formatCount(r.failures.length - listed.length)} more (all are plotted on the pod lanes).</p>`
      : '';
  return `<table class="groups"><thead><tr><th>Class</th><th>Pod</th><th class="num">Count</th><th class="num">Between</th></tr></thead><tbody>${groups}</tbody></table>
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

function kpi(label: string, value: string, extra = ''): string {
  return `<div class="kpi"><div class="kpi-label">${label}</div><div class="kpi-value">${value}</div>${extra ? `<div class="kpi-extra">${extra}</div>` : ''}</div>`;
}

export function runMarkup(r: RunReport, index: number): string {
  const s = r.summary;
  const reasons =
    s.reasons.length > 0
      ? `<ul class="reasons">${s.reasons.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`
      : '<p class="reasons">Every request succeeded while the rollout ran.</p>';
  const why =
    r.explanations.length === 0
      ? ''
      : `<div class="why"><div class="why-title">What the timeline shows</div><ul>${r.explanations.map((x) => `<li class="cause-${x.cause}">${h(x.message)}</li>`).join('')}</ul></div>`;
  const lag = s.maxLoadLagMs === null ? '' : `generator lag ≤ ${formatMs(s.maxLoadLagMs)}`;
  const notes =
    r.notes.length === 0 ? '' : `<ul class="notes">${r.notes.map((n) => `<li class="${n.level}">${formatSeconds(n.t)} ${h(n.message)}</li>`).join('')}</ul>`;
  return `<section class="run" id="run-${index}" data-run="${index}">
<div class="verdict ${s.verdict}">
  ${verdictBadge(s.verdict)}
  <div><h2>${h(r.run)}</h2>${r.description ? `<div class="desc">${h(r.description)}</div>` : ''}${reasons}${why}</div>
</div>
<div class="kpis">
  ${kpi('Requests', formatCount(s.requests), `${s.meanRps.toFixed(0)} req/s offered${lag ? `, ${lag}` : ''}`)}
  ${kpi('Failed', `<span class="${s.failures > 0 ? 'bad' : 'good'}">${formatCount(s.failures)}</span>`, classChips(s.failuresByClass))}
  ${kpi('Succeeded', formatPercent(s.successPercent))}
  ${kpi('Latency p50 / p99', s.latencyMs ? formatPair(s.latencyMs.p50, s.latencyMs.p99) : '–', s.latencyMs ? `max ${formatMs(s.latencyMs.max)}` : '')}
  ${kpi('Rollout', s.rollout ? formatSeconds(s.rollout.durationMs) : '–', s.rollout ? (s.rollout.completed ? 'completed' : '<span class="bad">did not complete</span>') : '')}
  ${kpi('Pods', String(s.pods), `${r.source} run${r.startedAt ? `, ${h(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}` : ''}`)}
</div>
<div class="charts">
  <h3>Requests per second <span class="muted small">by intended send time, ${r.series.bucketMs} ms buckets; failures stacked on top by class</span></h3>
  <div class="chart" data-chart="rps" role="img" aria-label="Requests per second over time, succeeded and failed by class; the numbers are in the tables below"></div>
  <h3>Latency of successful requests <span class="muted small">from intended send time, log scale</span></h3>
  <div class="chart" data-chart="latency" role="img" aria-label="Latency percentiles of successful requests over time"></div>
  <h3>Pods <span class="muted small">hover a lane, marker or failure for details; drag on any chart to zoom, double-click to reset</span></h3>
  <div class="legend lanes-legend">
    <span class="st pending"><i></i>pending</span><span class="st ready"><i></i>ready</span><span class="st unready"><i></i>not ready</span><span class="st terminating"><i></i>terminating (preStop)</span><span class="st signalled"><i></i>signalled</span><span class="st killed"><i></i>killed</span><span class="st exited"><i></i>exited</span>
    <span class="mk signal">▼ stop signal</span><span class="mk kill">✕ SIGKILL</span><span class="mk endpoint">┃ endpoint removed (per consumer)</span><span class="mk failure">● failed request</span>
  </div>
  <div class="chart" data-chart="lanes" role="img" aria-label="One lane per pod: lifecycle states, stop signal, SIGKILL, endpoint removals and failed requests over time; the failures are listed below"></div>
</div>
<div class="details">
  <div><h3>Failures</h3>${failuresMarkup(r)}</div>
  <div><h3>Configuration</h3>${configRows(r.config)}<h3>Audit findings</h3>${auditMarkup(r.audit)}</div>
</div>
<h3>Reproduce</h3>
${r.command ? `<pre class="command"><code>${h(r.command)}</code></pre>` : '<p class="muted">The run did not record its command.</p>'}
${notes}
</section>`;
}
