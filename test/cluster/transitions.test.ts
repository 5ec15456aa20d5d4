import { describe, expect, it } from 'vitest';
import { fixture } from './fakeKubeApi.js';
import { podTransitions } from '../../src/cluster/podTransitions.js';
import { endpointsOfService, endpointTransitions } from '../../src/cluster/endpointTransitions.js';
import { deploymentTransitions } from '../../src/cluster/deploymentTransitions.js';
import { formatRfc3339, parseImageFlag, rolloutTrigger } from '../../src/cluster/rolloutTrigger.js';
import { drainState, TERMINATION_MARGIN_MS } from '../../src/cluster/terminationWait.js';
import { KubeApiError, toUserError, type KubeStatus } from '../../src/cluster/apiErrors.js';
import { RESOURCES } from '../../src/cluster/resources.js';
import { pluginSays } from '../../src/cluster/execCredential.js';
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

  it('deletionTimestamp starts termination (docs/reference/pod-termination.md#grace-period) and the grace period is shown', () => {
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

describe('endpointTransitions (EndpointSlice conditions, docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/traffic-routing.md#kube-proxy)', () => {
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
  it('reports the progress deadline once (docs/reference/workload-updates.md#deployment-controller)', () => {
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
  it("image: kubectl set image's patch, every container of the list in $setElementOrder, keys in Go's order", () => {
    const two = structuredClone(deployment) as Record<string, any>;
    two.spec.template.spec.containers.push({ name: 'proxy', image: 'envoy:1' });
    two.spec.template.spec.initContainers = [{ name: 'migrate', image: 'migrate:1' }];
    expect(JSON.stringify(rolloutTrigger(two as KubeObject, { kind: 'image', container: 'proxy', image: 'envoy:2' }, new Date())!.patch)).toBe(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"proxy"}],"containers":[{"image":"envoy:2","name":"proxy"}]}}}}',
    );
    const init = rolloutTrigger(two as KubeObject, { kind: 'image', container: 'migrate', image: 'migrate:2' }, new Date())!;
    expect(init.patch).toEqual({
      spec: { template: { spec: { '$setElementOrder/initContainers': [{ name: 'migrate' }], initContainers: [{ image: 'migrate:2', name: 'migrate' }] } } },
    });
    // After a PATCH without an answer, the change is recognised on the object read back.
    expect(init.applied(two as KubeObject)).toBe(false);
    two.spec.template.spec.initContainers[0].image = 'migrate:2';
    expect(init.applied(two as KubeObject)).toBe(true);
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

describe('drainState: when the last drops can still happen', () => {
  const pod = (name: string, seenAt: number, graceSeconds = 30) => ({ pod: name, seenAt, graceSeconds });
  const at = { now: 10_000, completedAt: 9_000, defaultGraceSeconds: 30 };
  it('is done when no pod is terminating and the status (where reported) agrees', () => {
    expect(drainState([], undefined, at)).toMatchObject({ done: true, pods: [] });
    expect(drainState([], 0, at).done).toBe(true);
  });
  it('waits for the latest pod: seen terminating + its grace period + the margin', () => {
    expect(drainState([pod('a', 1_000, 30), pod('b', 2_000, 10)], undefined, at)).toEqual({
      done: false,
      pods: ['a', 'b'],
      terminatingReplicas: undefined,
      deadline: 1_000 + 30_000 + TERMINATION_MARGIN_MS,
    });
  });
  it('status.terminatingReplicas counts pods the pod watch has not shown yet, bounded from completion', () => {
    expect(drainState([], 1, at)).toMatchObject({ done: false, deadline: 9_000 + 30_000 + TERMINATION_MARGIN_MS });
  });
});

describe('toUserError: the cause named', () => {
  const access = { server: 'https://k8s.example:6443', context: 'prod' };
  const patch = { verb: 'patch' as const, resource: RESOURCES.deployments, namespace: 'shop', name: 'web' };
  it('a ValidatingAdmissionPolicy denial (422) is a policy refusal', () => {
    const status = fixture<KubeStatus>('status-422-vap-denied.json');
    const err = toUserError(new KubeApiError(patch, 422, status), patch, access);
    expect(err.code).toBe('cluster-admission-denied');
    expect(err.message).toContain(`refused to patch deployments.apps "web" in namespace "shop": ${status.message}. This is a policy`);
  });
  it('an RBAC 403 on the patch names the verb to grant', () => {
    const status = fixture<KubeStatus>('status-403.json');
    expect(toUserError(new KubeApiError(patch, 403, status), patch, access).message).toContain('grant the verb "patch" on "deployments.apps"');
  });
  it('429 beyond the retries is "throttled", not "unreachable"', () => {
    const err = toUserError(new KubeApiError({ ...patch, verb: 'list' }, 429, { message: 'storage is (re)initializing' }), { ...patch, verb: 'list' }, access);
    expect(err).toMatchObject({ code: 'cluster-throttled', exitCode: 4 });
  });
});

describe("pluginSays: the credential plugin's own explanation", () => {
  it.each([
    ['Error loading SSO Token: Token for my-sso does not exist\n', 'Error loading SSO Token: Token for my-sso does not exist'],
    [
      'F1201 10:40:09.001898     663 cred.go:145] print credential failed with error: Failed to retrieve access token:: failure while executing gcloud, with args [config config-helper --format=json]: exit status 1 (err: ERROR: (gcloud.config.config-helper) You do not currently have an active account selected.\nPlease run:\n\n  $ gcloud auth login\n\nto select an already authenticated account to use.\n)\n',
      'ERROR: (gcloud.config.config-helper) You do not currently have an active account selected.',
    ],
    ['To sign in, open https://microsoft.com/devicelogin\n', 'To sign in, open https://microsoft.com/devicelogin'],
    ['', ''],
  ])('%j -> %j', (stderr, says) => {
    expect(pluginSays(stderr)).toBe(says);
  });
});
