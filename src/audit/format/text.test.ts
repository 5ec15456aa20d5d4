import { describe, expect, it } from 'vitest';
import { formatText } from './text.js';
import { ruleMetas } from '../rules/index.js';
import type { AuditResult, Finding } from '../types.js';

const deployment = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });
const preStop = (name: string, line: number, servingReason: string): Finding => ({
  rule: 'prestop-missing',
  messageId: 'noPreStop',
  severity: 'error',
  ruleOfUptime: 4,
  message: `container "${name}" has no preStop hook: it gets its stop signal … (${servingReason})`,
  data: { container: name, propagationSeconds: 5, servingReason, seconds: 5 },
  file: 'k8s/shop.yaml',
  line,
  column: 9,
  object: deployment(name),
  container: name,
  fix: 'add lifecycle.preStop.sleep.seconds: 5 (or, if the app itself keeps serving after SIGTERM, annotate zerodrop.dev/in-app-drain: "true")',
});

const result: AuditResult = {
  findings: [
    { rule: 'docker-healthcheck-ignored', messageId: 'ignored', severity: 'info', message: 'ignored', file: 'Dockerfile', line: 2, column: 1 },
    preStop('web', 20, 'served through Ingress shop'),
    {
      rule: 'pdb-missing',
      messageId: 'noBudget',
      severity: 'warning',
      message: 'no PDB',
      file: 'k8s/shop.yaml',
      line: 4,
      column: 3,
      object: deployment('web'),
    },
    preStop('api', 60, 'served through ClusterIP Service api port 80'),
    preStop('cart', 100, 'served through ClusterIP Service cart port 80'),
  ],
  errors: [{ file: 'broken.yaml', line: 3, column: 7, message: 'invalid YAML: bad indentation' }],
};

describe('text report', () => {
  const plain = formatText(result, { color: false, rules: ruleMetas() });

  it('groups by rule, errors first: the explanation and fix once, then one line per object under its file', () => {
    expect(plain.indexOf('error prestop-missing')).toBeLessThan(plain.indexOf('warning pdb-missing'));
    expect(plain.indexOf('warning pdb-missing')).toBeLessThan(plain.indexOf('info docker-healthcheck-ignored'));
    expect(plain).toContain('error prestop-missing · Rule of Uptime 4 · 3 findings\n  container "‹container›" has no preStop hook');
    expect(plain.match(/has no preStop hook/g)).toHaveLength(1);
    expect(plain.match(/fix: add lifecycle\.preStop\.sleep\.seconds: 5/g)).toHaveLength(1);
    expect(plain).toContain(
      '  k8s/shop.yaml\n' +
        '    20:9   Deployment shop/web container web\n' +
        '           serving reason: served through Ingress shop\n' +
        '    60:9   Deployment shop/api container api\n' +
        '           serving reason: served through ClusterIP Service api port 80\n' +
        '    100:9  Deployment shop/cart container cart\n',
    );
  });

  it('lists input errors first, one unwrapped file:line:col line each, and ends with a summary by rule and the totals', () => {
    const long = formatText({ findings: [], errors: [{ file: 'k8s/pdb.yaml', line: 21, column: 5, message: 'word '.repeat(40).trim() }] }, { color: false });
    expect(long).toContain(`  error k8s/pdb.yaml:21:5: ${'word '.repeat(40).trim()}\n`);
    expect(plain.startsWith('Input errors (not audited)\n  error broken.yaml:3:7: invalid YAML: bad indentation\n')).toBe(true);
    expect(plain).toMatch(/Summary by rule\n {2}error {4}prestop-missing +3\n {2}warning {2}pdb-missing +1\n {2}info {5}docker-healthcheck-ignored +1\n/);
    expect(plain).toMatch(/5 findings: 3 errors, 1 warning, 1 info\. 1 input error\./);
  });

  it('fits 100 columns, breaking only between words', () => {
    const long = preStop('web', 20, `served through ${'a-very-long-service-name '.repeat(8)}`);
    const text = formatText({ findings: [long, preStop('api', 30, 'short')], errors: [] }, { color: false, rules: ruleMetas() });
    const lines = text.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(lines.filter((l) => l.includes('a-very-long-service-name')).length).toBeGreaterThan(1);
  });

  it('without templates, each object gets its own message', () => {
    const text = formatText({ findings: [preStop('web', 20, 'one'), preStop('api', 30, 'two')], errors: [] }, { color: false });
    expect(text).toContain('2 findings\n  fix: add lifecycle');
    expect(text).toContain('    20:9  Deployment shop/web container web\n          container "web" has no preStop hook: it gets its stop signal … (one)\n');
  });

  it('counts findings left out by --min-severity in the totals', () => {
    const text = formatText({ findings: [preStop('web', 20, 'x')], errors: [] }, { color: false, hidden: { below: 'warning', count: 4 } });
    expect(text).toContain('1 finding: 1 error, 0 warnings, 0 info. 4 below warning not shown (--min-severity).');
  });

  it('quiet: one line per finding, sorted by position, nothing when clean', () => {
    expect(formatText(result, { color: false, quiet: true })).toBe(
      [
        'broken.yaml:3:7  input-error  invalid YAML: bad indentation',
        'Dockerfile:2:1  info  docker-healthcheck-ignored',
        'k8s/shop.yaml:4:3  warning  pdb-missing  Deployment shop/web',
        'k8s/shop.yaml:20:9  error  prestop-missing  Deployment shop/web container web',
        'k8s/shop.yaml:60:9  error  prestop-missing  Deployment shop/api container api',
        'k8s/shop.yaml:100:9  error  prestop-missing  Deployment shop/cart container cart',
        '',
      ].join('\n'),
    );
    expect(formatText({ findings: [], errors: [] }, { color: false, quiet: true })).toBe('');
  });

  it('uses ANSI colours only when asked (a terminal)', () => {
    expect(plain).not.toMatch(/\u001b\[/);
    expect(formatText(result, { color: true })).toMatch(/\u001b\[31m/);
  });
});
