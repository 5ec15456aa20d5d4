/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, which
 * the runner turns into annotations on the pull request's files
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions). Escaping
 * follows @actions/core: `%`, CR and LF in the message; also `:` and `,` in properties.
 * GitHub shows at most 10 errors and 10 warnings per step as annotations; the rest stay in the
 * log, so code scanning (SARIF) is the place for a full list.
 */
import type { AuditResult, Severity } from '../types.js';
import { objectLabel, reportLocation } from './location.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function formatGithub(result: AuditResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const at = reportLocation(f);
    const what = objectLabel(f);
    const message = `${f.message}${what ? ` [${what}]` : ''}${at.note}${f.fix ? `\nFix: ${f.fix}` : ''}`;
    lines.push(command(COMMAND[f.severity], { file: at.file, line: at.line, col: at.column, title: `zerodrop ${f.rule}` }, message));
  }
  for (const e of result.errors) {
    const file = e.file === '-' ? undefined : e.file.split('\\').join('/');
    lines.push(command('error', { file, line: e.line, col: e.column, title: 'zerodrop: input error' }, e.message));
  }
  const n = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  lines.push(
    `zerodrop: ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (${n('error')} error, ${n('warning')} warning, ${n('info')} info), ${result.errors.length} input error${result.errors.length === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}
