import { describe, expect, it } from 'vitest';
import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';
import { withSleepSeconds } from './prestop-shorter-than-propagation.js';

// docs/reference/traffic-routing.md#propagation-latency propagation latencies; the preStop must outlast them.
const withPreStop = (preStop: unknown) => manifests({ containers: [{ ...APP, lifecycle: { preStop } }] });
/** Caddy behind a preStop, its Caddyfile (with these global options) from a ConfigMap of the input. */
const caddyWithPreStop = (seconds: number, globalOptions: string) =>
  manifests({
    containers: [{ ...APP, image: 'caddy:2.8', lifecycle: { preStop: { sleep: { seconds } } }, volumeMounts: [{ name: 'config', mountPath: '/etc/caddy' }] }],
    podSpec: { volumes: [{ name: 'config', configMap: { name: 'caddy' } }] },
    extra: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'caddy' }, data: { Caddyfile: `{\n${globalOptions}}\n:8080 {\n\trespond "ok"\n}\n` } }],
  });
const NLB_IP = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
const behindNlb = (preStop: unknown, annotations: Record<string, string> = {}) =>
  manifests({ containers: [{ ...APP, lifecycle: { preStop } }], service: { type: 'LoadBalancer' }, serviceAnnotations: { ...NLB_IP, ...annotations } });

testRule('prestop-shorter-than-propagation', {
  valid: [
    { name: '5 s', text: withPreStop({ sleep: { seconds: 5 } }) },
    { name: "a 2 s sleep, then Caddy's shutdown_delay 5s keeps serving: 7 s in all", text: caddyWithPreStop(2, '\tshutdown_delay 5s\n') },
    { name: 'a ClusterIP path keeps the --propagation-seconds budget', text: withPreStop({ sleep: { seconds: 5 } }), settings: { propagationSeconds: 5 } },
    {
      name: 'a measured NLB removal time on the Service, outlasted',
      text: behindNlb({ sleep: { seconds: 20 } }, { 'zerodrop.dev/removal-seconds': '20' }),
    },
    {
      name: 'in-app drain covers the rest',
      text: manifests({
        containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 1 } } } }],
        templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' },
      }),
    },
  ],
  invalid: [
    {
      name: "a 2 s sleep and Caddy's shutdown_delay 1s still fall short of 5 s",
      text: caddyWithPreStop(2, '\tshutdown_delay 1s\n'),
      findings: [
        {
          messageId: 'shorterThanPropagation',
          container: 'app',
          // The requests cut are those of the last 2 s: 5 s of propagation less the sleep and the delay.
          data: {
            preStop: '2 s',
            gap: '2 s',
            keepsServing: ' and Caddy keeps serving 1 s after its stop signal, set by shutdown_delay 1s in /etc/caddy/Caddyfile (ConfigMap caddy),',
          },
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } } },
        },
      ],
    },
    {
      name: 'sleep action of 3 s against 5 s propagation, at the seconds',
      text: withPreStop({ sleep: { seconds: 3 } }),
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '3 s', propagation: '5 s', gap: '2 s' },
          fix: 'sleep at least 5 s in preStop (tune --propagation-seconds to your ingress or load balancer)',
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } } },
        },
      ],
    },
    {
      name: 'exec sleep inside a shell keeps the rest of the script in the fix',
      text: withPreStop({ exec: { command: ['sh', '-c', 'sleep 2 && kill -TERM 1'] } }),
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '2 s' },
          patch: {
            spec: {
              template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5 && kill -TERM 1'] } } } }] } },
            },
          },
        },
      ],
    },
    {
      name: 'before 1.30 a pure exec sleep keeps exec',
      text: withPreStop({ exec: { command: ['sleep', '2'] } }),
      settings: { kubernetesVersion: '1.29' },
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }] } } } },
        },
      ],
    },
    {
      name: 'a longer assumed propagation',
      text: withPreStop({ sleep: { seconds: 10 } }),
      settings: { propagationSeconds: 15 },
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '10 s', propagation: '15 s', gap: '5 s', wanted: 15 },
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 15 } } } }] } } } },
        },
      ],
    },
    {
      name: 'an AWS NLB with IP targets: the slowest path sets the budget, and the fix raises the grace period with it',
      text: behindNlb({ sleep: { seconds: 5 } }),
      findings: [
        {
          messageId: 'shorterThanPath',
          line: 38,
          container: 'app',
          data: {
            path: 'AWS NLB (IP targets) through Service web port 80: removal assumed 120 s (the default for AWS NLB (IP targets); set zerodrop.dev/removal-seconds on Service web or paths.aws-nlb-ip.removalSeconds in .zerodrop.yaml to your measured time)',
            gap: '115 s',
            wanted: 120,
          },
          fixId: 'sleepPastPath',
          patch: {
            spec: {
              template: { spec: { terminationGracePeriodSeconds: 125, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 120 } } } }] } },
            },
          },
        },
      ],
    },
    {
      name: '.zerodrop.yaml paths: sets the NLB budget; a pure exec sleep becomes the sleep action, as prestop-prefer-sleep-action would ask',
      text: behindNlb({ exec: { command: ['sleep', '30'] } }),
      settings: { paths: { 'aws-nlb-ip': { removalSeconds: 45, setBy: '.zerodrop.yaml:3 paths.aws-nlb-ip.removalSeconds' } } },
      findings: [
        {
          messageId: 'shorterThanPath',
          line: 38,
          container: 'app',
          data: {
            path: 'AWS NLB (IP targets) through Service web port 80: removal assumed 45 s (.zerodrop.yaml:3 paths.aws-nlb-ip.removalSeconds)',
            wanted: 45,
          },
          patch: {
            spec: {
              template: {
                spec: { terminationGracePeriodSeconds: 50, containers: [{ name: 'app', lifecycle: { preStop: { exec: null, sleep: { seconds: 45 } } } }] },
              },
            },
          },
        },
      ],
    },
  ],
});

describe('withSleepSeconds', () => {
  it('replaces the sleep argument or the sleep inside a script', () => {
    expect(withSleepSeconds(['/bin/sleep', '2'], 5)).toEqual(['/bin/sleep', '5']);
    expect(withSleepSeconds(['sh', '-c', 'sleep 2; nginx -s quit'], 7)).toEqual(['sh', '-c', 'sleep 7; nginx -s quit']);
  });
});
