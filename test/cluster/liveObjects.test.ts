import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fakeClusters } from './cli.js';
import { listLiveObjects } from '../../src/cluster/liveObjects.js';
import { kubernetesVersionOf } from '../../src/cluster/serverVersion.js';
import { liveObjectYaml, locationAt } from '../../src/cluster/liveLocation.js';
import { ZerodropError } from '../../src/errors.js';

const cluster = fakeClusters({ live: true });
const kubeconfig = cluster.kubeconfig;

describe('listLiveObjects (audit --cluster input)', () => {
  it("reads the context's namespace as plain manifests named kind/namespace/name", async () => {
    const live = await listLiveObjects({ kubeconfig: await kubeconfig() });
    expect(live.namespace).toBe('shop');
    expect(live.objects.map((o) => o.ref)).toEqual([
      'deployment/shop/web',
      'deployment/shop/worker',
      'statefulset/shop/db',
      // Lists come back in etcd key order (namespace/name), as from a real API server.
      'service/shop/admin',
      'service/shop/web',
      'poddisruptionbudget/shop/web',
      'horizontalpodautoscaler/shop/web',
      'ingress/shop/web',
    ]);
    const web = live.objects[0]!.object;
    expect(live.objects[1]!.object.metadata).not.toHaveProperty('managedFields');
    // List items lack apiVersion/kind on the wire; server bookkeeping is gone, annotations the audit reads stay.
    expect(web).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': '1' } },
    });
    expect(web.status).toBeUndefined();
    expect(web.metadata).not.toHaveProperty('uid');
    const ingress = live.objects.find((o) => o.ref === 'ingress/shop/web')!.object;
    expect(ingress.metadata?.annotations).toBeUndefined();
    expect(cluster.current().requests.every((r) => r.method === 'GET' && !r.query.watch)).toBe(true);
    expect(live.notes).toEqual([]);
  });

  it('lists in pages of 500 as kubectl get does, and reads the server version', async () => {
    const live = await listLiveObjects({ kubeconfig: await kubeconfig() });
    const lists = cluster.current().requests.filter((r) => r.path !== '/version');
    expect(lists.every((r) => r.query.limit === '500')).toBe(true);
    expect(live.serverVersion).toEqual({ version: { major: 1, minor: 31, patch: 4 }, gitVersion: 'v1.31.4' });
  });

  it.each([
    [
      { major: '1', minor: '31', gitVersion: 'v1.31.4-eks-2d5f260' },
      { major: 1, minor: 31, patch: 4 },
    ],
    [
      { major: '1', minor: '30+', gitVersion: 'v1.30.5-gke.1014001' },
      { major: 1, minor: 30, patch: 5 },
    ],
    [
      { major: '1', minor: '29+' },
      { major: 1, minor: 29 },
    ],
    [{ gitVersion: 'weird' }, undefined],
  ])('/version %j is Kubernetes %j', (info, version) => {
    expect(kubernetesVersionOf(info)?.version).toEqual(version);
  });

  it('--all-namespaces lists cluster-wide', async () => {
    const live = await listLiveObjects({ kubeconfig: await kubeconfig(), allNamespaces: true });
    expect(live.namespace).toBeUndefined();
    expect(live.objects.map((o) => o.ref)).toContain('daemonset/kube-system/log-agent');
    expect(cluster.current().requests.some((r) => r.path === '/apis/apps/v1/deployments')).toBe(true);
  });

  it('skips a related kind it may not list, and says so', async () => {
    const live = await listLiveObjects({ kubeconfig: await kubeconfig({ forbid: [{ verb: 'list', resource: 'horizontalpodautoscalers' }] }) });
    expect(live.skipped).toEqual(['horizontalpodautoscalers.autoscaling (forbidden: grant list)']);
    expect(live.objects.some((o) => o.ref.startsWith('horizontalpodautoscaler/'))).toBe(false);
  });

  it('fails with exit 4 naming list deployments when workloads are forbidden', async () => {
    const err = await listLiveObjects({ kubeconfig: await kubeconfig({ forbid: [{ verb: 'list', resource: 'deployments' }] }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZerodropError);
    expect((err as ZerodropError).exitCode).toBe(4);
    expect((err as ZerodropError).message).toContain('cannot list deployments.apps in namespace "shop"');
  });
});

describe('locationAt: positions in a live object as JSON-path-like locations', () => {
  const live = {
    ref: 'deployment/shop/web',
    object: parse(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: x\n          readinessProbe:\n            periodSeconds: 2\n',
    ),
  };
  const text = liveObjectYaml(live);
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const colOf = (needle: string) => text.split('\n')[lineOf(needle) - 1]!.indexOf(needle) + 1;

  it.each([
    ['readinessProbe', 'spec.template.spec.containers[0].readinessProbe'],
    ['periodSeconds', 'spec.template.spec.containers[0].readinessProbe.periodSeconds'],
    ['image', 'spec.template.spec.containers[0].image'],
    ['name: app', 'spec.template.spec.containers[0]'],
    ['kind', 'kind'],
    ['apiVersion', 'apiVersion'],
  ])('%s → %s', (needle, location) => {
    expect(locationAt(text, lineOf(needle), colOf(needle))).toBe(location);
  });
});
