import { auditPaths } from '../../audit/audit.js';
import { defaultSettings } from '../../audit/settings.js';
import type { Severity } from '../../audit/types.js';

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
 * Runs the audit on the same manifests the lab runs, with the lab's own timing assumptions: its
 * worst-case endpoint propagation (so a preStop sleep is judged against what the lab will do).
 */
export async function auditForLab(manifests: readonly string[], propagationMaxMs: number): Promise<AuditVerdict> {
  const run = await auditPaths(manifests, { settings: defaultSettings({ propagationSeconds: Math.ceil(propagationMaxMs / 1000) }) });
  const findings = run.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, ...(f.container ? { container: f.container } : {}) }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    errors,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
    predictsDrops: errors > 0,
    inputErrors: run.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
  };
}
