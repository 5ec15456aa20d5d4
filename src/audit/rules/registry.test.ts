import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules, ruleById, ruleMetas } from './index.js';
import { ruleDocsPath } from '../docs.js';
import { placeholdersOf } from '../messages.js';
import { expectedMarkers } from './fixtures/markers.js';

// The docs table (docs/rules/README.md) is the documented contract for severities; the registry
// must agree with it, and every rule needs its page, its fixtures, its test and its messages.
const table = readFileSync(new URL('../../../docs/rules/README.md', import.meta.url), 'utf8');
const rows = new Map(
  [...table.matchAll(/^\| \[([a-z0-9-]+)\]\([a-z0-9-]+\.md\) \| ([0-9]|–) \| (error|warning|info) \|/gm)].map((m) => [
    m[1]!,
    { uptime: m[2] === '–' ? null : Number(m[2]), severity: m[3]! },
  ]),
);
const ids = ruleMetas().map((m) => m.id);
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
/** A rule's source with the support modules it imports: per-server checks may report from there (server-drain-exceeds-grace). */
const sourceOf = (id: string) => {
  const own = read(`./${id}.ts`);
  return [own, ...[...own.matchAll(/from '\.\/support\/([\w-]+)\.js'/g)].map((m) => read(`./support/${m[1]}.ts`))].join('\n');
};

/**
 * The ids a `key:` (or `key =`) expression in a rule's source can evaluate to: a literal, or the literal branches
 * of a conditional (`messageId: a ? 'x' : 'y'` gives x and y; `f('z') ? …` and `s === 'z'` give no z).
 */
function literalsAfter(source: string, key: 'messageId' | 'fixId'): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(new RegExp(`\\b${key}\\s*[:=](?!=)`, 'g'))) {
    const start = m.index + m[0].length;
    let depth = 0;
    let end = start;
    for (; end < source.length; end++) {
      const ch = source[end]!;
      if (ch === "'") end = source.indexOf("'", end + 1);
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch) && depth-- === 0) break;
      else if ((ch === ',' || ch === ';') && depth === 0) break;
    }
    out.push(...[...source.slice(start, end).matchAll(/(?:^|[?:])\s*'([A-Za-z]\w*)'/g)].map((l) => l[1]!));
  }
  return out;
}

describe('rule registry', () => {
  it('has unique ids per meta and one meta per id', () => {
    const metas = new Map<string, unknown>();
    for (const r of allRules) {
      if (metas.has(r.meta.id)) expect(metas.get(r.meta.id), `${r.meta.id} shares one meta object`).toBe(r.meta);
      metas.set(r.meta.id, r.meta);
    }
    expect(metas.size).toBe(ruleMetas().length);
  });

  it.each(ruleMetas().map((m) => [m.id, m] as const))('%s is documented in the table with the same Rule of Uptime and severity', (id, meta) => {
    expect(rows.get(id)).toEqual({ uptime: meta.ruleOfUptime, severity: meta.severity });
  });

  it.each(ids)('%s has a docs page with what, why, bad, good, fix and suppress sections', (id) => {
    const page = readFileSync(ruleDocsPath(id), 'utf8');
    for (const section of ['## What', '## Why', '## Bad', '## Good', '## Fix', '## Suppress']) expect(page, `${id}.md ${section}`).toContain(section);
  });

  it.each(ids)('%s has bad and good fixtures and a test that runs them through the rule tester', (id) => {
    expect(existsSync(new URL(`./fixtures/${id}/`, import.meta.url)), `fixtures/${id}`).toBe(true);
    const test = new URL(`./${id}.test.ts`, import.meta.url);
    expect(existsSync(test)).toBe(true);
    // testRule also asserts that the cases and fixtures report every message and fix the rule declares.
    expect(readFileSync(test, 'utf8')).toMatch(new RegExp(`testRule\\('${id}',`));
  });

  it.each(ruleMetas().map((m) => [m.id, m] as const))('%s declares its messages and fixes as templates with stable camelCase ids', (_id, meta) => {
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    expect(Object.keys(meta.fixes).length).toBeGreaterThan(0);
    for (const [key, template] of [...Object.entries(meta.messages), ...Object.entries(meta.fixes)]) {
      expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      // A `{{` or `}}` that is not part of a placeholder is a typo, not a literal brace.
      expect(template.replace(/\{\{\s*[A-Za-z_]\w*\s*\}\}/g, ''), `${key}: ${template}`).not.toMatch(/\{\{|\}\}/);
      expect(placeholdersOf(template).length + template.length).toBeGreaterThan(0);
    }
  });

  it.each(ids)('%s reports only messageIds and fixIds it declares', (id) => {
    const { messages, fixes } = ruleById(id)[0]!.meta;
    const source = sourceOf(id);
    expect([...literalsAfter(source, 'messageId'), ...literalsAfter(source, 'fixId')].length, 'the ids this test reads from the source').toBeGreaterThan(0);
    expect(literalsAfter(source, 'messageId').filter((m) => !Object.hasOwn(messages, m))).toEqual([]);
    expect(literalsAfter(source, 'fixId').filter((f) => !Object.hasOwn(fixes, f))).toEqual([]);
  });

  it('fixture markers everywhere name a registered rule and a message it declares', () => {
    const root = new URL('./fixtures/', import.meta.url);
    for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(new URL(`${dir.name}/`, root))) {
        const text = readFileSync(new URL(`${dir.name}/${name}`, root), 'utf8');
        for (const m of expectedMarkers(text, name.endsWith('Dockerfile') ? 'dockerfile' : 'yaml')) {
          const [rule] = ruleById(m.rule);
          expect(rule, `${dir.name}/${name}:${m.line} names rule ${m.rule}`).toBeDefined();
          expect(Object.keys(rule!.meta.messages), `${dir.name}/${name}:${m.line}`).toContain(m.messageId);
        }
      }
    }
  });
});
