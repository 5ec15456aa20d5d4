import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'deprecated-workload-api';

describeFixtureTable(ID);

describe(ID, () => {
  it('names the defaults that change when an extensions/v1beta1 Deployment moves to apps/v1 (§3.3)', () => {
    const [f] = auditText(
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n',
      { rules: [ID] },
    );
    expect(f!.message).toContain('maxUnavailable 1 → 25%');
    expect(f!.message).toContain('progressDeadlineSeconds unset → 600');
    expect([f!.line, f!.column]).toEqual([1, 13]);
  });

  it('does not list defaults the manifest sets explicitly', () => {
    const [f] = auditText(
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  progressDeadlineSeconds: 120\n  revisionHistoryLimit: 3\n  strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}\n  template: {spec: {containers: [{name: a, image: x}]}}\n',
      { rules: [ID] },
    );
    expect(f!.message).not.toContain('→');
  });
});
