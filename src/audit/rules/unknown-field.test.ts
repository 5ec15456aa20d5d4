import { describe, expect, it } from 'vitest';
import { auditFixture, auditText, ruleFixtureCases } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'unknown-field';

describeFixtureTable(ID);

describe(ID, () => {
  it('names each typo with its correction, at the misspelt key', () => {
    const findings = auditFixture(ruleFixtureCases(ID).find((c) => c.name === 'bad-typos.yaml')!.path, { rules: [ID] });
    expect(findings.map((f) => [f.line, f.message.match(/"(\w+)" in .*did you mean "(\w+)"/)?.slice(1)])).toEqual([
      [12, ['maxUnavaliable', 'maxUnavailable']],
      [17, ['terminationGracePeriodSecond', 'terminationGracePeriodSeconds']],
      [21, ['readynessProbe', 'readinessProbe']],
      [24, ['prestop', 'preStop']],
    ]);
  });

  it('checks init containers and native sidecars too', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: proxy\n    image: x\n    restartPolicy: Always\n    lifecycle: {preStopp: {sleep: {seconds: 5}}}\n  containers:\n  - {name: a, image: x}\n';
    expect(auditText(text, { rules: [ID] }).map((f) => f.container)).toEqual(['proxy']);
  });

  it('flags an unknown field with no close match without guessing', () => {
    const [f] = auditText('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, wibble: 1}\n', { rules: [ID] });
    expect(f!.message).not.toContain('did you mean');
  });
});
