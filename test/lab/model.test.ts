import { describe, expect, it } from 'vitest';
import { ZerodropError } from '../../src/errors.js';
import { endpointsForConsumer, podToEndpoint, type EndpointSourcePod, type ResolvedEndpoint } from '../../src/k8s/endpointSlice.js';
import { parseDelayRange, seededRandom } from '../../src/lab/endpoints/delay.js';
import { splitCommand } from '../../src/lab/pods/command.js';
import { expandEnvReferences } from '../../src/lab/pods/podNetwork.js';
import { parseManifestText } from '../../src/lab/config/manifests.js';
import { buildWorkload, lookupImage } from '../../src/lab/config/workload.js';
import { parseRolloutFlag } from '../../src/lab/config/labFile.js';

const view = (over: Partial<EndpointSourcePod>): EndpointSourcePod => ({
  name: 'p',
  host: '127.0.0.1',
  port: 1,
  ready: true,
  deleting: false,
  terminal: false,
  hasAddress: true,
  ...over,
});

describe('EndpointSlice conditions (docs/reference/traffic-routing.md#endpointslice-conditions podToEndpoint)', () => {
  it('a ready pod is ready and serving', () => {
    expect(podToEndpoint(view({}))?.conditions).toEqual({ ready: true, serving: true, terminating: false });
  });
  it('a terminating pod stays in the slice with ready=false, serving=Ready, terminating=true', () => {
    expect(podToEndpoint(view({ deleting: true }))?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(podToEndpoint(view({ deleting: true, ready: false }))?.conditions).toEqual({ ready: false, serving: false, terminating: true });
  });
  it('publishNotReadyAddresses makes every endpoint ready', () => {
    expect(podToEndpoint(view({ ready: false }), true)?.conditions.ready).toBe(true);
  });
  it('a terminal pod leaves the slice (docs/reference/pod-termination.md#after-the-last-container)', () => {
    expect(podToEndpoint(view({ terminal: true }))).toBeUndefined();
  });
});

describe('which endpoints a consumer uses (docs/reference/traffic-routing.md#kube-proxy, docs/reference/traffic-routing.md#ingress-and-load-balancers)', () => {
  const ep = (pod: string, ready: boolean, serving: boolean, terminating: boolean): ResolvedEndpoint => ({
    pod,
    host: 'h',
    port: 1,
    conditions: { ready, serving, terminating },
  });
  const slice = [ep('old', false, true, true), ep('new', true, true, false)];
  it('ingress-nginx skips every not-ready endpoint', () => {
    expect(endpointsForConsumer('ingress', slice).map((e) => e.pod)).toEqual(['new']);
    expect(endpointsForConsumer('ingress', [slice[0]!])).toEqual([]);
  });
  it('kube-proxy falls back to serving terminating endpoints only when none is ready', () => {
    expect(endpointsForConsumer('kube-proxy', slice).map((e) => e.pod)).toEqual(['new']);
    expect(endpointsForConsumer('kube-proxy', [slice[0]!, ep('failing', false, false, true)]).map((e) => e.pod)).toEqual(['old']);
  });
});

describe('lab inputs', () => {
  it('parses delays and ranges', () => {
    expect(parseDelayRange('1s')).toEqual({ minMs: 1000, maxMs: 1000 });
    expect(parseDelayRange('0.5s..3s')).toEqual({ minMs: 500, maxMs: 3000 });
    expect(parseDelayRange('250ms')).toEqual({ minMs: 250, maxMs: 250 });
    expect(() => parseDelayRange('3s..1s')).toThrow(ZerodropError);
    expect(() => parseDelayRange('soon')).toThrow(/not a duration/);
  });
  it('a seeded random source replays the same delays', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
  it('splits commands like a shell without running one', () => {
    expect(splitCommand(`node server.mjs --name "a b" 'c d' e\\ f`)).toEqual(['node', 'server.mjs', '--name', 'a b', 'c d', 'e f']);
    expect(() => splitCommand('sh -c "oops')).toThrow(/unterminated/);
  });
  it('expands $(VAR) like the kubelet, leaving unknown names and $$ escapes', () => {
    expect(expandEnvReferences('http://127.0.0.1:$(PORT_5432)/$(NOPE)/$$(PORT_5432)', { PORT_5432: '4000' })).toBe(
      'http://127.0.0.1:4000/$(NOPE)/$(PORT_5432)',
    );
  });
  it('parses --rollout', () => {
    expect(parseRolloutFlag('restart')).toEqual({ kind: 'restart' });
    expect(parseRolloutFlag('image=demo:v2')).toEqual({ kind: 'image', image: 'demo:v2' });
    expect(parseRolloutFlag('image=app=demo:v2')).toEqual({ kind: 'image', container: 'app', image: 'demo:v2' });
  });
  it('maps images by exact name, repository:tag, repository or last segment', () => {
    const images = { 'zerodrop/demo-app': { command: 'a' }, nginx: { command: 'b' } };
    expect(lookupImage(images, 'zerodrop/demo-app:1.0')?.command).toBe('a');
    expect(lookupImage(images, 'docker.io/library/nginx:1.27')?.command).toBe('b');
    expect(lookupImage(images, 'redis')).toBeUndefined();
  });
});

describe('buildWorkload validates before anything starts', () => {
  const images = { app: { command: 'node app.mjs' } };
  const build = (yaml: string) => buildWorkload(parseManifestText(yaml, 'm.yaml'), { images, rollout: { kind: 'restart' }, cwd: '/' });
  const deployment = (spec: string, container = '') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n${spec}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n${container}`;

  it('resolves fenceposts with src/k8s (docs/reference/workload-updates.md#deployment-rollingupdate) and the apps/v1 defaults', () => {
    const w = build(deployment('  replicas: 4'));
    expect(w.deployment).toMatchObject({ replicas: 4, strategy: 'RollingUpdate', minReadySeconds: 0, progressDeadlineSeconds: 600 });
    expect(w.deployment.fenceposts).toMatchObject({ maxSurge: 1, maxUnavailable: 1 });
    expect(w.initial.graceSeconds).toBe(30);
    expect(w.initial.containers[0]!.stopSignal).toBe('SIGTERM');
  });
  it('uses extensions/v1beta1 defaults (maxUnavailable 1, no progress deadline, docs/reference/workload-updates.md#defaults-by-api-version)', () => {
    const w = buildWorkload(parseManifestText(deployment('  replicas: 1').replace('apps/v1', 'extensions/v1beta1'), 'm.yaml'), {
      images,
      rollout: { kind: 'restart' },
      cwd: '/',
    });
    expect(w.deployment.fenceposts).toMatchObject({ maxSurge: 1, maxUnavailable: 1 });
    expect(w.deployment.progressDeadlineSeconds).toBeUndefined();
  });
  it.each([
    [
      'both literally zero (docs/reference/workload-updates.md#deployment-rollingupdate)',
      deployment('  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}'),
      /may not be 0/,
    ],
    ['a quoted integer', deployment('  replicas: 2\n  strategy:\n    rollingUpdate: {maxSurge: "1"}'), /int-or-percent/],
    [
      'progressDeadlineSeconds ≤ minReadySeconds (docs/reference/workload-updates.md#deployment-rollingupdate)',
      deployment('  replicas: 2\n  minReadySeconds: 10\n  progressDeadlineSeconds: 10'),
      /greater than minReadySeconds/,
    ],
    [
      'a preStop sleep longer than the grace period (docs/reference/pod-termination.md#grace-period)',
      deployment('  replicas: 2', '          lifecycle: {preStop: {sleep: {seconds: 40}}}\n'),
      /must not exceed terminationGracePeriodSeconds/,
    ],
    [
      'successThreshold ≠ 1 on liveness (docs/reference/probes.md#fields-and-defaults)',
      deployment('  replicas: 2', '          livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}\n'),
      /successThreshold must be 1/,
    ],
    ['an unmapped image', deployment('  replicas: 2').replace('image: app:1', 'image: other:1'), /--run other=COMMAND/],
  ])('rejects %s', (_name, yaml, message) => {
    expect(() => build(yaml)).toThrow(message);
  });
  it('takes the stop signal from lifecycle.stopSignal, else the official image (nginx ≥ 1.19.5 → SIGQUIT, docs/reference/signals.md#image-stop-signals)', () => {
    const nginx = { nginx: { command: process.execPath } };
    const mk = (image: string, extra = '') =>
      buildWorkload(parseManifestText(deployment('  replicas: 1', extra).replace('image: app:1', `image: ${image}`), 'm.yaml'), {
        images: nginx,
        rollout: { kind: 'restart' },
        cwd: '/',
      });
    expect(mk('nginx:1.27').initial.containers[0]!.stopSignal).toBe('SIGQUIT');
    expect(mk('nginx:1.19.4').initial.containers[0]!.stopSignal).toBe('SIGTERM');
    expect(mk('nginx:1.19.4', '          lifecycle: {stopSignal: SIGQUIT}\n').initial.containers[0]!.stopSignal).toBe('SIGQUIT');
  });
  it('a Service selecting the pods decides the target port', () => {
    const yaml = `${deployment('  replicas: 1').replace('    spec:\n      containers', '    metadata: {labels: {app: web}}\n    spec:\n      containers')}          ports: [{containerPort: 9000, name: http}, {containerPort: 9001}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n`;
    expect(build(yaml).initial.servicePort).toBe(9000);
  });
});
