import { describe, expect, it } from 'vitest';
import { auditFixture, auditText, ruleFixtureCases } from '../testing.js';

const ID = 'uwsgi-sigterm-reload';

describe(ID, () => {
  it.each(ruleFixtureCases(ID))('fixture $name', (c) => {
    const findings = auditFixture(c.path, { rules: [ID] });
    if (!c.bad) return expect(findings).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    if (c.expectedCount !== undefined) expect(findings).toHaveLength(c.expectedCount);
    for (const f of findings) expect(f.fix, 'every finding says how to fix it').toBeTruthy();
  });

  const cases: Array<[string, string, number]> = [
    ['uwsgi in shell form', 'FROM python:3.12\nCMD uwsgi --http :8080 --module app:app\n', 1],
    ['die-on-term flag', 'FROM python:3.12\nCMD ["uwsgi", "--die-on-term", "--http", ":8080"]\n', 0],
    ['die-on-term via env', 'FROM python:3.12\nENV UWSGI_DIE_ON_TERM=1\nCMD ["uwsgi", "--http", ":8080"]\n', 0],
    ['not uwsgi', 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n', 0],
  ];
  it.each(cases)('%s', (_name, text, n) => {
    expect(auditText(text, { rules: [ID] })).toHaveLength(n);
  });

  it('says when an ini file might set die-on-term', () => {
    const [f] = auditText('FROM python:3.12\nCMD ["uwsgi", "--ini", "/etc/app.ini"]\n', { rules: [ID] });
    expect(f!.message).toMatch(/cannot see/);
  });
});
