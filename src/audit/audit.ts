/**
 * The audit as a library call: PATHs in, findings and input errors out. The CLI parses flags and
 * prints; everything a library user would also need lives here.
 */
import type { AuditSettings, Rule, Severity, SeveritySetting } from './types.js';
import { collectSources, type CollectOptions } from './sources.js';
import { runAudit, SEVERITY_RANK, type AuditRun } from './runner.js';
import { allRules } from './rules/index.js';
import type { FailOn } from './config.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { traceRenderedFindings } from './origins/traceFindings.js';

export interface AuditPathsOptions extends CollectOptions {
  settings: AuditSettings;
  severities?: Record<string, SeveritySetting>;
  rules?: readonly Rule[];
  debug?: boolean;
  /** The chart's directory in the repository, for `helm template` output on stdin (--chart-root). */
  chartRoot?: string;
}

export async function auditPaths(paths: readonly string[], options: AuditPathsOptions): Promise<AuditRun> {
  const collected = await collectSources(paths, options);
  const run = runAudit(collected.sources, {
    settings: options.settings,
    rules: options.rules ?? allRules,
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.debug ? { debug: true } : {}),
  });
  traceRenderedFindings(run, { cwd: options.cwd ?? process.cwd(), ...(options.chartRoot === undefined ? {} : { chartRoot: options.chartRoot }) });
  run.errors.unshift(...collected.errors);
  if (collected.errors.length > 0) run.parseFailed = true;
  return run;
}

/** Exit code of issue 2: 2 for input errors (even with findings), 1 for findings at or above --fail-on, else 0. */
export function auditExitCode(run: Pick<AuditRun, 'findings' | 'errors'>, failOn: FailOn): ExitCodeValue {
  if (run.errors.length > 0) return ExitCode.usage;
  if (failOn === 'never') return ExitCode.ok;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return run.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? ExitCode.findings : ExitCode.ok;
}
