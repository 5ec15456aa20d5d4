/**
 * One report in the format asked for. Each formatter is loaded only when chosen, so a run that
 * prints text (a pre-commit hook) does not load SARIF, rule pages or the CI formats.
 */
import type { OutputFormat } from '../config.js';
import type { AuditResult, RuleMeta, Severity } from '../types.js';

export interface ReportOptions {
  /** ANSI colours in text output (a terminal). */
  color: boolean;
  /** Rule metadata for SARIF's driver.rules. */
  rules: () => readonly RuleMeta[];
  /** SARIF helpUri base. */
  docsBaseUrl?: string;
  /** Text: one line per finding, no explanations or summary. */
  quiet?: boolean;
  /** Text: the line width (default 100). */
  width?: number;
  /** Text: findings left out by --min-severity. */
  hidden?: { below: Severity; count: number };
}

export async function renderReport(result: AuditResult, format: OutputFormat, options: ReportOptions): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).formatJson(result);
    case 'sarif':
      return (await import('./sarif.js')).formatSarif(result, options.rules(), options.docsBaseUrl === undefined ? {} : { docsBaseUrl: options.docsBaseUrl });
    case 'github':
      return (await import('./github.js')).formatGithub(result);
    case 'codequality':
      return (await import('./codequality.js')).formatCodeQuality(result);
    case 'junit':
      return (await import('./junit.js')).formatJunit(result);
    default:
      return (await import('./text.js')).formatText(result, {
        color: options.color,
        rules: options.rules(),
        ...(options.quiet ? { quiet: true } : {}),
        ...(options.width === undefined ? {} : { width: options.width }),
        ...(options.hidden ? { hidden: options.hidden } : {}),
      });
  }
}
