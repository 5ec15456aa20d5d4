/**
 * The lab's run loop: the planned runs one after another, each audited first (so the audit's
 * prediction stands beside the lab's verdict), until all ran or the signal aborts. The caller
 * prints through the hooks; this module only runs and shapes results.
 */
import type { EventListener, EventStream } from '../../events/stream.js';
import { auditForLab, type AuditVerdict } from './audit.js';
import type { PlannedRun } from './plan.js';
import { runLab, type LabRunResult } from './runLab.js';

/** A row of the lab's results: a run's result, or a run this machine could not start. */
export type LabResultRow = LabRunResult | { name: string; unavailable: string };

export interface PlannedRunsHooks {
  signal?: AbortSignal;
  /** Subscribed to every run's event stream (event file, report). */
  listeners?: EventListener[];
  /** Called with each run's stream before its first event (live view); returns its cleanup. */
  attach?: (events: EventStream) => () => void;
  onUnavailable?: (run: PlannedRun, reason: string) => void;
  /** A run is about to start; `audit` is undefined when the audit could not read its manifests. */
  onRunStart?: (run: PlannedRun & { config: NonNullable<PlannedRun['config']> }, audit: AuditVerdict | undefined) => void;
  onRunEnd?: (result: LabRunResult) => void;
}

export async function runPlannedRuns(planned: readonly PlannedRun[], hooks: PlannedRunsHooks = {}): Promise<LabResultRow[]> {
  const rows: LabResultRow[] = [];
  for (const p of planned) {
    if (hooks.signal?.aborted) break;
    if (!p.config) {
      const reason = p.unavailable ?? 'not available';
      hooks.onUnavailable?.(p, reason);
      rows.push({ name: p.name, unavailable: reason });
      continue;
    }
    const config = p.config;
    const audit = await auditForLab(config.manifests, config.propagation.maxMs).catch(() => undefined);
    if (audit) config.audit = audit.findings;
    hooks.onRunStart?.({ ...p, config }, audit);
    const result = await runLab(config, {
      ...(hooks.listeners ? { listeners: hooks.listeners } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.attach ? { attach: hooks.attach } : {}),
    });
    if (audit) result.audit = auditSummary(audit);
    hooks.onRunEnd?.(result);
    rows.push(result);
  }
  return rows;
}

/** The results as `--json` writes them: `{ runs: [...] }`, unavailable runs included with their reason. */
export function labResultsJson(rows: readonly LabResultRow[]): { runs: Array<Record<string, unknown>> } {
  return { runs: rows.map((r) => ('unavailable' in r ? { name: r.name, verdict: 'unavailable', reason: r.unavailable } : { ...r })) };
}

/** The verdicts of the runs that ran. */
export function labVerdicts(rows: readonly LabResultRow[]): LabRunResult['verdict'][] {
  return rows.filter((r): r is LabRunResult => !('unavailable' in r)).map((r) => r.verdict);
}

function auditSummary(audit: AuditVerdict): NonNullable<LabRunResult['audit']> {
  return {
    errors: audit.errors,
    warnings: audit.warnings,
    predictsDrops: audit.predictsDrops,
    rules: [...new Set(audit.findings.filter((f) => f.severity === 'error').map((f) => f.rule))],
  };
}
