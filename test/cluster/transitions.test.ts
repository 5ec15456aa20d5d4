import { describe, expect, it } from 'vitest';
import { fixture } from './fakeKubeApi.js';
import { podTransitions } from '../../src/cluster/podTransitions.js';
import { endpointsOfService, endpointTransitions } from '../../src/cluster/endpointTransitions.js';
import { deploymentTransitions } from '../../src/cluster/deploymentTransitions.js';
import { formatRfc3339, parseImageFlag, rolloutTrigger } from '../../src/cluster/rolloutTrigger.js';
import { labelSelectorString, servicesSelecting } from '../../src/cluster/servicesOf.js';
import type { KubeObject } from '../../src/k8s/objects.js';

const pod = (): Record<string, any> => fixture('pod-web.json');
const phases = (bodies: Array<Record<string, any>>) => bodies.map((b) => (b.type === 'pod' ? b.phase : `${b.container}:${b.action}`));

describe('podTransitions', () => {
  it('a pre-existing ready pod yields nothing (the report assumes it was serving)', () => {
    expect(podTransitions(undefined, pod() as KubeObject, { initial: true })).toEqual([]);
  });

  it('a pre-existing pod that is not ready is marked not-ready', () => {
    const p = pod();
    p.status.conditions.find((c: any) => c.type === 'Ready').status = 'False';
    expect(phases(podTransitions(undefined, p as KubeObject, { initial: true }))).toEqual(['not-ready']);
  });

  it('a new pod reports created, its container start, started and ready, with its template hash as revision', () => {
    const bodies = podTransitions(undefined, pod() as KubeObject);
    expect(phases(bodies)).toEqual(['created', 'app:start', 'started', 'ready']);
    expect(bodies[0]).toMatchObject({ pod: 'web-6d4cf56db6-abcde', revision: '6d4cf56db6', detail: 'on kind-worker' });
  });

  it('deletionTimestamp starts termination (§1.1) and the grace period is shown', () => {
    const before = pod();
    const after = pod();
    after.metadata.deletionTimestamp = '2026-11-20T10:00:00Z';
    after.metadata.deletionGracePeriodSeconds = 30;
    expect(podTransitions(before as KubeObject, after as KubeObject)).toEqual([
      { type: 'pod', pod: 'web-6d4cf56db6-abcde', phase: 'terminating', revision: '6d4cf56db6', detail: 'grace period 30s' },
    ]);
  });

  it('container exit codes, restarts and deletion', () => {
    const before = pod();
    const after = pod();
    after.status.containerStatuses[0].state = { terminated: { exitCode: 137, reason: 'Error' } };
    after.status.containerStatuses[0].restartCount = 1;
    after.status.phase = 'Failed';
    const bodies = podTransitions(before as KubeObject, after as KubeObject);
    expect(phases(bodies)).toEqual(['app:restart', 'app:exit', 'exited']);
    expect(bodies[1]).toMatchObject({ exitCode: 137, detail: 'Error' });
    expect(phases(podTransitions(after as KubeObject, undefined))).toEqual(['deleted']);
  });
});

describe('endpointTransitions (EndpointSlice conditions, §1.3/§1.4)', () => {
  const slice = (endpoints: unknown[], service = 'web'): KubeObject =>
    ({ ...fixture('endpointslice-web.json'), metadata: { name: `${service}-1`, labels: { 'kubernetes.io/service-name': service } }, endpoints }) as KubeObject;
  const ep = (name: string, conditions?: Record<string, boolean>) => ({
    addresses: ['10.0.0.1'],
    targetRef: { kind: 'Pod', name },
    ...(conditions ? { conditions } : {}),
  });

  it('nil conditions mean ready; becoming ready is "added", terminating is "removed" with conditions', () => {
    const a = endpointsOfService([slice([ep('old')])], 'web');
    const b = endpointsOfService([slice([ep('old'), ep('new', { ready: true, serving: true, terminating: false })])], 'web');
    expect(endpointTransitions(a, b, 'endpointslice')).toEqual([
      { type: 'endpoint', pod: 'new', consumer: 'endpointslice', change: 'added', conditions: { ready: true, serving: true, terminating: false } },
    ]);
    const c = endpointsOfService([slice([ep('old', { ready: false, serving: true, terminating: true }), ep('new')])], 'web');
    expect(endpointTransitions(b, c, 'endpointslice')).toEqual([
      { type: 'endpoint', pod: 'old', consumer: 'endpointslice', change: 'removed', conditions: { ready: false, serving: true, terminating: true } },
    ]);
    // Leaving the slice after it already stopped being ready is not a second removal.
    const d = endpointsOfService([slice([ep('new')])], 'web');
    expect(endpointTransitions(c, d, 'endpointslice')).toEqual([]);
  });

  it('a ready endpoint that vanishes is removed; other services and dual-stack duplicates are handled', () => {
    const a = endpointsOfService([slice([ep('p1')]), slice([ep('p1', { ready: false })]), slice([ep('x')], 'admin')], 'web');
    expect([...a.keys()]).toEqual(['p1']);
    expect(a.get('p1')!.ready).toBe(true);
    expect(endpointTransitions(a, new Map(), 'endpointslice')).toEqual([{ type: 'endpoint', pod: 'p1', consumer: 'endpointslice', change: 'removed' }]);
  });
});

describe('deploymentTransitions', () => {
  const d = (generation: number, status: Record<string, unknown>): KubeObject =>
    ({
      ...fixture('deployment-web.json'),
      metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '2' } },
      status,
    }) as KubeObject;
  it('reports progress on counter changes and completion only for the awaited generation', () => {
    const old = d(1, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(deploymentTransitions(undefined, old, 2).map((e) => e.action)).toEqual(['progress']);
    const mid = d(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 });
    expect(deploymentTransitions(old, mid, 2).map((e) => e.action)).toEqual(['progress']);
    const done = d(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const events = deploymentTransitions(mid, done, 2);
    expect(events.map((e) => e.action)).toEqual(['progress', 'complete']);
    expect(events[1]).toMatchObject({ revision: '2', detail: 'deployment "web" successfully rolled out' });
    expect(deploymentTransitions(done, done, 2)).toEqual([]);
  });
  it('reports the progress deadline once (§3.2)', () => {
    const stuck = d(2, {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(deploymentTransitions(undefined, stuck, 2).map((e) => e.action)).toEqual(['progress', 'deadline-exceeded']);
    expect(deploymentTransitions(stuck, stuck, 2)).toEqual([]);
  });
});

describe('rolloutTrigger', () => {
  const deployment = fixture('deployment-web.json') as KubeObject;
  it('restart: the restartedAt annotation patch kubectl rollout restart sends', () => {
    const t = rolloutTrigger(deployment, { kind: 'restart' }, new Date('2026-11-27T03:00:00Z'))!;
    expect(t.patch).toEqual({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': formatRfc3339(new Date('2026-11-27T03:00:00Z')) } } } },
    });
  });
  it('refuses a paused Deployment like kubectl', () => {
    const paused = { ...deployment, spec: { ...deployment.spec, paused: true } };
    expect(() => rolloutTrigger(paused, { kind: 'restart' }, new Date())).toThrow(/is paused/);
  });
  it('watch-only changes nothing', () => {
    expect(rolloutTrigger(deployment, { kind: 'watch-only' }, new Date())).toBeUndefined();
  });
  it('formats RFC 3339 like Go, with the local offset', () => {
    expect(formatRfc3339(new Date('2026-11-27T03:04:05.678Z'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  });
  it('parses --image CONTAINER=IMAGE with registry ports and digests', () => {
    expect(parseImageFlag('app=registry:5000/web@sha256:abc')).toEqual({ container: 'app', image: 'registry:5000/web@sha256:abc' });
    expect(() => parseImageFlag('=x')).toThrow(/CONTAINER=IMAGE/);
  });
});

describe('servicesSelecting / labelSelectorString', () => {
  it('finds Services whose selector matches the pod template labels', () => {
    const svcs = [
      fixture('service-web.json'),
      fixture('service-admin.json'),
      { kind: 'Service', metadata: { name: 'manual', namespace: 'shop' }, spec: {} },
    ] as KubeObject[];
    expect(servicesSelecting(fixture('deployment-web.json') as KubeObject, svcs).map((s) => s.metadata?.name)).toEqual(['web']);
  });
  it('writes matchLabels and matchExpressions in label selector syntax', () => {
    expect(
      labelSelectorString({
        matchLabels: { app: 'web', tier: 'fe' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=fe,env in (a,b),!canary');
  });
});
