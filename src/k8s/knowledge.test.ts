import { describe, expect, it } from 'vitest';
import { featureAvailable, parseKubernetesVersion } from './features.js';
import { imageStopSignal, isShellless, knownImage, parseImageRef, sidecarProxyFor, type ImageRef } from './images.js';
import { IMAGE_TABLE } from './imageTable.js';
import { serverFor } from './servers.js';
import { failureDetectionSeconds, resolveProbe, sameHandler, sameValue, stableJson, startupBudgetSeconds } from './probes.js';
import { normaliseSignal, exitCodeForSignal } from './signals.js';
import { podTemplateOf, preStopDelaySeconds, replicasOf, selectorMatches } from './objects.js';

describe('feature availability by version (docs/reference/feature-versions.md#feature-timeline, docs/reference/feature-versions.md)', () => {
  const v = parseKubernetesVersion;
  it('sleep action is on from 1.30, zero-second sleep from 1.33', () => {
    expect(featureAvailable('sleepAction', v('1.29'))).toBe(false);
    expect(featureAvailable('sleepAction', v('1.30'))).toBe(true);
    expect(featureAvailable('sleepActionAllowZero', v('1.32'))).toBe(false);
    expect(featureAvailable('sleepActionAllowZero', v('1.33'))).toBe(true);
  });
  it('native sidecars are on from 1.29; lifecycle.stopSignal is alpha (off) through 1.36', () => {
    expect(featureAvailable('nativeSidecars', v('1.28'))).toBe(false);
    expect(featureAvailable('nativeSidecars', v('1.29'))).toBe(true);
    expect(featureAvailable('containerStopSignals', v('1.35'))).toBe(false);
  });
  it('StatefulSet maxUnavailable is on only in 1.35.0–1.35.3 (docs/reference/workload-updates.md#statefulset)', () => {
    expect(featureAvailable('statefulSetMaxUnavailable', v('1.34'))).toBe(false);
    expect(featureAvailable('statefulSetMaxUnavailable', v('1.35.2'))).toBe(true);
    expect(featureAvailable('statefulSetMaxUnavailable', v('1.35.4'))).toBe(false);
    expect(featureAvailable('statefulSetMaxUnavailable', v('1.35'))).toBe(false);
  });
  it('rejects malformed versions', () => {
    expect(() => v('one.thirty')).toThrow(/invalid Kubernetes version/);
  });
});

describe('image knowledge (docs/reference/signals.md#image-stop-signals)', () => {
  it('parses references with registry, tag and digest', () => {
    expect(parseImageRef('docker.io/library/nginx:1.25')).toMatchObject({ repository: 'nginx', name: 'nginx', tag: '1.25' });
    expect(parseImageRef('localhost:5000/team/app@sha256:abc')).toMatchObject({ repository: 'localhost:5000/team/app', name: 'app', digest: 'sha256:abc' });
  });
  it('knows the official nginx image switched to SIGQUIT in 1.19.5', () => {
    const signal = (image: string) => imageStopSignal(parseImageRef(image))?.signal;
    expect(signal('nginx:1.19.4')).toBe('SIGTERM');
    expect(signal('nginx:1.19.5')).toBe('SIGQUIT');
    expect(signal('nginx')).toBe('SIGQUIT');
    expect(signal('httpd:2.4')).toBe('SIGWINCH');
    expect(signal('myorg/nginx:1.25')).toBeUndefined();
  });
  it('maps executables to servers and their graceful signals', () => {
    expect(serverFor('/usr/sbin/nginx')?.gracefulSignal).toBe('SIGQUIT');
    expect(serverFor('haproxy')?.gracefulSignal).toBe('SIGUSR1');
    expect(serverFor('php-fpm8.2')?.gracefulSignal).toBe('SIGQUIT');
    expect(serverFor('node')).toBeUndefined();
  });
  it('recognises shell-less images (distroless, scratch) but not their :debug variants', () => {
    expect(isShellless(parseImageRef('gcr.io/distroless/nodejs20-debian12'))).toBe(true);
    expect(isShellless(parseImageRef('gcr.io/distroless/base:debug'))).toBe(false);
    expect(isShellless(parseImageRef('node:20-slim'))).toBe(false);
  });
  it('recognises known sidecar proxies', () => {
    expect(sidecarProxyFor('gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0')?.proxy).toBe('cloud-sql-proxy');
    expect(sidecarProxyFor('docker.io/istio/proxyv2:1.22.0')?.proxy).toBe('istio-proxy');
    expect(sidecarProxyFor('node:20')).toBeUndefined();
  });
});

describe('probes (docs/reference/probes.md#fields-and-defaults)', () => {
  it('applies API defaults', () => {
    expect(resolveProbe({ httpGet: { port: 80 } })).toMatchObject({ periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 });
  });
  it('computes failure detection and startup budgets', () => {
    const liveness = resolveProbe({ httpGet: { port: 80 }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 1 });
    expect(failureDetectionSeconds(liveness)).toBe(11);
    expect(startupBudgetSeconds(undefined, liveness, undefined)).toBe(40);
    const startup = resolveProbe({ tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 60 });
    expect(startupBudgetSeconds(startup, liveness, undefined)).toBe(300);
  });
  it('compares handlers structurally', () => {
    expect(sameHandler({ httpGet: { path: '/', port: 80 } }, { httpGet: { port: 80, path: '/' } })).toBe(true);
    expect(sameHandler({ httpGet: { path: '/', port: 80 } }, { httpGet: { path: '/healthz', port: 80 } })).toBe(false);
  });
  it('says what comparing the stable JSON of two values says, without building it', () => {
    const values: unknown[] = [
      null,
      0,
      '0',
      NaN,
      true,
      [],
      {},
      [1, 2],
      [2, 1],
      { a: 1 },
      { a: '1' },
      { a: undefined },
      { a: null },
      { a: [1, { b: 2, c: 3 }] },
      { a: [1, { c: 3, b: 2 }] },
      { a: [1, { c: 3 }] },
      { httpGet: { path: '/', port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] } },
      { httpGet: { port: 'http', path: '/', httpHeaders: [{ value: 'y', name: 'X' }] } },
      { exec: { command: ['cat', '/tmp/ready'] } },
      { exec: { command: ['cat', '/tmp/ready', ''] } },
    ];
    for (const a of values) for (const b of values) expect([a, b, sameValue(a, b)]).toEqual([a, b, stableJson(a) === stableJson(b)]);
  });
});

describe('signals and objects', () => {
  it('normalises signal spellings and exit codes (docs/reference/signals.md#pid-1)', () => {
    expect(normaliseSignal('quit')).toBe('SIGQUIT');
    expect(normaliseSignal('3')).toBe('SIGQUIT');
    expect(normaliseSignal(15)).toBe('SIGTERM');
    expect(exitCodeForSignal('SIGKILL')).toBe(137);
    expect(exitCodeForSignal('SIGTERM')).toBe(143);
  });
  it('finds pod templates of every workload kind', () => {
    const tpl = { spec: { containers: [{ name: 'a' }] } };
    expect(podTemplateOf({ kind: 'Deployment', spec: { template: tpl } })).toBe(tpl);
    expect(podTemplateOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: tpl } } } })).toBe(tpl);
    expect(podTemplateOf({ kind: 'Pod', spec: tpl.spec })?.spec).toBe(tpl.spec);
    expect(podTemplateOf({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(replicasOf({ kind: 'Deployment', spec: {} })).toBe(1);
  });
  it('matches selectors with labels and expressions', () => {
    expect(selectorMatches({ run: 'nginx' }, { run: 'nginx', version: 'b' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, { tier: 'db' })).toBe(false);
    expect(selectorMatches(undefined, { a: 'b' })).toBe(false);
  });
  it('reads preStop delays from sleep actions and exec sleep commands', () => {
    expect(preStopDelaySeconds({ sleep: { seconds: 10 } })).toBe(10);
    expect(preStopDelaySeconds({ exec: { command: ['/bin/sleep', '20'] } })).toBe(20);
    expect(preStopDelaySeconds({ exec: { command: ['sh', '-c', 'sleep 5 && nginx -s quit'] } })).toBe(5);
    expect(preStopDelaySeconds({ exec: { command: ['nginx', '-s', 'quit'] } })).toBeUndefined();
  });
});

describe('knownImage finds rows through an index, with the result of a scan of the table in order', () => {
  const scan = (ref: ImageRef) =>
    IMAGE_TABLE.find(
      (row) =>
        row.repositories.some((r) =>
          r.endsWith('/*') ? ref.repository.startsWith(r.slice(0, -1)) && ref.repository.length > r.length - 1 : r === ref.repository,
        ) &&
        (!row.tags || row.tags.test(ref.tag ?? '')),
    );
  const tags = [undefined, 'latest', '1.25', '1.25-alpine', '8.2-fpm', '8.2-fpm-alpine', '3.12-slim', 'nonroot', 'debug'];
  const repositories = [
    ...new Set(IMAGE_TABLE.flatMap((row) => row.repositories.map((r) => (r.endsWith('/*') ? `${r.slice(0, -1)}static-debian12` : r)))),
    'registry.example.com/app',
    'gcr.io/distroless/',
  ];
  it.each(repositories)('%s', (repository) => {
    for (const tag of tags) {
      const ref: ImageRef = { repository, name: repository.slice(repository.lastIndexOf('/') + 1), ...(tag ? { tag } : {}) };
      expect(knownImage(ref)?.id, `${repository}:${tag}`).toBe(scan(ref)?.id);
    }
  });
});
