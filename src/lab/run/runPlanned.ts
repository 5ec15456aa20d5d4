/**
 * The lab's run loop: the planned runs one after another, each audited first (so the audit's
 * prediction stands beside the lab's verdict), until all ran or the signal aborts. The caller
 * prints through the hooks; this module only runs and shapes results.
 */
import type { ExitCodeValue } from '../../errors.js';
import type { EventListener, EventStream } from '../../events/stream.js';
import type { VerdictKind } from '../../load/verdict.js';
import { verdictExitCode } from '../../run/exitCode.js';
import { auditForLab, type AuditVerdict } from './audit.js';
import type { Expectation, PlannedRun } from './plan.js';
import { runLab, type LabRunResult } from './runLab.js';

/** A run's result with what it was meant to show. */
export type LabRunRow = LabRunResult & { expected: Expectation };

/** A row of the lab's results: a run's result, or a run this machine could not start. */
export type LabResultRow = LabRunRow | { name: string; unavailable: string; expected: Expectation };

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
      rows.push({ name: p.name, unavailable: reason, expected: p.expect });
      continue;
    }
    const config = p.config;
    const audit = (() => {
      try {
        return auditForLab(config.sources, config.workload.target, config.propagation.maxMs);
      } catch {
        return undefined;
      }
    })();
    if (audit) config.audit = audit.findings;
    hooks.onRunStart?.({ ...p, config }, audit);
    const result = await runLab(config, {
      ...(hooks.listeners ? { listeners: hooks.listeners } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.attach ? { attach: hooks.attach } : {}),
    });
    if (audit) result.audit = auditSummary(audit);
    hooks.onRunEnd?.(result);
    rows.push({ ...result, expected: p.expect });
  }
  return rows;
}

/**
 * Whether a run showed what it was meant to: a pass when zero drops were expected, a fail when
 * drops were. A run that proved nothing (inconclusive) showed neither.
 */
export function outcomeOf(row: LabRunRow): VerdictKind {
  if (row.verdict === 'inconclusive') return 'inconclusive';
  const dropped = row.verdict === 'fail';
  return dropped === (row.expected === 'drops') ? 'pass' : 'fail';
}

/**
 * The lab's exit code: 0 when every run showed what it was meant to (for a user's own inputs:
 * zero drops), 1 when one did not, 3 when one proved nothing, 130 when interrupted. Runs this
 * machine could not start are left out (their reason is in the table).
 */
export function labExitCode(rows: readonly LabResultRow[], interrupted: boolean): ExitCodeValue {
  return verdictExitCode(ranRows(rows).map(outcomeOf), interrupted);
}

function ranRows(rows: readonly LabResultRow[]): LabRunRow[] {
  return rows.filter((r): r is LabRunRow => !('unavailable' in r));
}

/**
 * The results as `--json` writes them: `{ runs: [...] }`, unavailable runs included with their
 * reason; each run says what it was expected to show (`expected`: drops or zero) and whether it
 * did (`asExpected`; absent when it proved nothing).
 */
export function labResultsJson(rows: readonly LabResultRow[]): { runs: Array<Record<string, unknown>> } {
  return {
    runs: rows.map((r) => {
      if ('unavailable' in r) return { name: r.name, verdict: 'unavailable', reason: r.unavailable, expected: r.expected };
      const outcome = outcomeOf(r);
      return { ...r, ...(outcome === 'inconclusive' ? {} : { asExpected: outcome === 'pass' }) };
    }),
  };
}

function auditSummary(audit: AuditVerdict): NonNullable<LabRunResult['audit']> {
  return {
    errors: audit.errors,
    warnings: audit.warnings,
    predictsDrops: audit.predictsDrops,
    rules: [...new Set(audit.findings.filter((f) => f.severity === 'error').map((f) => f.rule))],
  };
}
