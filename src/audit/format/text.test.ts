import { describe, expect, it } from 'vitest';
import { formatText } from './text.js';
import type { AuditResult } from '../types.js';

const result: AuditResult = {
  findings: [
    {
      rule: 'prestop-missing',
      messageId: 'noPreStop',
      severity: 'error',
      message: 'no preStop',
      file: 'k8s/a.yaml',
      line: 20,
      column: 9,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'a' },
      container: 'app',
      fix: 'add a preStop sleep',
    },
    { rule: 'docker-healthcheck-ignored', messageId: 'ignored', severity: 'info', message: 'ignored', file: 'Dockerfile', line: 2, column: 1 },
    {
      rule: 'pdb-missing',
      messageId: 'noBudget',
      severity: 'warning',
      message: 'no PDB',
      file: 'k8s/a.yaml',
      line: 4,
      column: 3,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'a' },
    },
  ],
  errors: [{ file: 'broken.yaml', line: 3, column: 7, message: 'invalid YAML: bad indentation' }],
};

describe('text report', () => {
  const plain = formatText(result, { color: false });
  it('groups findings by file, each with position, severity, rule, object, container, message and fix', () => {
    expect(plain).toContain(
      'k8s/a.yaml\n  20:9    error   prestop-missing  Deployment default/a container app\n          no preStop\n          fix: add a preStop sleep\n',
    );
    expect(plain.indexOf('k8s/a.yaml')).toBeLessThan(plain.indexOf('Dockerfile'));
    expect(plain.match(/k8s\/a\.yaml\n/g)).toHaveLength(1);
  });
  it('lists input errors as file:line:col and ends with a summary', () => {
    expect(plain).toContain('broken.yaml:3:7: invalid YAML: bad indentation');
    expect(plain).toMatch(/3 findings: 1 error, 1 warning, 1 info\. 1 input error\./);
  });
  it('uses ANSI colours only when asked (a terminal)', () => {
    expect(plain).not.toMatch(/\u001b\[/);
    expect(formatText(result, { color: true })).toMatch(/\u001b\[31m/);
  });
});
