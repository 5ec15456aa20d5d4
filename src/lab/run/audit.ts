import { runAudit } from '../../audit/runner.js';
import { allRules } from '../../audit/rules/index.js';
import { defaultSettings } from '../../audit/settings.js';
import type { Source } from '../../audit/sources.js';
import type { Finding, Severity } from '../../audit/types.js';
import { isWorkloadKind } from '../../k8s/objects.js';

/** The audit's verdict for one lab configuration, to print beside the lab's. */
export interface AuditVerdict {
  /** Errors mean the audit predicts dropped requests. */
  errors: number;
  warnings: number;
  findings: Array<{ rule: string; severity: Severity; message: string; container?: string }>;
  predictsDrops: boolean;
  /** Input errors the audit hit (it never stops the lab). */
  inputErrors: string[];
}

/**
 * Runs the audit on the same texts the lab read (kustomize output included), with the lab's own
 * timing assumptions: its worst-case endpoint propagation (so a preStop sleep is judged against
 * what the lab will do). Findings on other workloads of the input (an ingress controller, a
 * database) are left out: the verdict is about the Deployment the lab rolls.
 */
export function auditForLab(sources: readonly Source[], target: { kind: string; namespace: string; name: string }, propagationMaxMs: number): AuditVerdict {
  const run = runAudit(sources, { settings: defaultSettings({ propagationSeconds: Math.ceil(propagationMaxMs / 1000) }), rules: allRules });
  // A finding leaves out the namespace its manifest does not name; the lab runs such objects in `default`.
  const about = (f: Finding): boolean =>
    !f.object ||
    !isWorkloadKind(f.object.kind) ||
    (f.object.kind === target.kind && (f.object.namespace ?? 'default') === target.namespace && f.object.name === target.name);
  const findings = run.findings
    .filter(about)
    .map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, ...(f.container ? { container: f.container } : {}) }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    errors,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
    predictsDrops: errors > 0,
    inputErrors: run.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
  };
}
