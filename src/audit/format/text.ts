/**
 * The human report: findings grouped by file, each with position, severity, rule id, object,
 * container, message and fix; coloured only when writing to a terminal.
 */
import { createColors } from 'picocolors';
import { terminalSafe } from '../../terminalText.js';
import type { AuditResult, Finding, Severity } from '../types.js';
import { objectRef } from './objectRef.js';

export interface TextOptions {
  color: boolean;
  /** Files whose positions refer to a rendered stream (kustomize, stdin). */
  renderedFiles?: ReadonlySet<string>;
}

const RENDERED_NOTE: Record<NonNullable<Finding['renderedBy']>, string> = {
  stdin: 'stdin: positions refer to the input stream',
  kustomize: 'rendered by kubectl kustomize: not traced to a file, positions refer to the rendered stream',
  helm: 'helm template: lines are within the rendered template, not the template source',
};

export function formatText(result: AuditResult, options: TextOptions): string {
  const c = createColors(options.color);
  // Names, paths and messages quote the user's files: neutralised before colours are added.
  const t = terminalSafe;
  const sev: Record<Severity, (s: string) => string> = { error: (s) => c.red(c.bold(s)), warning: c.yellow, info: c.cyan };
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, findings] of byFile) {
    const rendered = findings.find((f) => f.rendered);
    lines.push(c.underline(c.bold(t(file))) + (rendered ? c.dim(`  (${RENDERED_NOTE[rendered.renderedBy ?? (file === '-' ? 'stdin' : 'kustomize')]})`) : ''));
    for (const f of findings) {
      const where = (f.location ?? `${f.line}:${f.column}`).padEnd(7);
      const obj = f.object ? t(objectRef(f.object)) : '';
      const ctr = f.container ? ` container ${t(f.container)}` : '';
      lines.push(`  ${c.dim(where)} ${sev[f.severity](f.severity.padEnd(8))}${c.bold(f.rule)}${obj ? `  ${obj}${ctr}` : ''}`);
      lines.push(`          ${t(f.message)}`);
      if (f.fix) lines.push(`          ${c.green('fix:')} ${t(f.fix)}`);
    }
    lines.push('');
  }
  if (result.errors.length > 0) {
    lines.push(c.bold('Input errors'));
    for (const e of result.errors) lines.push(`  ${c.red('error')} ${t([e.file, e.line, e.column].filter((x) => x !== undefined).join(':'))}: ${t(e.message)}`);
    lines.push('');
  }
  const n = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const parts = [`${n('error')} error${n('error') === 1 ? '' : 's'}`, `${n('warning')} warning${n('warning') === 1 ? '' : 's'}`, `${n('info')} info`];
  const summary =
    result.findings.length === 0 ? 'No findings.' : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
  lines.push(`${c.bold(summary)}${result.errors.length > 0 ? ` ${result.errors.length} input error${result.errors.length === 1 ? '' : 's'}.` : ''}`);
  if (result.findings.length > 0)
    lines.push(
      c.dim('Run \'zerodrop explain RULE\' for the why and the fix of a rule; suppress one per object with the annotation zerodrop.dev/ignore: "RULE".'),
    );
  return `${lines.join('\n')}\n`;
}
