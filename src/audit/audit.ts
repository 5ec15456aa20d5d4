/**
 * The audit as a library call: PATHs in, findings and input errors out. The CLI parses flags and
 * prints; everything a library user would also need lives here.
 */
import type { AuditSettings, Rule, Severity, SeveritySetting } from './types.js';
import { collectSources, sourceKindOf, type CollectOptions } from './sources.js';
import { runAudit, SEVERITY_RANK, type AuditRun } from './runner.js';
import { allRules } from './rules/index.js';
import type { FailOn } from './config.js';
import { ERROR_CATALOGUE, ExitCode, type ExitCodeValue } from '../errors.js';
import { resolve } from 'node:path';

export interface AuditPathsOptions extends CollectOptions {
  settings: AuditSettings;
  severities?: Record<string, SeveritySetting>;
  rules?: readonly Rule[];
  debug?: boolean;
  /** PATHs are changed files (a pre-commit hook): audit each in its context, report findings in them only. */
  changedFiles?: boolean;
  /** The chart's directory in the repository, for `helm template` output on stdin (--chart-root). */
  chartRoot?: string;
}

export async function auditPaths(paths: readonly string[], options: AuditPathsOptions): Promise<AuditRun & { notes: string[] }> {
  if (options.changedFiles) return auditChangedFiles(paths, options);
  const collected = await collectSources(paths, options);
  const run = runAudit(collected.sources, {
    settings: options.settings,
    rules: options.rules ?? allRules,
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.debug ? { debug: true } : {}),
  });
  // Tracing rendered streams back to files is loaded only when there is one (kustomize, stdin).
  if (collected.sources.some((s) => s.origin !== 'file')) {
    const { traceRenderedFindings } = await import('./origins/traceFindings.js');
    traceRenderedFindings(run, { cwd: options.cwd ?? process.cwd(), ...(options.chartRoot === undefined ? {} : { chartRoot: options.chartRoot }) });
  }
  run.errors.unshift(...collected.errors);
  if (collected.errors.length > 0) run.parseFailed = true;
  return { ...run, notes: [] };
}

/** `--changed-files`: each PATH audited in its context, findings and errors reported for the PATHs only (src/audit/changedFiles.ts). */
async function auditChangedFiles(files: readonly string[], options: AuditPathsOptions): Promise<AuditRun & { notes: string[] }> {
  const cwd = options.cwd ?? process.cwd();
  const { planChangedFiles } = await import('./changedFiles.js');
  const plan = planChangedFiles(files, cwd);
  const run = await auditPaths(plan.paths, { ...options, changedFiles: false });
  const inChanged = (file: string) => file === '-' || plan.changed.has(resolve(cwd, file));
  run.details = run.details.filter((d) => d.finding.renderedBy === 'kustomize' || inChanged(d.finding.file));
  run.findings = run.details.map((d) => d.finding);
  // A kustomize render error concerns the changed files it holds; an unreadable neighbour does not.
  run.errors = run.errors.filter((e) => inChanged(e.file) || (plan.paths.includes(e.file) && sourceKindOf(e.file) === undefined));
  run.notes.push(...plan.notes);
  // A component's file is audited when another changed file's overlay uses the component.
  const rendered = new Set(run.yamlSources.flatMap((ys) => ys.source.kustomize?.documents.flatMap((d) => d.transformations.map((t) => t.kustomization)) ?? []));
  for (const c of plan.componentFiles)
    if (!rendered.has(c.component))
      run.notes.push(`${c.file}: part of a kustomize component, which renders only inside an overlay; audit an overlay that uses it`);
  return run;
}

/**
 * Exit code of an audit: 4 when the machine lacks something an input needs (kubectl for a
 * kustomization), 2 for input errors (even with findings), 1 for findings at or above --fail-on, else 0.
 */
export function auditExitCode(run: Pick<AuditRun, 'findings' | 'errors'>, failOn: FailOn): ExitCodeValue {
  if (run.errors.some((e) => e.code && ERROR_CATALOGUE[e.code].exit === 'environment')) return ExitCode.environment;
  if (run.errors.length > 0) return ExitCode.usage;
  if (failOn === 'never') return ExitCode.ok;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return run.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? ExitCode.findings : ExitCode.ok;
}
