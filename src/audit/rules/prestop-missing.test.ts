import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/pod-termination.md#containers-stop-in-parallel and docs/reference/traffic-routing.md#endpointslice-conditions: stop signal and endpoint removal race; docs/reference/feature-versions.md#sleep-action: the sleep action from 1.30.
const containers = (patch: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: 'app', ...patch }] } } } });
/** Caddy with its Caddyfile from a ConfigMap of the input (https://caddyserver.com/docs/caddyfile/options#shutdown-delay). */
const caddy = (globalOptions: string) =>
  manifests({
    containers: [{ ...APP, image: 'caddy:2.8', volumeMounts: [{ name: 'config', mountPath: '/etc/caddy' }] }],
    podSpec: { volumes: [{ name: 'config', configMap: { name: 'caddy' } }] },
    extra: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'caddy' }, data: { Caddyfile: `${globalOptions}:8080 {\n\treverse_proxy app:9000\n}\n` } },
    ],
  });

testRule('prestop-missing', {
  valid: [
    { name: 'sleep action', text: manifests({ containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] }) },
    { name: 'in-app drain declared', text: manifests({ templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' } }) },
    { name: 'not serving (a Service exists but selects other pods)', text: manifests({ service: { selector: { app: 'other' } } }) },
    {
      name: 'an ingress controller that keeps accepting after SIGTERM by its own flag',
      text: manifests({
        containers: [{ ...APP, image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', '--shutdown-grace-period=10'] }],
      }),
    },
    {
      name: 'Traefik whose entry point keeps accepting after SIGTERM',
      text: manifests({ containers: [{ ...APP, image: 'traefik:v3.1', args: ['--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=15s'] }] }),
    },
    {
      name: "CoreDNS whose mounted Corefile is in the input: its lameduck is coredns-lameduck-missing's to judge",
      text: manifests({
        containers: [{ ...APP, image: 'registry.k8s.io/coredns/coredns:v1.11.3' }],
        podSpec: { volumes: [{ name: 'config', configMap: { name: 'dns-config' } }] },
        extra: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'dns-config' },
            data: { Corefile: '.:53 {\n    health {\n        lameduck 5s\n    }\n}\n' },
          },
        ],
      }),
    },
    {
      name: 'Caddy whose shutdown_delay covers endpoint removal keeps serving like a preStop sleep',
      text: caddy('{\n\tshutdown_delay 10s\n\tgrace_period 10s\n}\n'),
    },
  ],
  invalid: [
    {
      name: 'Caddy whose shutdown_delay is shorter than endpoint removal: the gap is still reported',
      text: caddy('{\n\tshutdown_delay 2s\n}\n'),
      findings: [
        {
          messageId: 'delayShorterThanRemoval',
          container: 'app',
          data: {
            server: 'Caddy',
            delay: '2 s',
            origin: 'shutdown_delay 2s in /etc/caddy/Caddyfile (ConfigMap caddy)',
            removal: 'endpoint removal is assumed to take 5 s (--propagation-seconds)',
            gap: '3 s',
          },
          fixId: 'addSleepAction',
          patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
        },
      ],
    },
    {
      name: 'Caddy whose Caddyfile sets no shutdown_delay stops at once',
      text: caddy('{\n\tgrace_period 10s\n}\n'),
      findings: [
        { messageId: 'noPreStop', container: 'app', fixId: 'addSleepAction', patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }) },
      ],
    },
    {
      name: 'CoreDNS whose Corefile is not in the input is judged like any server',
      text: manifests({
        containers: [{ ...APP, image: 'registry.k8s.io/coredns/coredns:v1.11.3' }],
        podSpec: { volumes: [{ name: 'config', configMap: { name: 'dns-config' } }] },
      }),
      findings: [
        { messageId: 'noPreStop', container: 'app', fixId: 'addSleepAction', patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }) },
      ],
    },
    {
      // docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts: the Rollout runs the Deployment's template, so the finding and its fix go to the Deployment.
      name: 'an Argo Rollout with workloadRef: reported and fixed in the referenced Deployment',
      text: manifests({
        replicas: 0,
        extra: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            metadata: { name: 'web' },
            spec: {
              replicas: 3,
              selector: { matchLabels: { app: 'web' } },
              workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'progressively' },
              strategy: { canary: { steps: [{ setWeight: 50 }] } },
            },
          },
        ],
      }),
      findings: [
        {
          messageId: 'noPreStop',
          line: 27,
          container: 'app',
          fixId: 'addSleepAction',
          patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
        },
      ],
    },
    {
      name: 'a Deployment a Rollout references but Argo does not scale down (scaleDown unset) is reported once, as itself',
      text: manifests({
        replicas: 2,
        extra: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            metadata: { name: 'web' },
            spec: {
              replicas: 3,
              selector: { matchLabels: { app: 'web' } },
              workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
              strategy: { canary: {} },
            },
          },
        ],
      }),
      findings: [
        {
          messageId: 'noPreStop',
          line: 27,
          container: 'app',
          fixId: 'addSleepAction',
          patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
        },
      ],
    },
    {
      name: 'an ingress controller whose own delay is shorter than propagation',
      text: manifests({
        containers: [{ ...APP, image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', '--shutdown-grace-period=2'] }],
      }),
      findings: [
        { messageId: 'noPreStop', container: 'app', fixId: 'addSleepAction', patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }) },
      ],
    },
    {
      name: "behind an AWS ALB with IP targets the fix sleeps the path's removal time",
      text: manifests({
        service: { type: 'NodePort' },
        serviceAnnotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' },
        extra: [
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { name: 'web' },
            spec: { ingressClassName: 'alb', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
          },
        ],
      }),
      findings: [
        {
          messageId: 'noPreStopForPath',
          container: 'app',
          data: { seconds: 30 },
          fixId: 'addSleepAction',
          patch: {
            spec: {
              template: { spec: { terminationGracePeriodSeconds: 35, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 30 } } } }] } },
            },
          },
        },
      ],
    },
    {
      name: 'a Knative Service beside it is not a core Service: the Deployment with ports is still assumed serving',
      text: manifests({
        service: false,
        extra: [
          {
            apiVersion: 'serving.knative.dev/v1',
            kind: 'Service',
            metadata: { name: 'hello' },
            spec: { template: { spec: { containers: [{ image: 'example/hello:1.0' }] } } },
          },
        ],
      }),
      findings: [
        {
          messageId: 'noPreStop',
          container: 'app',
          data: { servingReason: 'assumed serving: it declares container ports and the input has no Service' },
          fixId: 'addSleepAction',
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } } },
        },
      ],
    },
    {
      name: 'no preStop; at 1.33 the fix is the sleep action',
      text: manifests(),
      findings: [
        {
          messageId: 'noPreStop',
          line: 27,
          container: 'app',
          data: { propagationSeconds: 5, servingReason: 'served through ClusterIP Service web port 80 (its callers are not in the input)' },
          fix: 'add lifecycle.preStop.sleep.seconds: 5 (or, if the app itself keeps serving after SIGTERM, annotate zerodrop.dev/in-app-drain: "true")',
          patch: containers({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
        },
      ],
    },
    {
      name: 'at 1.29 the fix is exec sleep',
      text: manifests(),
      settings: { kubernetesVersion: '1.29' },
      findings: [
        {
          messageId: 'noPreStop',
          line: 27,
          container: 'app',
          fixId: 'addExecSleep',
          patch: containers({ lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }),
        },
      ],
    },
    {
      name: 'at 1.29 a distroless image gets no machine fix, and advice to drain in the app',
      text: manifests({ containers: [{ ...APP, image: 'gcr.io/distroless/nodejs20-debian12' }] }),
      settings: { kubernetesVersion: '1.29' },
      findings: [{ messageId: 'noPreStop', line: 27, container: 'app', fixId: 'drainInApp' }],
    },
    {
      name: 'a long propagation assumption also raises the grace period in the patch',
      text: manifests(),
      settings: { propagationSeconds: 40 },
      findings: [
        {
          messageId: 'noPreStop',
          line: 27,
          container: 'app',
          data: { propagationSeconds: 40 },
          patch: {
            spec: {
              template: { spec: { terminationGracePeriodSeconds: 45, containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 40 } } } }] } },
            },
          },
        },
      ],
    },
  ],
});
