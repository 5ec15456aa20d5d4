import { describe, expect, it } from 'vitest';
import { configuredServingDelay } from './containerShutdown.js';
import type { Container, KubeObject } from './objects.js';

// Caddy keeps serving for shutdown_delay after its stop signal (https://caddyserver.com/docs/caddyfile/options#shutdown-delay).
const caddy: Container = { name: 'caddy', image: 'caddy:2.8', volumeMounts: [{ name: 'config', mountPath: '/etc/caddy' }] } as Container;
const podSpec = { containers: [caddy], volumes: [{ name: 'config', configMap: { name: 'caddy' } }] };
const configMap = (Caddyfile: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'caddy', namespace: 'default' },
  data: { Caddyfile },
});
const delayOf = (objects: KubeObject[], c = caddy, builtInRun = false) => configuredServingDelay(c, { podSpec, namespace: 'default', objects }, builtInRun);

describe('configuredServingDelay', () => {
  it("reads Caddy's shutdown_delay from the mounted Caddyfile, with where it is written", () => {
    expect(delayOf([configMap('{\n\tshutdown_delay 15s\n}\n:8080 {\n\trespond "ok"\n}\n')])).toEqual({
      server: 'Caddy',
      seconds: 15,
      origin: 'shutdown_delay 15s in /etc/caddy/Caddyfile (ConfigMap caddy)',
      configMap: 'caddy',
    });
  });

  it('says nothing when the delay is not written, the file is not in the input, or the image is not known to be Caddy', () => {
    expect(delayOf([configMap('{\n\tgrace_period 10s\n}\n')])).toBeUndefined();
    expect(delayOf([])).toBeUndefined();
    expect(delayOf([configMap('{\n\tshutdown_delay 15s\n}\n')], caddy, true)).toBeUndefined();
    expect(delayOf([configMap('{\n\tshutdown_delay 15s\n}\n')], { ...caddy, image: 'example/web:1.0' } as Container)).toBeUndefined();
  });
});
