/**
 * GitLab Code Quality: a JSON array of issues, shown in the merge request widget and diff
 * (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format). Each issue needs
 * description, check_name, a fingerprint unique in the report (GitLab shows only the first issue
 * of a fingerprint), severity (info, minor, major, critical, blocker) and a location whose path
 * is relative to the repository root.
 */
import { createHash } from 'node:crypto';
import type { AuditResult, Severity } from '../types.js';
import { fingerprints } from './fingerprint.js';
import { objectLabel, reportLocation } from './location.js';

/** As ESLint's and other linters' GitLab formatters map them: errors rank above warnings. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

export function toCodeQuality(result: AuditResult): CodeQualityIssue[] {
  const prints = fingerprints(result.findings);
  const issues: CodeQualityIssue[] = result.findings.map((f, i) => {
    const at = reportLocation(f);
    const what = objectLabel(f);
    return {
      description: `${f.message}${what ? ` [${what}]` : ''}${at.note}${f.fix ? ` Fix: ${f.fix}` : ''}`,
      check_name: f.rule,
      fingerprint: prints[i]!,
      severity: SEVERITY[f.severity],
      location: { path: at.file ?? 'stdin', lines: { begin: at.line } },
    };
  });
  result.errors.forEach((e, i) => {
    issues.push({
      description: `input error: ${e.message}`,
      check_name: 'zerodrop-input-error',
      fingerprint: createHash('sha256').update(`input-error\0${e.file}\0${e.message}\0${i}`).digest('hex').slice(0, 32),
      severity: 'major',
      location: { path: e.file === '-' ? 'stdin' : e.file.split('\\').join('/'), lines: { begin: e.line ?? 1 } },
    });
  });
  return issues;
}

export function formatCodeQuality(result: AuditResult): string {
  return `${JSON.stringify(toCodeQuality(result), null, 2)}\n`;
}
