/**
 * The stable JSON output: `{ findings, errors }`, positions 1-based. Extra fields
 * (messageId, ruleOfUptime, rendered, summary, tool) are additions, never renames.
 */
import type { AuditResult, Finding } from '../types.js';
import { version } from '../../version.js';

/**
 * A finding with every key of the issue present: absent values are null, not missing. `messageId`
 * is the stable id to match on; `data` stays out, since `message` is its rendering.
 */
export type JsonFinding = Omit<Finding, 'object' | 'container' | 'fix' | 'ruleOfUptime' | 'data'> & {
  object: Finding['object'] | null;
  container: string | null;
  fix: string | null;
  ruleOfUptime: number | null;
};

export interface JsonReport {
  tool: { name: 'zerodrop'; version: string };
  findings: JsonFinding[];
  errors: Array<{ file: string; line: number | null; column: number | null; message: string; code: string | null }>;
  summary: { error: number; warning: number; info: number; errors: number };
}

export function toJsonReport(result: AuditResult): JsonReport {
  const count = (s: Finding['severity']) => result.findings.filter((f) => f.severity === s).length;
  return {
    tool: { name: 'zerodrop', version },
    findings: result.findings.map(({ data: _data, ...f }) => ({
      ...f,
      object: f.object ?? null,
      container: f.container ?? null,
      fix: f.fix ?? null,
      ruleOfUptime: f.ruleOfUptime ?? null,
    })),
    errors: result.errors.map((e) => ({ file: e.file, line: e.line ?? null, column: e.column ?? null, message: e.message, code: e.code ?? null })),
    summary: { error: count('error'), warning: count('warning'), info: count('info'), errors: result.errors.length },
  };
}

export function formatJson(result: AuditResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
