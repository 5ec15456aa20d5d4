import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_GROUPS, UNGROUPED, groupRules } from '../ruleGroups.js';
import { rulesMarkdown, rulesText, TABLE_END, TABLE_START } from '../rulesList.js';
import type { RuleMeta } from '../types.js';
import { ruleMetas } from './index.js';

// Every rule is listed under what it looks at (meta.looksAt, src/audit/ruleGroups.ts), in
// `zerodrop rules` and in docs/rules/README.md, whose tables are written from the metas.

const README = new URL('../../../docs/rules/README.md', import.meta.url);
const groupIds = RULE_GROUPS.map((g) => g.id as string);

describe('rule groups', () => {
  it('every rule names the group of what it looks at', () => {
    const ungrouped = ruleMetas()
      .filter((m) => !m.looksAt || !groupIds.includes(m.looksAt))
      .map((m) => `${m.id} (looksAt: ${m.looksAt ?? 'missing'})`);
    expect(ungrouped, `add looksAt to these rules' meta, one of ${groupIds.join(', ')} (src/audit/ruleGroups.ts)`).toEqual([]);
  });

  it('every group holds at least one rule, and group ids and titles are unique', () => {
    const used = new Set(ruleMetas().map((m) => m.looksAt));
    expect(groupIds.filter((g) => !used.has(g as RuleMeta['looksAt']))).toEqual([]);
    expect(new Set(groupIds).size).toBe(groupIds.length);
    expect(new Set(RULE_GROUPS.map((g) => g.title)).size).toBe(RULE_GROUPS.length);
  });

  it('a rule merged without a group is still listed, under its own heading, never dropped', () => {
    const stray = { ...ruleMetas()[0]!, id: 'new-rule-from-a-branch' };
    delete stray.looksAt;
    const groups = groupRules([...ruleMetas(), stray]);
    expect(groups.at(-1)).toMatchObject({ id: UNGROUPED.id, rules: [stray] });
    expect(rulesText([stray])).toMatch(new RegExp(`${UNGROUPED.title}\\nnew-rule-from-a-branch `));
  });

  it('docs/rules/README.md lists the rules in the same groups and order (node scripts/write-rules-table.mjs rewrites it)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'the README keeps the table markers').toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + TABLE_END.length), 'docs/rules/README.md is out of date: run `npm run build && node scripts/write-rules-table.mjs`').toBe(
      rulesMarkdown(ruleMetas()),
    );
  });

  it('zerodrop rules prints each group heading once, in the order of RULE_GROUPS, with its rules under it', () => {
    const text = rulesText(ruleMetas());
    const headings = RULE_GROUPS.map((g) => text.indexOf(`\n${g.title}\n`));
    expect(headings.every((i) => i > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    for (const m of ruleMetas()) {
      const at = text.search(new RegExp(`^${m.id} `, 'm'));
      const group = RULE_GROUPS.findIndex((g) => g.id === m.looksAt);
      expect(at, m.id).toBeGreaterThan(headings[group]!);
      if (group + 1 < headings.length) expect(at, m.id).toBeLessThan(headings[group + 1]!);
    }
  });
});
