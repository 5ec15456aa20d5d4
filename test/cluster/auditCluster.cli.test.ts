import { describe, expect, it } from 'vitest';
import { fakeClusters, runCli } from './cli.js';

const cluster = fakeClusters({ live: true });
const kubeconfig = cluster.kubeconfig;

describe('zerodrop audit --cluster (live objects from the fake API)', () => {
  it('reports findings on live objects by kind/namespace/name and a location inside the object', async () => {
    const kc = await kubeconfig();
    const r = await runCli(['audit', '--cluster', '--kubeconfig', kc, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<Record<string, any>> };
    const shell = report.findings.find((f) => f.rule === 'pod-shell-command');
    expect(shell).toMatchObject({
      file: 'deployment/shop/worker',
      location: 'spec.template.spec.containers[0].args[0]',
      object: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
      container: 'worker',
    });
    expect(report.findings.every((f) => /^[a-z]+\/shop\/[a-z-]+$/.test(f.file))).toBe(true);
    expect(r.stderr).toContain('audited 8 live objects in namespace shop (context fake)');
    // Read-only: only LIST calls reached the API.
    expect(cluster.current().requests.every((q) => q.method === 'GET' && q.query.watch === undefined)).toBe(true);
  });

  it('text output names the object and the location, not line numbers', async () => {
    const kc = await kubeconfig();
    const r = await runCli(['audit', '--cluster', '--kubeconfig', kc, '-n', 'shop']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('deployment/shop/worker');
    expect(r.stdout).toMatch(/spec\.template\.spec\.containers\[0\]\.args\[0\]\s+error\s+pod-shell-command/);
  });

  it('--all-namespaces reads cluster-wide lists', async () => {
    const kc = await kubeconfig();
    const r = await runCli(['audit', '--cluster', '--kubeconfig', kc, '-A', '--format', 'json']);
    expect(r.stderr).toContain('in all namespaces');
    expect(cluster.current().requests.some((q) => q.path === '/apis/apps/v1/daemonsets')).toBe(true);
  });

  it('a forbidden related kind is skipped and named; a forbidden workload kind is exit 4', async () => {
    let kc = await kubeconfig({ forbid: [{ verb: 'list', resource: 'ingresses' }] });
    let r = await runCli(['audit', '--cluster', '--kubeconfig', kc]);
    expect(r.stderr).toContain('not audited: ingresses.networking.k8s.io (forbidden: grant list)');
    kc = await kubeconfig({ forbid: [{ verb: 'list', resource: 'statefulsets' }] });
    r = await runCli(['audit', '--cluster', '--kubeconfig', kc]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot list statefulsets.apps in namespace "shop"');
  });

  it.each([
    [['audit', '--cluster', 'k8s/'], 'give no PATH'],
    [['audit', 'k8s/', '-n', 'shop'], 'only apply with --cluster'],
    [['audit', '--cluster', '-n', 'shop', '-A'], 'choose one of -n NAMESPACE and --all-namespaces'],
    [['audit', '--cluster', '--fix-in-place'], 'use --fix to print patches'],
  ])('usage error %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
