/**
 * Moving findings from rendered streams to the files a user edits. A finding in kustomize output
 * moves to the base resource, patch or kustomization field that wrote its field; one in
 * `helm template` output read from stdin moves to its template, with the line within the
 * rendered template. What cannot be traced keeps its stream position and says so (`rendered`).
 */
import { isAbsolute, relative } from 'node:path';
import type { AuditRun, DetailedFinding } from '../runner.js';
import type { Finding, InputError } from '../types.js';
import { pathAtOffset } from './fieldPath.js';
import { helmPositionOf, helmStream, templatePath, type HelmStream } from './helmTemplates.js';
import { TraceContext, traceKustomizeField } from './kustomizeTrace.js';
import { RegionCache } from './yamlRegion.js';

export interface TraceOptions {
  /** Traced paths are shown relative to this directory, as PATH arguments are. */
  cwd: string;
  /** The chart's directory in the repository, for templates named by `# Source:` markers. */
  chartRoot?: string;
}

function displayPath(file: string, cwd: string): string {
  const r = relative(cwd, file);
  return r === '' || r.startsWith('..') || isAbsolute(r) ? file : r.split('\\').join('/');
}

function traceKustomize(d: DetailedFinding, ctx: TraceContext, cwd: string): boolean {
  const lo = d.located!;
  const origin = lo.source.kustomize?.documents[lo.documentIndex];
  if (!origin) return false;
  const f = d.finding;
  const offset = (lo.lineCounter.lineStarts[f.line - 1] ?? 0) + f.column - 1;
  const path = pathAtOffset(lo.document, lo.node, offset);
  const traced = path && traceKustomizeField(ctx, origin, lo.object, path);
  if (!traced) return false;
  f.file = displayPath(traced.file, cwd);
  f.line = traced.line;
  f.column = traced.column;
  delete f.rendered;
  delete f.renderedBy;
  return true;
}

function moveToTemplate(at: Finding | InputError, stream: HelmStream, chartRoot: string | undefined): boolean {
  if (at.line === undefined) return false;
  const p = helmPositionOf(stream, at.line);
  if (!p) return false;
  at.file = templatePath(p.template, chartRoot);
  at.line = p.line;
  return true;
}

/** Rewrites the run's finding positions in place and re-sorts them by file and line. */
export function traceRenderedFindings(run: AuditRun, options: TraceOptions): void {
  const ctx = new TraceContext(new RegionCache());
  const helm = new Map<string, HelmStream | undefined>();
  const stdin = run.yamlSources.find((ys) => ys.source.origin === 'stdin');
  if (stdin) helm.set(stdin.source.file, helmStream(stdin.source.text));

  for (const d of run.details) {
    const f = d.finding;
    const source = d.located?.source;
    if (!source || source.origin === 'file') continue;
    if (source.origin === 'kustomize') {
      if (!traceKustomize(d, ctx, options.cwd)) f.renderedBy = 'kustomize';
      continue;
    }
    const stream = helm.get(source.file);
    f.renderedBy = stream && moveToTemplate(f, stream, options.chartRoot) ? 'helm' : 'stdin';
  }
  const stream = helm.get('-');
  if (stream) for (const e of run.errors) if (e.file === '-') moveToTemplate(e, stream, options.chartRoot);

  const rank = new Map<string, number>();
  for (const d of run.details) if (!rank.has(d.finding.file)) rank.set(d.finding.file, rank.size);
  run.details.sort((a, b) => {
    const x = a.finding;
    const y = b.finding;
    return rank.get(x.file)! - rank.get(y.file)! || x.line - y.line || x.column - y.column || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0);
  });
  run.findings = run.details.map((d) => d.finding);
}
