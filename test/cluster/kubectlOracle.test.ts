import { afterEach, describe, expect, it } from 'vitest';
import { fakeClusters, waitFor, writeKubeconfig } from './cli.js';
import type { FakeKubeApi, LoggedRequest } from './fakeKubeApi.js';
import { KUBECTL, kubectl, startKubectl, type KubectlRun } from './helpers/kubectl.js';
import { KubeApiClient } from '../../src/cluster/apiClient.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { ListWatch, type ObjectChange } from '../../src/cluster/listWatch.js';
import { RESOURCES, resourcePath } from '../../src/cluster/resources.js';
import { applyTrigger } from '../../src/cluster/rolloutPatch.js';
import { rolloutTrigger } from '../../src/cluster/rolloutTrigger.js';
import { EventStream } from '../../src/events/stream.js';
import { deploymentRolloutStatus, type DeploymentLike } from '../../src/k8s/rolloutStatus.js';
import type { KubeObject } from '../../src/k8s/objects.js';

/**
 * Real kubectl (client-go) against the fake: it must decode everything the fake sends, agree with
 * zerodrop on when a rollout is complete and on every watch event, and it records the requests
 * zerodrop's one write must match. Skips (loudly, see helpers/kubectl.ts) without kubectl.
 */
const cluster = fakeClusters();
const running: KubectlRun[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const k of running.splice(0)) k.child.kill('SIGKILL');
  for (const s of stops.splice(0).reverse()) await s();
});

const fromKubectl = (r: LoggedRequest) => r.headers.userAgent?.startsWith('kubectl/') === true;
const web = resourcePath(RESOURCES.deployments, 'shop', 'web');

function watchJson(run: KubectlRun): Array<{ type: string; object: Record<string, any> }> {
  // With --output-watch-events, -o json prints each event as one compact JSON line.
  return run
    .stdout()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; object: Record<string, any> });
}

/** What `kubectl rollout status` prints for each Deployment object it sees, by zerodrop's reading of the same objects. */
function ourStatusLines(fake: FakeKubeApi, fromRv: number): string[] {
  const objects = fake.history.filter((h) => h.resource === 'deployments' && h.rv <= fromRv).slice(-1);
  objects.push(...fake.history.filter((h) => h.resource === 'deployments' && h.rv > fromRv));
  const lines: string[] = [];
  for (const { object } of objects) {
    const status = deploymentRolloutStatus(object as DeploymentLike);
    if (status.state === 'deadline-exceeded') return [...lines, `error: ${status.message}`];
    lines.push(status.message);
    if (status.done) break;
  }
  return lines;
}

describe.skipIf(!KUBECTL)('the fake API server, checked by real kubectl', () => {
  it('kubectl rollout restart sends what zerodrop --restart sends: the same PATCH, path and content type; only the field manager and the time differ', async () => {
    const { fake, kubeconfig } = await cluster();
    const r = await kubectl(['rollout', 'restart', 'deployment/web', '-n', 'shop'], { kubeconfig });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('deployment.apps/web restarted\n');
    const theirs = fake.patches().find(fromKubectl)!;
    const client = new KubeApiClient(loadKubeconfig({ kubeconfig }));
    stops.push(() => client.close());
    const deployment = await client.rawJson<KubeObject>({ verb: 'get', resource: RESOURCES.deployments }, web);
    await applyTrigger(client, 'shop', 'web', rolloutTrigger(deployment, { kind: 'restart' }, new Date())!, new EventStream('t'));
    const ours = fake.patches().find((p) => !fromKubectl(p))!;
    const stamp = /"kubectl\.kubernetes\.io\/restartedAt":"[^"]+"/;
    expect(theirs.raw).toMatch(stamp);
    expect(ours.raw.replace(stamp, 'X')).toBe(theirs.raw.replace(stamp, 'X'));
    expect([ours.method, ours.path, ours.contentType]).toEqual([theirs.method, theirs.path, theirs.contentType]);
    expect(theirs.query).toEqual({ fieldManager: 'kubectl-rollout' });
    expect(ours.query).toEqual({ fieldManager: 'zerodrop' });
  });

  it('kubectl set image sends byte for byte the body zerodrop --image sends (over HTTPS with a client certificate)', async () => {
    const { fake, dir } = await cluster({ tls: true });
    const pki = fake.pki!;
    const kubeconfig = writeKubeconfig(
      dir,
      fake.url,
      { cluster: { 'certificate-authority': pki.caFile }, user: { 'client-certificate': pki.clientCertFile, 'client-key': pki.clientKeyFile } },
      'kc',
    );
    const r = await kubectl(['set', 'image', 'deployment/web', 'app=ghcr.io/example/web:1.1.0', '-n', 'shop'], { kubeconfig });
    expect(r.code, r.stderr).toBe(0);
    const theirs = fake.patches().find(fromKubectl)!;
    expect(theirs.user).toBe('ci-deployer');
    const before = fake.history.find((h) => h.resource === 'deployments')!.object as KubeObject;
    const ours = rolloutTrigger(before, { kind: 'image', container: 'app', image: 'ghcr.io/example/web:1.1.0' }, new Date())!;
    expect(theirs.raw).toBe(JSON.stringify(ours.patch));
    expect(theirs.query).toEqual({ fieldManager: 'kubectl-set' });
    expect(theirs.contentType).toBe('application/strategic-merge-patch+json');
  });

  it('during a rollout, kubectl rollout status and kubectl get -w agree with zerodrop on the completion point and on every event', async () => {
    const { fake, kubeconfig } = await cluster({ stepMs: 150 });
    const client = new KubeApiClient(loadKubeconfig({ kubeconfig }));
    stops.push(() => client.close());
    const ours: Record<string, ObjectChange[]> = { pods: [], endpointslices: [] };
    for (const [key, options] of [
      ['pods', { resource: RESOURCES.pods, namespace: 'shop', labelSelector: 'app=web' }],
      ['endpointslices', { resource: RESOURCES.endpointslices, namespace: 'shop', labelSelector: 'kubernetes.io/service-name=web' }],
    ] as const) {
      const w = new ListWatch(client, options, (c) => ours[key]!.push(c));
      await w.start();
      stops.push(() => w.stop());
    }
    const pods = startKubectl(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-w', '-o', 'json', '--output-watch-events'], { kubeconfig });
    const slices = startKubectl(['get', 'endpointslices', '-n', 'shop', '-l', 'kubernetes.io/service-name=web', '-w', '-o', 'json', '--output-watch-events'], {
      kubeconfig,
    });
    running.push(pods, slices);
    await waitFor(() => fake.openWatches('pods') === 2 && fake.openWatches('endpointslices') === 2);
    const initial = { pods: watchJson(pods).length, endpointslices: watchJson(slices).length };
    expect(initial).toEqual({ pods: 2, endpointslices: 1 });

    const restart = await kubectl(['rollout', 'restart', 'deployment/web', '-n', 'shop'], { kubeconfig });
    expect(restart.code, restart.stderr).toBe(0);
    const status = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout', '30s'], { kubeconfig });
    expect(status.code, status.stderr).toBe(0);
    await fake.rolloutDone;
    // Every pod event is written by now; wait until both clients have read the last one.
    await waitFor(
      () =>
        ours.pods!.filter((c) => c.type === 'DELETED').length === 2 &&
        watchJson(pods).length - initial.pods === ours.pods!.length &&
        watchJson(slices).length - initial.endpointslices === ours.endpointslices!.length,
      5000,
    );

    // Completion: kubectl printed one line per Deployment object it saw; zerodrop reads the same objects the same way.
    const statusWatch = fake.requests.find((r) => fromKubectl(r) && r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.query.watch === 'true')!;
    expect(status.stdout.trimEnd().split('\n')).toEqual(ourStatusLines(fake, Number(statusWatch.query.resourceVersion)));
    expect(status.stdout.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    // ... while an old pod was still terminating: its exit (and any late drop) came after kubectl was done.
    const completeRv = fake.history.find(
      (h) => h.resource === 'deployments' && h.object.metadata.generation === 2 && deploymentRolloutStatus(h.object as DeploymentLike).done,
    )!.rv;
    expect(fake.history.some((h) => h.resource === 'pods' && h.type === 'DELETED' && h.rv > completeRv)).toBe(true);

    // Events: client-go decoded every one, in the order zerodrop's watch delivered them.
    const key = (type: string, o: Record<string, any>) => `${type} ${o.metadata.name} ${o.metadata.resourceVersion}`;
    for (const [name, run] of [
      ['pods', pods],
      ['endpointslices', slices],
    ] as const) {
      const theirs = watchJson(run).slice(initial[name]);
      expect(theirs.map((e) => key(e.type, e.object))).toEqual(ours[name]!.map((c) => key(c.type, c.object as Record<string, any>)));
    }
    expect(ours.pods!.filter((c) => c.type === 'DELETED')).toHaveLength(2);
  });

  it('on a stuck rollout kubectl rollout status and zerodrop both see the progress deadline at the same object', async () => {
    const { fake, kubeconfig } = await cluster({ scenario: 'stuck', stepMs: 100 });
    expect((await kubectl(['rollout', 'restart', 'deployment/web', '-n', 'shop'], { kubeconfig })).code).toBe(0);
    const status = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout', '30s'], { kubeconfig });
    expect(status.code).toBe(1);
    expect(status.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
    const statusWatch = fake.requests.find((r) => fromKubectl(r) && r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.query.watch === 'true')!;
    const lines = ourStatusLines(fake, Number(statusWatch.query.resourceVersion));
    expect(`${status.stdout}${status.stderr}`.trimEnd().split('\n')).toEqual(lines);
  });

  it("kubectl finds every resource zerodrop uses through the fake's discovery, and reads /version", async () => {
    const { kubeconfig } = await cluster();
    const r = await kubectl(['api-resources', '-o', 'name'], { kubeconfig });
    expect(r.code, r.stderr).toBe(0);
    for (const name of [
      'deployments.apps',
      'pods',
      'services',
      'endpointslices.discovery.k8s.io',
      'horizontalpodautoscalers.autoscaling',
      'ingresses.networking.k8s.io',
      'poddisruptionbudgets.policy',
    ]) {
      expect(r.stdout.split('\n')).toContain(name);
    }
    const v = await kubectl(['version', '-o', 'json'], { kubeconfig });
    expect(JSON.parse(v.stdout).serverVersion).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.4' });
  });
});
