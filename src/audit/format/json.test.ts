import { describe, expect, it } from 'vitest';
import { auditBadFixtures } from '../rules/fixtures/badFixtures.js';
import { ruleById } from '../rules/index.js';
import { toJsonReport } from './json.js';

describe('JSON findings', () => {
  const run = auditBadFixtures();
  const report = toJsonReport(run);

  it('carry the stable messageId of a message their rule declares', () => {
    expect(report.findings.length).toBeGreaterThan(50);
    for (const f of report.findings) expect(Object.keys(ruleById(f.rule)[0]!.meta.messages), `${f.rule}`).toContain(f.messageId);
    expect(new Set(report.findings.map((f) => `${f.rule}/${f.messageId}`)).size).toBeGreaterThan(40);
  });

  it('keep the rendered message and leave the template data out', () => {
    report.findings.forEach((f, i) => {
      expect(f.message).toBe(run.findings[i]!.message);
      expect(Object.keys(f)).not.toContain('data');
    });
  });
});
