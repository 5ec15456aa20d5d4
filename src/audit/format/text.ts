/**
 * The human report. Findings are grouped by rule, errors first: each group explains the problem
 * and its fix once, then lists one line per object (under its file), with only what differs
 * between them. A per-rule summary closes the report. Lines fit a 100-column terminal; colours
 * only when writing to one. `quiet` prints one unwrapped line per finding instead, for grep and
 * for hooks that show a few findings.
 */
import { createColors } from 'picocolors';
import { terminalSafe } from '../../terminalText.js';
import { placeholdersOf, renderTemplate } from '../messages.js';
import type { AuditResult, Finding, MessageData, RuleMeta, Severity } from '../types.js';
import { objectRef } from './objectRef.js';
import { REPORT_WIDTH, wrap } from './wrap.js';

export interface TextOptions {
  color: boolean;
  /** Rule metadata: the message templates a group's shared explanation is built from. */
  rules?: readonly RuleMeta[];
  /** One line per finding, no explanations, fixes or summary; nothing at all when clean. */
  quiet?: boolean;
  /** Line width (default 100). */
  width?: number;
  /** Findings left out by --min-severity, counted in the summary so nobody mistakes them for none. */
  hidden?: { below: Severity; count: number };
}

const RENDERED_NOTE: Record<NonNullable<Finding['renderedBy']>, string> = {
  stdin: 'stdin: positions refer to the input stream',
  kustomize: 'rendered by kubectl kustomize: not traced to a file, positions refer to the rendered stream',
  helm: 'helm template: lines are within the rendered template, not the template source',
};

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatText(result: AuditResult, options: TextOptions): string {
  return options.quiet ? quietLines(result) : groupedReport(result, options);
}

/** `file:line:col  severity  rule  object`: one line per finding and per input error. */
function quietLines(result: AuditResult): string {
  const t = terminalSafe;
  const lines = result.errors.map((e) => `${t([e.file, e.line, e.column].filter((x) => x !== undefined).join(':'))}  input-error  ${t(e.message)}`);
  for (const f of sortByPosition(result.findings)) {
    const obj = f.object ? `  ${t(objectRef(f.object))}${f.container ? ` container ${t(f.container)}` : ''}` : '';
    lines.push(`${t(f.file)}:${where(f)}  ${f.severity}  ${f.rule}${obj}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

interface Group {
  severity: Severity;
  rule: string;
  ruleOfUptime: number | null | undefined;
  /** By message id, in order of first appearance. */
  messages: Map<string, Finding[]>;
  count: number;
}

function groupedReport(result: AuditResult, options: TextOptions): string {
  const c = createColors(options.color);
  // Names, paths and messages quote the user's files: neutralised before colours are added.
  const t = terminalSafe;
  const width = options.width ?? REPORT_WIDTH;
  const sev: Record<Severity, (s: string) => string> = { error: (s) => c.red(c.bold(s)), warning: c.yellow, info: c.cyan };
  const metas = new Map((options.rules ?? []).map((m) => [m.id, m]));
  const out: string[] = [];

  if (result.errors.length > 0) {
    out.push(c.bold('Input errors (not audited)'));
    // One line each, never wrapped: `file:line:col: message` is the form editors and grep read.
    for (const e of result.errors) out.push(`  ${c.red('error')} ${t([e.file, e.line, e.column].filter((x) => x !== undefined).join(':'))}: ${t(e.message)}`);
    out.push('');
  }

  const groups = groupByRule(result.findings);
  for (const g of groups) {
    const uptime = g.ruleOfUptime ? ` · Rule of Uptime ${g.ruleOfUptime}` : '';
    out.push(`${sev[g.severity](g.severity)} ${c.bold(g.rule)}${c.dim(`${uptime} · ${plural(g.count, 'finding')}`)}`);
    for (const [messageId, findings] of g.messages) {
      const shared = sharedExplanation(findings, metas.get(g.rule), messageId);
      if (shared.text) out.push(...wrap(t(shared.text), width, '  '));
      const oneFix = shared.fix;
      if (oneFix) out.push(...wrap(`fix: ${t(oneFix)}`, width, '  ', '       ').map((l, i) => (i === 0 ? l.replace('fix:', c.green('fix:')) : l)));
      for (const [file, inFile] of byFile(findings)) {
        const rendered = inFile.find((f) => f.rendered);
        const note = rendered ? `(${RENDERED_NOTE[rendered.renderedBy ?? (file === '-' ? 'stdin' : 'kustomize')]})` : '';
        // A path is never broken (it may hold spaces); the note wraps after it.
        const header = note ? wrap(note, width, `  ${t(file)}  `, '    ') : [`  ${t(file)}`];
        out.push(...header.map((l, i) => (i === 0 ? c.underline(l) : c.dim(l))));
        const whereWidth = Math.max(...inFile.map((f) => where(f).length));
        const pad = ' '.repeat(4 + whereWidth + 2);
        for (const f of inFile) {
          const head = `    ${where(f).padEnd(whereWidth)}  `;
          // Names are never broken: the container goes on its own line when both do not fit.
          const obj = f.object ? t(objectRef(f.object)) : '';
          const ctr = f.container ? `container ${t(f.container)}` : '';
          if (ctr && head.length + obj.length + 1 + ctr.length > width) out.push(c.dim(head) + obj, pad + ctr);
          else out.push(c.dim(head) + [obj, ctr].filter(Boolean).join(' '));
          for (const detail of shared.details(f)) out.push(...wrap(t(detail), width, pad, detail.startsWith('fix: ') ? `${pad}     ` : pad));
        }
      }
    }
    out.push('');
  }

  if (groups.length > 1) {
    out.push(c.bold('Summary by rule'));
    const idWidth = Math.max(...groups.map((g) => g.rule.length));
    for (const g of [...groups].sort(bySeverityThenCount))
      out.push(`  ${sev[g.severity](g.severity.padEnd(7))}  ${g.rule.padEnd(idWidth)}  ${String(g.count).padStart(4)}`);
    out.push('');
  }

  const n = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const counts = `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('info')} info`;
  const summary = result.findings.length === 0 ? 'No findings.' : `${plural(result.findings.length, 'finding')}: ${counts}.`;
  const tail = [
    result.errors.length > 0 ? `${plural(result.errors.length, 'input error')}.` : '',
    options.hidden && options.hidden.count > 0 ? `${options.hidden.count} below ${options.hidden.below} not shown (--min-severity).` : '',
  ].filter(Boolean);
  out.push(c.bold([summary, ...tail].join(' ')));
  if (result.findings.length > 0)
    out.push(
      ...wrap(
        'Run \'zerodrop explain RULE\' for the why and the fix of a rule; suppress one per object with the annotation zerodrop.dev/ignore: "RULE".',
        width,
        '',
      ).map((l) => c.dim(l)),
    );
  return `${out.join('\n')}\n`;
}

function groupByRule(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.rule}`;
    let g = groups.get(key);
    if (!g) {
      g = { severity: f.severity, rule: f.rule, ruleOfUptime: f.ruleOfUptime, messages: new Map(), count: 0 };
      groups.set(key, g);
    }
    const list = g.messages.get(f.messageId) ?? [];
    list.push(f);
    g.messages.set(f.messageId, list);
    g.count++;
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return [...groups.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || a.rule.localeCompare(b.rule));
}

function bySeverityThenCount(a: Group, b: Group): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.count - a.count || a.rule.localeCompare(b.rule);
}

function sortByPosition(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function byFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const files = new Map<string, Finding[]>();
  for (const f of sortByPosition(findings)) files.set(f.file, [...(files.get(f.file) ?? []), f]);
  return files;
}

const where = (f: Finding) => f.location ?? `${f.line}:${f.column}`;

/**
 * What the findings of one message id have in common, said once: the message (and the fix) itself
 * when every finding says the same; else its template with the shared values filled in and the
 * differing ones named (‹serving reason›), which each object's detail line then gives. Values the
 * object line already shows (its container, its name) are not repeated. Without a template (or
 * data) every object gets its whole message and fix.
 */
interface Shared {
  text: string;
  /** The fix, once; undefined when objects need their own. */
  fix: string | undefined;
  details: (f: Finding) => string[];
}

function sharedExplanation(findings: readonly Finding[], meta: RuleMeta | undefined, messageId: string): Shared {
  const first = findings[0]!;
  const sameFix = new Set(findings.map((f) => f.fix)).size === 1;
  const whole: Shared = {
    text: meta?.summary ?? '',
    fix: sameFix ? first.fix : undefined,
    details: (f) => [f.message, ...(!sameFix && f.fix ? [`fix: ${f.fix}`] : [])],
  };
  if (new Set(findings.map((f) => f.message)).size === 1 && sameFix) return { text: first.message, fix: first.fix, details: () => [] };
  const template = (meta?.messages as Record<string, string> | undefined)?.[messageId];
  if (!template || findings.some((f) => f.data === undefined)) return whole;
  const fixTemplate = sameFix ? undefined : commonFixTemplate(findings, meta!);
  if (!sameFix && fixTemplate === undefined) return whole;
  const names = [...new Set([...placeholdersOf(template), ...placeholdersOf(fixTemplate ?? '')])];
  const differs = names.filter((n) => new Set(findings.map((f) => String(f.data![n]))).size > 1);
  const shown: MessageData = Object.fromEntries(names.map((n) => [n, differs.includes(n) ? `‹${spoken(n)}›` : first.data![n]]));
  return {
    text: renderTemplate(template, shown),
    fix: fixTemplate === undefined ? first.fix : renderTemplate(fixTemplate, shown),
    details: (f) => {
      const values = differs.filter((n) => ![f.container, f.object?.name].includes(String(f.data![n]))).map((n) => `${spoken(n)}: ${f.data![n]}`);
      return values.length === 0 ? [] : [values.join('; ')];
    },
  };
}

/** The one fix template every finding's fix text was rendered from, if there is one. */
function commonFixTemplate(findings: readonly Finding[], meta: RuleMeta): string | undefined {
  const templates = Object.values(meta.fixes as Record<string, string>);
  const render = (tpl: string, data: MessageData | undefined) => {
    try {
      return renderTemplate(tpl, data);
    } catch {
      return undefined;
    }
  };
  return templates.find((tpl) => findings.every((f) => f.fix !== undefined && render(tpl, f.data) === f.fix));
}

/** `servingReason` → `serving reason`. */
function spoken(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
