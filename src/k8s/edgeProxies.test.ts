import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configDurationSeconds, edgeProxyOf, expandEnvRefs, flagValue, selfDelaySeconds, traefikLifecycle } from './edgeProxies.js';

describe('configDurationSeconds', () => {
  it.each([
    ['240s', 240],
    ['240', 240],
    ['1m30s', 90],
    ['500ms', 0.5],
    ['2h', 7200],
    ['1d', 86400],
    ['10 s', undefined],
    ['soon', undefined],
    ['', undefined],
  ])('%s → %s', (text, seconds) => expect(configDurationSeconds(text)).toBe(seconds));
});

describe('flagValue', () => {
  it('reads --flag=v and --flag v, the last one winning', () => {
    expect(flagValue(['--a=1', '--a', '2'], '--a')).toBe('2');
    expect(flagValue(['--a', '--b'], '--a')).toBeUndefined();
  });
  it('matches case-insensitively when asked (Traefik)', () => {
    expect(flagValue(['--CONFIGFILE=/x.yml'], '--configFile', true)).toBe('/x.yml');
    expect(flagValue(['--CONFIGFILE=/x.yml'], '--configFile')).toBeUndefined();
  });
});

describe('expandEnvRefs', () => {
  const c = {
    env: [
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'CM', value: 'settings' },
    ],
  } as never;
  it('expands values and the namespace field, leaving unknown references as the kubelet does', () => {
    expect(expandEnvRefs('$(NS)/$(CM)', c, 'edge')).toBe('edge/settings');
    expect(expandEnvRefs('$(OTHER)/x', c, 'edge')).toBe('$(OTHER)/x');
  });
});

describe('edgeProxyOf', () => {
  it.each([
    ['registry.k8s.io/ingress-nginx/controller:v1.12.0', [], 'ingress-nginx'],
    ['mirror.example.com/ingress:1', ['/nginx-ingress-controller'], 'ingress-nginx'],
    ['traefik:v3.1', [], 'traefik'],
    ['docker.io/library/traefik:v2.11', [], 'traefik'],
    ['traefik/traefik:latest', [], 'traefik'],
    ['envoyproxy/envoy:v1.31.2', [], 'envoy'],
    ['envoyproxy/envoy-distroless:v1.31.2', [], 'envoy'],
    ['example.com/envoyproxy/envoy-custom:1', [], undefined],
    ['nginx/nginx-ingress:3.7.0', [], undefined],
    ['istio/proxyv2:1.22.0', [], undefined],
  ])('%s %j → %s', (image, args, proxy) => expect(edgeProxyOf({ image, args })).toBe(proxy));
});

describe('traefikLifecycle', () => {
  const cm = (key: string, text: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tc', namespace: 'ns' }, data: { [key]: text } });
  const pod = { volumes: [{ name: 'v', configMap: { name: 'tc' } }] };
  const container = (args: string[] = [], mountPath = '/etc/traefik') => ({ image: 'traefik:v3', args, volumeMounts: [{ name: 'v', mountPath }] });

  it('reads a TOML file at the default location', () => {
    const toml =
      '[entryPoints]\n  [entryPoints.web]\n    address = ":80"\n    [entryPoints.web.transport.lifeCycle]\n      graceTimeOut = "42s"\n  [entryPoints.api]\n    address = ":81"\n';
    const lc = traefikLifecycle(container(), pod, 'ns', [cm('traefik.toml', toml)], parse);
    expect(lc?.entryPoints.map((e) => [e.name, e.requestAcceptGraceTimeout.seconds, e.graceTimeOut.seconds])).toEqual([
      ['web', 0, 42],
      ['api', 0, 10],
    ]);
  });

  it('a file found wins over the arguments, which Traefik then ignores', () => {
    const yml = 'entryPoints:\n  web:\n    address: ":80"\n';
    const lc = traefikLifecycle(container(['--entryPoints.web.transport.lifeCycle.graceTimeOut=5m']), pod, 'ns', [cm('traefik.yml', yml)], parse);
    expect(lc?.entryPoints[0]?.graceTimeOut).toMatchObject({ seconds: 10, from: 'default' });
  });

  it('knows nothing when --configFile names a file the input does not have', () => {
    expect(traefikLifecycle(container(['--configFile=/other/traefik.yml']), pod, 'ns', [], parse)).toBeUndefined();
  });

  it('knows nothing when a volume the input cannot show is mounted where the file would be', () => {
    // A Secret may hold traefik.yml, and a file makes Traefik ignore the arguments.
    const secretPod = { volumes: [{ name: 'v', secret: { secretName: 'traefik-static' } }] };
    const args = ['--entryPoints.web.address=:80', '--entryPoints.web.transport.lifeCycle.graceTimeOut=5s'];
    expect(traefikLifecycle(container(args), secretPod, 'ns', [], parse)).toBeUndefined();
    // The same arguments with nothing mounted there are what Traefik reads.
    expect(traefikLifecycle(container(args, '/data'), secretPod, 'ns', [], parse)?.entryPoints[0]?.graceTimeOut.seconds).toBe(5);
  });

  it('reads the file a ConfigMap projects there under another key (items)', () => {
    const projected = { volumes: [{ name: 'v', configMap: { name: 'tc', items: [{ key: 'static', path: 'traefik.yml' }] } }] };
    const yml = 'entryPoints:\n  web:\n    address: ":80"\n    transport:\n      lifeCycle:\n        graceTimeOut: 30s\n';
    const lc = traefikLifecycle(container(), projected, 'ns', [cm('static', yml)], parse);
    expect(lc?.entryPoints[0]).toMatchObject({ name: 'web', graceTimeOut: { seconds: 30, from: 'file' } });
    expect(lc?.source).toBe('static in ConfigMap ns/tc');
  });

  it('takes the format from the path Traefik reads, not from the ConfigMap key (subPath)', () => {
    const toml = '[entryPoints]\n  [entryPoints.web]\n    address = ":80"\n    [entryPoints.web.transport.lifeCycle]\n      graceTimeOut = "42s"\n';
    const c = { image: 'traefik:v3', volumeMounts: [{ name: 'v', mountPath: '/etc/traefik/traefik.toml', subPath: 'config' }] };
    expect(traefikLifecycle(c, pod, 'ns', [cm('config', toml)], parse)?.entryPoints[0]?.graceTimeOut.seconds).toBe(42);
  });

  it('opens its own http entry point when none is configured', () => {
    expect(traefikLifecycle({ image: 'traefik:v3' }, {}, 'ns', [], parse)?.entryPoints.map((e) => e.name)).toEqual(['http']);
  });
});

describe('selfDelaySeconds', () => {
  it.each([
    [{ image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', '--shutdown-grace-period=30'] }, 30],
    [{ image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller'] }, undefined],
    [{ image: 'traefik:v3', args: ['--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=20s', '--entryPoints.web.address=:80'] }, 20],
    [{ image: 'traefik:v3', args: ['--configFile=/x.yml', '--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=20s'] }, undefined],
    [
      {
        image: 'traefik:v3',
        args: ['--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=20s'],
        volumeMounts: [{ name: 'c', mountPath: '/etc/traefik' }],
      },
      undefined,
    ],
    [{ image: 'example/app:1', args: ['--shutdown-grace-period=30'] }, undefined],
  ])('%j → %s', (c, seconds) => expect(selfDelaySeconds(c)).toBe(seconds));
});
