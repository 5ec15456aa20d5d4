/**
 * The rule list in its three forms, all from the registry and the groups of src/audit/ruleGroups.ts:
 * `zerodrop rules` as text or JSON, and the tables of docs/rules/README.md (written by
 * scripts/write-rules-table.mjs, compared by a test).
 */
import { groupRules } from './ruleGroups.js';
import type { RuleMeta } from './types.js';

export function rulesText(metas: readonly RuleMeta[]): string {
  const width = Math.max(...metas.map((m) => m.id.length));
  const lines = [`${'RULE'.padEnd(width)}  UPTIME  SEVERITY  FIX  SUMMARY`];
  for (const g of groupRules(metas)) {
    lines.push('', g.title);
    for (const m of g.rules)
      lines.push(
        `${m.id.padEnd(width)}  ${(m.ruleOfUptime ? `#${m.ruleOfUptime}` : '-').padEnd(6)}  ${m.severity.padEnd(8)}  ${m.fixable ? 'yes' : '   '}  ${m.summary}`,
      );
  }
  lines.push('', `${metas.length} rules. 'zerodrop explain RULE' prints one rule's page; set severities in .zerodrop.yaml.`);
  return `${lines.join('\n')}\n`;
}

export function rulesJson(metas: readonly RuleMeta[]): string {
  const groups = groupRules(metas);
  const doc = {
    groups: groups.map((g) => ({ id: g.id, title: g.title, rules: g.rules.map((m) => m.id) })),
    rules: groups.flatMap((g) =>
      g.rules.map((m) => ({ id: m.id, looksAt: g.id, ruleOfUptime: m.ruleOfUptime, severity: m.severity, fixable: m.fixable === true, summary: m.summary })),
    ),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const TABLE_START = '<!-- rules table: written by scripts/write-rules-table.mjs from the rule metas; do not edit by hand -->';
export const TABLE_END = '<!-- end of rules table -->';

/** The grouped tables of docs/rules/README.md, between the two markers. */
export function rulesMarkdown(metas: readonly RuleMeta[]): string {
  const out = [TABLE_START];
  for (const g of groupRules(metas)) {
    out.push('', `### ${g.title}`, '', '| Rule | Rule of Uptime | Severity | Summary |', '|---|---|---|---|');
    for (const m of g.rules) out.push(`| [${m.id}](${m.id}.md) | ${m.ruleOfUptime ?? '–'} | ${m.severity} | ${m.summary} |`);
  }
  out.push('', TABLE_END);
  return out.join('\n');
}

/** The README with its tables replaced by these (the markers must be there). */
export function withRulesMarkdown(readme: string, metas: readonly RuleMeta[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/rules/README.md has no rules-table markers');
  return readme.slice(0, start) + rulesMarkdown(metas) + readme.slice(end + TABLE_END.length);
}
