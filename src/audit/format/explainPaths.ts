/**
 * `zerodrop audit --explain-paths`: every serving workload's traffic paths, each with how long it
 * takes to let go of a terminating pod and where that number came from, and what the pods need
 * for the slowest one (docs/reference/traffic-paths.md). Plain text, wrapped at 100 columns.
 */
import { PATH_BUDGETS, REMOVAL_SECONDS_ANNOTATION } from '../../k8s/pathBudgets.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { graceSecondsNeeded } from '../../k8s/shutdownTimeline.js';
import { objectLabel, type TrafficPath } from '../../k8s/trafficPaths.js';
import { terminalSafe } from '../../terminalText.js';
import { trafficContainers } from '../rules/support/containers.js';
import { graceOf, preStopOf, seconds } from '../rules/support/drain.js';
import { removalBudget } from '../rules/support/paths.js';
import type { AuditSettings, WorkloadView } from '../types.js';
import { slowestPath } from '../views.js';
import { REPORT_WIDTH, wrap as wrapWords } from './wrap.js';

/** Words of `text` in report-wide lines, the first after `first`, the rest under it (src/audit/format/wrap.ts). */
function wrap(text: string, first: string, rest = ' '.repeat(first.length)): string[] {
  return wrapWords(text.replace(/\s+/g, ' '), REPORT_WIDTH, first, rest);
}

function whereFrom(p: TrafficPath, settings: AuditSettings): string {
  const budget = PATH_BUDGETS[p.kind];
  switch (p.removalFrom) {
    case 'annotation':
      return `set by ${p.setBy}`;
    case 'config':
      return `set by ${p.setBy}`;
    case 'computed':
      return `computed: ${p.setBy}`;
    default:
      return budget.removalSeconds === 'propagation'
        ? `--propagation-seconds (${seconds(settings.propagationSeconds)}): ${budget.basis}`
        : `default: ${budget.basis}`;
  }
}

function pathLines(p: TrafficPath, n: number, settings: AuditSettings): string[] {
  const budget = PATH_BUDGETS[p.kind];
  const out = wrap(p.description, `  ${n}. `);
  const pad = '     ';
  out.push(...wrap(`${seconds(p.removalSeconds)}, ${whereFrom(p, settings)}`, `${pad}removal    `, `${pad}           `));
  out.push(...wrap(budget.removedBy, `${pad}removed by `, `${pad}           `));
  const facts = [`pins connections: ${p.pinsConnections ? 'yes' : 'no'}`, ...(p.readinessGate ? [`readiness gate: ${p.readinessGate}`] : [])];
  out.push(...wrap(facts.join('; '), `${pad}facts      `, `${pad}           `));
  if (p.removalFrom !== 'annotation') {
    const outer = p.via[0];
    const on = outer ? ` on ${String(outer.kind)} ${objectLabel(outer)}` : '';
    out.push(...wrap(`${REMOVAL_SECONDS_ANNOTATION}${on}, or paths.${p.kind}.removalSeconds in .zerodrop.yaml`, `${pad}override   `, `${pad}           `));
  }
  for (const a of p.assumptions) out.push(...wrap(a, `${pad}assumed    `, `${pad}           `));
  return out;
}

function workloadHeader(w: WorkloadView): string {
  const ns = w.object.metadata?.namespace;
  return `${w.kind} ${typeof ns === 'string' ? `${ns}/` : ''}${w.name}`;
}

/** What the pods have and need for their slowest path: preStop ≥ its removal time, grace ≥ that + drain. */
function needLines(w: WorkloadView, settings: AuditSettings): string[] {
  const budget = removalBudget(w, settings);
  const grace = graceOf(w);
  const containers = trafficContainers(w);
  const preStops = containers.map((c) => {
    const delay = preStopDelaySeconds(preStopOf(c));
    return `${c.name}: ${delay === undefined ? 'none' : seconds(delay)}`;
  });
  const need = graceSecondsNeeded(budget.seconds, w.drainSeconds);
  const path = slowestPath(w);
  const slowest = path ? PATH_BUDGETS[path.kind].label : 'in-cluster propagation, no Service in the input';
  const wait = w.inAppDrain ? `the app serves on after SIGTERM for ${seconds(budget.seconds)}` : `preStop ≥ ${seconds(budget.seconds)}`;
  return [
    ...wrap(
      `has preStop ${preStops.length > 0 ? preStops.join(', ') : 'none'}; terminationGracePeriodSeconds ${grace.seconds}${grace.explicit ? '' : ' (the default)'}`,
      '  ',
    ),
    ...wrap(
      `needs (slowest path: ${slowest}) ${wait}, and terminationGracePeriodSeconds ≥ ${need} (with drain ${seconds(w.drainSeconds)}${w.drainSeconds === settings.drainSeconds ? ', --drain-seconds' : ', zerodrop.dev/drain-seconds'})`,
      '  ',
    ),
  ];
}

export function renderExplainPaths(workloads: readonly WorkloadView[], settings: AuditSettings): string {
  const out: string[] = [
    'Traffic paths: how each serving workload is reached, and how late each path lets go of a',
    'terminating pod (docs/reference/traffic-paths.md).',
    '',
  ];
  const serving = workloads.filter((w) => w.serving);
  const seen = new Set<string>();
  for (const w of serving) {
    // The same object written twice (a combined file beside per-object ones) is explained once.
    const key = `${w.kind}\0${w.namespace}\0${w.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(workloadHeader(w));
    if (w.paths.length === 0) out.push(...wrap(`no Service in the input selects it (${w.servingReason}); assumed: in-cluster propagation`, '  '));
    w.paths.forEach((p, i) => out.push(...pathLines(p, i + 1, settings)));
    out.push(...needLines(w, settings), '');
  }
  const idle = workloads.length - serving.length;
  if (serving.length === 0) out.push('No serving workload in the input: nothing routes requests to any pod.');
  else if (idle > 0) out.push(`${idle} more workload${idle === 1 ? '' : 's'} not serving (no path reaches them).`);
  return `${out.map(terminalSafe).join('\n')}\n`;
}
