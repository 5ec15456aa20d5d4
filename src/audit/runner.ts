/**
 * The audit runner: parsed sources → views → rules → findings with positions. It owns what rules
 * must not: severities from config, suppression annotations and Dockerfile pragmas, positions,
 * and turning a rule that throws into an error entry instead of a crash.
 */
import { isCoreService, type KubeObject } from '../k8s/objects.js';
import type { TrafficPath } from '../k8s/trafficPaths.js';
import type {
  AuditResult,
  AuditSettings,
  DockerfileView,
  Finding,
  InputError,
  ReportedMessage,
  ObjectView,
  Rule,
  RuleMeta,
  Severity,
  SeveritySetting,
  StrategicPatch,
  WorkloadView,
  YamlPath,
} from './types.js';
import type { Source } from './sources.js';
import { renderTemplate } from './messages.js';
import { parseYamlSource, positionOf, type LocatedObject, type ParsedYamlSource } from './yamlSource.js';
import { parseDockerfileSource } from './dockerfileSource.js';
import { buildViews, ignoredRules, objectViewOf } from './views.js';

export interface RunOptions {
  settings: AuditSettings;
  rules: readonly Rule[];
  /** Per-rule severity from config; `off` disables the rule. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Rethrow rule exceptions (--debug). */
  debug?: boolean;
}

/** A finding plus what --fix needs; `finding` is the stable JSON shape. */
export interface DetailedFinding {
  finding: Finding;
  /** Which of the rule's fix templates the fix text was rendered from. */
  fixId?: string;
  patch?: StrategicPatch;
  located?: LocatedObject;
  workload?: WorkloadView;
}

export interface AuditRun extends AuditResult {
  details: DetailedFinding[];
  yamlSources: ParsedYamlSource[];
  dockerfiles: DockerfileView[];
  /** Some input failed to parse (then --fix-in-place writes nothing). */
  parseFailed: boolean;
  objectCount: number;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** The kind an object rule names to read this object: `Service` for a core Service, `Service.<group>` for another group's. */
function objectRuleKind(ov: ObjectView): string {
  if (ov.kind !== 'Service' || isCoreService(ov.object)) return ov.kind;
  return `Service.${ov.apiVersion.split('/')[0]}`;
}

export function effectiveSeverity(meta: RuleMeta, severities: RunOptions['severities']): SeveritySetting {
  return severities?.[meta.id] ?? meta.severity;
}

/** `# zerodrop ignore=rule-a,rule-b` on the line(s) right above an instruction; `# zerodrop global ignore=…` for the whole file. */
function dockerfilePragmas(text: string): { global: Set<string>; byLine: Map<number, Set<string>> } {
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const lines = text.split('\n');
  let pending = new Set<string>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const m = /^#\s*zerodrop\s+(global\s+)?ignore\s*=\s*(.+)$/.exec(line);
    if (m) {
      const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
      if (m[1]) ids.forEach((id) => global.add(id));
      else ids.forEach((id) => pending.add(id));
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    if (pending.size > 0) {
      byLine.set(i + 1, pending);
      pending = new Set();
    }
  });
  return { global, byLine };
}

/** A result with its message and fix text rendered from the rule's templates. */
type Rendered<R> = R & ReportedMessage & { message: string; fix?: string };

/** Renders every result's message and fix; an undeclared id or a missing placeholder value throws (a rule bug). */
function rendered<R extends ReportedMessage>(rule: Rule, results: readonly R[]): Rendered<R>[] {
  // Most checks find nothing: no new array for them (this runs for every rule on every object).
  if (results.length === 0) return results as Rendered<R>[];
  const { messages, fixes, id } = rule.meta;
  return results.map((r) => {
    const template = Object.hasOwn(messages, r.messageId) ? messages[r.messageId] : undefined;
    if (template === undefined) throw new Error(`rule ${id} reported messageId "${r.messageId}", which its meta.messages does not declare`);
    const out: Rendered<R> = { ...r, message: renderTemplate(template, r.data) };
    if (r.fixId !== undefined) {
      const fix = Object.hasOwn(fixes, r.fixId) ? fixes[r.fixId] : undefined;
      if (fix === undefined) throw new Error(`rule ${id} reported fixId "${r.fixId}", which its meta.fixes does not declare`);
      out.fix = renderTemplate(fix, r.data);
    }
    return out;
  });
}

/** The stable finding of a rendered result at its position; Kubernetes objects name the object, Dockerfiles none. */
function detailedFinding(
  rule: Rule,
  severity: Severity,
  r: Rendered<object>,
  at: { file: string; line: number; column: number },
  renderedStream: boolean,
  about: Pick<Finding, 'object' | 'container'> = {},
): DetailedFinding {
  const finding: Finding = {
    rule: rule.meta.id,
    messageId: r.messageId,
    severity,
    message: r.message,
    ...(r.data ? { data: r.data } : {}),
    ...at,
    ...(about.object ? { object: about.object } : {}),
    ruleOfUptime: rule.meta.ruleOfUptime,
  };
  if (about.container !== undefined) finding.container = about.container;
  if (r.fix !== undefined) finding.fix = r.fix;
  if (renderedStream) finding.rendered = true;
  return r.fixId !== undefined ? { finding, fixId: r.fixId } : { finding };
}

export function runAudit(sources: readonly Source[], options: RunOptions): AuditRun {
  const errors: InputError[] = [];
  const yamlSources: ParsedYamlSource[] = [];
  const dockerfiles: DockerfileView[] = [];
  const dockerfileText = new Map<DockerfileView, string>();
  let parseFailed = false;

  for (const source of sources) {
    if (source.kind === 'dockerfile') {
      const { view, errors: e } = parseDockerfileSource(source);
      errors.push(...e);
      if (view) {
        dockerfiles.push(view);
        dockerfileText.set(view, source.text);
      } else parseFailed = true;
    } else {
      const { parsed, errors: e } = parseYamlSource(source);
      errors.push(...e);
      if (parsed.failed) parseFailed = true;
      yamlSources.push(parsed);
    }
  }

  const located = new Map<KubeObject, LocatedObject>();
  const objects: KubeObject[] = [];
  for (const ys of yamlSources) {
    for (const lo of ys.objects) {
      located.set(lo.object, lo);
      objects.push(lo.object);
    }
  }

  const views = buildViews(objects, dockerfiles, options.settings);
  for (const p of views.annotationProblems) {
    const lo = located.get(p.object);
    if (!lo) continue;
    const pos = positionOf(lo, p.path);
    errors.push({ file: lo.source.file, line: pos.line, column: pos.column, message: p.message });
  }

  const details: DetailedFinding[] = [];
  // Read once per object, kept only where an object ignores something: most ignore nothing, and
  // this check runs for every rule on every object.
  const ignoreSets = new Map<KubeObject, Set<string>>();
  for (const ov of views.objects) {
    const ids = ignoredRules(ov.object);
    if (ids.size > 0) ignoreSets.set(ov.object, ids);
  }
  const ignored = (o: KubeObject, id: string) => ignoreSets.size > 0 && ignoreSets.get(o)?.has(id) === true;
  // Object rules name their kinds: each reads only the views of those kinds, not every object.
  const viewsByKind = new Map<string, ObjectView[]>();
  for (const ov of views.objects) {
    // Rules on 'Service' read core Services only (a Knative Service shares the kind name); a rule
    // for another group's Service names it with its group, kubectl-style: 'Service.serving.knative.dev'.
    const kind = objectRuleKind(ov);
    const list = viewsByKind.get(kind);
    if (list) list.push(ov);
    else viewsByKind.set(kind, [ov]);
  }

  const active = options.rules
    .map((rule) => ({ rule, severity: effectiveSeverity(rule.meta, options.severities) }))
    .filter((r): r is { rule: Rule; severity: Severity } => r.severity !== 'off');

  const crash = (rule: Rule, where: string, err: unknown) => {
    if (options.debug) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    errors.push({ file: where, message: `rule ${rule.meta.id} failed (a bug in zerodrop, please report it; --debug shows the stack): ${msg}` });
  };

  const objectFinding = (
    rule: Rule,
    severity: Severity,
    view: ObjectView,
    r: Rendered<{ path: YamlPath; container?: string; patch?: StrategicPatch; at?: ObjectView; trafficPath?: TrafficPath }>,
    workload?: WorkloadView,
  ) => {
    const lo = located.get(view.object);
    if (!lo) return;
    const pos = positionOf(lo, r.path);
    const object = { apiVersion: view.apiVersion, kind: view.kind, ...(view.namespaceWritten ? { namespace: view.namespace } : {}), name: view.name };
    const about = r.container !== undefined ? { object, container: r.container } : { object };
    const d = detailedFinding(rule, severity, r, { file: lo.source.file, ...pos }, lo.source.origin !== 'file', about);
    if (workload?.servedBy) d.finding.servedBy = workload.servedBy;
    if (r.trafficPath) {
      const { kind, description, removalSeconds, removalFrom, setBy } = r.trafficPath;
      d.finding.trafficPath = { kind, description, removalSeconds, removalFrom, ...(setBy !== undefined ? { setBy } : {}) };
    }
    d.located = lo;
    if (r.patch) d.patch = r.patch;
    if (workload) d.workload = workload;
    details.push(d);
  };

  const all = { objects: views.objects, workloads: views.workloads };
  const workloadOf = new Map(views.workloads.map((w) => [w.sourceObject ?? w.object, w]));
  // A Rollout's pod template may live in the Deployment its workloadRef names: place findings there.
  // undefined: the Deployment still runs pods of its own and its view reports the template's findings.
  const homeOf = (w: WorkloadView, path: YamlPath): ObjectView | undefined => {
    if (!w.templateFrom || path[0] !== 'spec' || path[1] !== 'template') return objectViewOf(w.sourceObject ?? w.object);
    return w.templateJudgedByDeployment ? undefined : w.templateFrom;
  };
  for (const { rule, severity } of active) {
    if (rule.target === 'workload') {
      for (const w of views.workloads) {
        if (ignored(w.object, rule.meta.id) || (w.sourceObject && ignored(w.sourceObject, rule.meta.id))) continue;
        let results;
        try {
          results = rendered(rule, rule.check(w, options.settings));
        } catch (err) {
          crash(rule, located.get(w.sourceObject ?? w.object)?.source.file ?? '?', err);
          continue;
        }
        for (const r of results) {
          const home = r.at ?? homeOf(w, r.path);
          if (home) objectFinding(rule, severity, home, r, w);
        }
      }
    } else if (rule.target === 'object') {
      for (const ov of [...new Set(rule.kinds)].flatMap((k) => viewsByKind.get(k) ?? [])) {
        if (ignored(ov.object, rule.meta.id)) continue;
        let results;
        try {
          results = rendered(rule, rule.check(ov, options.settings, all));
        } catch (err) {
          crash(rule, located.get(ov.object)?.source.file ?? '?', err);
          continue;
        }
        const w = workloadOf.get(ov.object);
        for (const r of results) objectFinding(rule, severity, ov, r, w);
      }
    } else {
      for (const df of dockerfiles) {
        const pragmas = dockerfilePragmas(dockerfileText.get(df) ?? '');
        if (pragmas.global.has(rule.meta.id)) continue;
        let results;
        try {
          results = rendered(rule, rule.check(df, options.settings));
        } catch (err) {
          crash(rule, df.file, err);
          continue;
        }
        const finalFrom = [...df.instructions].reverse().find((i) => i.keyword === 'FROM');
        for (const r of results) {
          const at = r.instruction ?? finalFrom;
          if (at && pragmas.byLine.get(at.line)?.has(rule.meta.id)) continue;
          details.push(detailedFinding(rule, severity, r, { file: df.file, line: at?.line ?? 1, column: at?.column ?? 1 }, df.file === '-'));
        }
      }
    }
  }

  const fileOrder = new Map<string, number>();
  sources.forEach((s, i) => fileOrder.set(s.file, i));
  details.sort((a, b) => {
    const fa = fileOrder.get(a.finding.file) ?? 0;
    const fb = fileOrder.get(b.finding.file) ?? 0;
    // Code-unit order, not localeCompare: rule ids are ASCII, and loading ICU's collator slows every CLI start.
    return (
      fa - fb ||
      a.finding.line - b.finding.line ||
      a.finding.column - b.finding.column ||
      (a.finding.rule < b.finding.rule ? -1 : a.finding.rule > b.finding.rule ? 1 : 0)
    );
  });

  return {
    findings: details.map((d) => d.finding),
    errors,
    details,
    yamlSources,
    dockerfiles,
    parseFailed,
    objectCount: objects.length,
  };
}
