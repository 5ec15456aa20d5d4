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
    expect(r.stdout).toMatch(/^error pod-shell-command .*\n(?: .*\n)*? {2}deployment\/shop\/worker\n {4}spec\.template\.spec\.containers\[0\]\.args\[0\] /m);
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

  it("judges features by the server's /version: a preStop sleep is unavailable on 1.29, and --kubernetes-version overrides", async () => {
    const kc = await kubeconfig({ serverVersion: { major: '1', minor: '29+', gitVersion: 'v1.29.10-eks-7f9249a' } });
    let r = await runCli(['audit', '--cluster', '--kubeconfig', kc, '--format', 'json']);
    const rulesOn = (out: string, ref: string) =>
      (JSON.parse(out) as { findings: Array<Record<string, any>> }).findings.filter((f) => f.file === ref).map((f) => f.rule);
    expect(rulesOn(r.stdout, 'deployment/shop/web')).toContain('feature-unavailable');
    expect(r.stderr).toContain('judged as Kubernetes 1.29.10, the version the server runs (v1.29.10-eks-7f9249a); --kubernetes-version overrides it');
    expect(cluster.current().requests[0]).toMatchObject({ method: 'GET', path: '/version' });
    r = await runCli(['audit', '--cluster', '--kubeconfig', kc, '--format', 'json', '--kubernetes-version', '1.33']);
    expect(rulesOn(r.stdout, 'deployment/shop/web')).not.toContain('feature-unavailable');
    expect(r.stderr).toContain('judged as Kubernetes 1.33 as configured, although the server runs v1.29.10-eks-7f9249a');
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

describe('zerodrop audit --cluster against a server that is not Kubernetes', () => {
  it('says so (exit 4, cluster-not-kubernetes) instead of calling the objects not found', async () => {
    const { createServer } = await import('node:http');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    // A web server's HTML 404, as a wrong server URL in a kubeconfig meets it.
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body><h1>404 Not Found</h1></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-notkube-'));
    const kc = join(dir, 'kubeconfig');
    writeFileSync(
      kc,
      `apiVersion: v1\nkind: Config\ncurrent-context: web\nclusters:\n- name: web\n  cluster: {server: "http://127.0.0.1:${port}"}\nusers:\n- name: none\n  user: {}\ncontexts:\n- name: web\n  context: {cluster: web, user: none, namespace: shop}\n`,
    );
    try {
      const r = await runCli(['audit', '--cluster', '--kubeconfig', kc]);
      expect(r.stderr).toMatch(
        /^zerodrop: error\[cluster-not-kubernetes\]: http:\/\/127\.0\.0\.1:\d+ \(context "web"\) answered 404 without a Kubernetes Status/m,
      );
      expect(r.stderr).not.toContain('not found');
      expect(r.code).toBe(4);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
