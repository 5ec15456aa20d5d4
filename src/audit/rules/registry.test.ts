import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules, ruleMetas } from './index.js';
import { ruleDocsPath } from '../docs.js';

// The docs table (docs/rules/README.md) is the documented contract for severities; the registry
// must agree with it, and every rule needs its page, its fixtures and its test (issue 2).
const table = readFileSync(new URL('../../../docs/rules/README.md', import.meta.url), 'utf8');
const rows = new Map(
  [...table.matchAll(/^\| \[([a-z0-9-]+)\]\([a-z0-9-]+\.md\) \| ([0-9]|–) \| (error|warning|info) \|/gm)].map((m) => [
    m[1]!,
    { uptime: m[2] === '–' ? null : Number(m[2]), severity: m[3]! },
  ]),
);

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

  it.each(ruleMetas().map((m) => m.id))('%s has a docs page with what, why, bad, good, fix and suppress sections', (id) => {
    const page = readFileSync(ruleDocsPath(id), 'utf8');
    for (const section of ['## What', '## Why', '## Bad', '## Good', '## Fix', '## Suppress']) expect(page, `${id}.md ${section}`).toContain(section);
  });

  it.each(ruleMetas().map((m) => m.id))('%s has bad and good fixtures and a test', (id) => {
    const dir = new URL(`./fixtures/${id}/`, import.meta.url);
    expect(existsSync(dir), `fixtures/${id}`).toBe(true);
    expect(existsSync(new URL(`./${id}.test.ts`, import.meta.url))).toBe(true);
  });
});
