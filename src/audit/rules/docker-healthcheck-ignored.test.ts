import { describe, expect, it } from 'vitest';
import { auditFixture, auditText, ruleFixtureCases } from '../testing.js';

const ID = 'docker-healthcheck-ignored';

describe(ID, () => {
  it.each(ruleFixtureCases(ID))('fixture $name', (c) => {
    const findings = auditFixture(c.path, { rules: [ID] });
    if (!c.bad) return expect(findings).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    if (c.expectedCount !== undefined) expect(findings).toHaveLength(c.expectedCount);
    for (const f of findings) expect(f.fix, 'every finding says how to fix it').toBeTruthy();
  });

  it('is info: a hint, not a failure', () => {
    const [f] = auditText('FROM node:20\nHEALTHCHECK CMD true\n', { rules: [ID] });
    expect(f!.severity).toBe('info');
  });
});
