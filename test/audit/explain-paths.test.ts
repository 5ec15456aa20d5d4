/** `zerodrop audit --explain-paths` and the traffic path in JSON findings, through the built CLI. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, json, zerodrop } from './cli.js';

const shop = join(fixturesDir, 'audit', 'paths', 'shop.yaml');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
function withConfig(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'zerodrop-paths-'));
  temps.push(d);
  writeFileSync(join(d, '.zerodrop.yaml'), text);
  return d;
}

describe('audit --explain-paths', () => {
  const r = zerodrop(['audit', shop, '--explain-paths']);

  it('prints every path of each serving workload with its removal time and its source, and exits 0', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deployment shop/storefront\n');
    expect(r.stdout).toContain('  1. AWS NLB (IP targets) through Service shop/storefront port 443 (api)\n');
    expect(r.stdout).toMatch(/removal {4}120 s, default: measured by users/);
    expect(r.stdout).toContain('  2. ingress-nginx through Ingress shop/storefront → Service shop/storefront-web port 80 (http)\n');
    expect(r.stdout).toMatch(/removal {4}5 s, --propagation-seconds \(5 s\)/);
    expect(r.stdout).toContain('readiness gate: target-health.elbv2.k8s.aws');
    expect(r.stdout).toMatch(/needs \(slowest path: AWS NLB \(IP targets\)\) preStop ≥ 120 s, and terminationGracePeriodSeconds ≥\s+125/);
    expect(r.stdout).toContain('1 more workload not serving');
  });

  it('keeps every line within 100 columns', () => {
    const long = r.stdout.split('\n').filter((l) => [...l].length > 100);
    expect(long).toEqual([]);
  });

  it('names the .zerodrop.yaml line that set a path kind, and --propagation-seconds for in-cluster paths', () => {
    const cwd = withConfig('propagationSeconds: 8\npaths:\n  aws-nlb-ip:\n    removalSeconds: 60\n');
    const c = zerodrop(['audit', shop, '--explain-paths'], { cwd });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('60 s, set by');
    expect(c.stdout).toMatch(/\.zerodrop\.yaml:4\s+paths\.aws-nlb-ip\.removalSeconds/);
    expect(c.stdout).toMatch(/8 s, --propagation-seconds \(8 s\)/);
  });

  it('a bad paths: entry is a usage error at its file:line', () => {
    const cwd = withConfig('paths:\n  aws-nbl-ip:\n    removalSeconds: 60\n');
    const c = zerodrop(['audit', shop, '--explain-paths'], { cwd });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/\.zerodrop\.yaml:2:3: unknown path kind "aws-nbl-ip" \(did you mean "aws-nlb-ip"\?\)/);
  });

  it('refuses output formats and fixes it cannot honour', () => {
    const c = zerodrop(['audit', shop, '--explain-paths', '--format', 'json']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--explain-paths prints plain text/);
  });

  it('--help teaches the paths, the annotation and the config section', () => {
    const h = zerodrop(['audit', '--help']);
    expect(h.stdout).toContain('--explain-paths');
    expect(h.stdout).toContain('zerodrop.dev/removal-seconds: "45"');
    expect(h.stdout).toMatch(/paths:\n\s+aws-nlb-ip:\n\s+removalSeconds: 150/);
  });
});

describe('JSON findings judged against a path', () => {
  it('carry the path, its removal time and where that came from', () => {
    const { report } = json(['audit', shop]);
    const f = report.findings.find((x: { rule: string }) => x.rule === 'prestop-shorter-than-propagation');
    expect(f.trafficPath).toEqual({
      kind: 'aws-nlb-ip',
      description: 'AWS NLB (IP targets) through Service shop/storefront port 443 (api)',
      removalSeconds: 120,
      removalFrom: 'default',
    });
    expect(f.message).toContain('removal assumed 120 s');
  });
});
