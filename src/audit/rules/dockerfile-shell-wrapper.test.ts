import { describe, expect, it } from 'vitest';
import { auditFixture, auditText, ruleFixtureCases } from '../testing.js';

const ID = 'dockerfile-shell-wrapper';

describe(ID, () => {
  it.each(ruleFixtureCases(ID))('fixture $name', (c) => {
    const findings = auditFixture(c.path, { rules: [ID] });
    if (!c.bad) return expect(findings).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    if (c.expectedCount !== undefined) expect(findings).toHaveLength(c.expectedCount);
    for (const f of findings) expect(f.fix, 'every finding says how to fix it').toBeTruthy();
  });

  const cases: Array<[string, string, number]> = [
    ['sh -c with a list of commands (dash stays PID 1, §6.1)', 'FROM node:20\nCMD ["sh", "-c", "node a.js; node b.js"]\n', 1],
    ['bash -c via ENTRYPOINT with CMD appended', 'FROM node:20\nENTRYPOINT ["/bin/bash", "-c"]\nCMD ["node server.js"]\n', 1],
    ['pnpm start', 'FROM node:20\nCMD ["pnpm", "start"]\n', 1],
    ['npx', 'FROM node:20\nCMD ["npx", "serve"]\n', 1],
    ['dumb-init in front of npm', 'FROM node:20\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["npm", "start"]\n', 0],
    ['tini -g in front of sh -c', 'FROM node:20\nENTRYPOINT ["tini", "-g", "--", "sh", "-c", "node a.js; node b.js"]\n', 0],
    ['node directly', 'FROM node:20\nCMD ["node", "server.js"]\n', 0],
    ['shell form is the other rule', 'FROM node:20\nCMD npm start\n', 0],
  ];
  it.each(cases)('%s', (_name, text, n) => {
    expect(auditText(text, { rules: [ID] })).toHaveLength(n);
  });

  it('suggests exec on the last command of the script', () => {
    const [f] = auditText('FROM node:20\nCMD ["sh", "-c", "node migrate.js && node server.js"]\n', { rules: [ID] });
    expect(f!.fix).toContain('"node migrate.js && exec node server.js"');
  });
});
