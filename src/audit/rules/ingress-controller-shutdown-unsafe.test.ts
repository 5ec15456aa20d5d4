import { stringify } from 'yaml';
import { testRule } from './fixtures/ruleTester.js';

const deployment = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'edge', namespace: 'edge' },
    spec: {
      selector: { matchLabels: { app: 'edge' } },
      template: { metadata: { labels: { app: 'edge' } }, spec: { ...spec, containers: [{ name: 'proxy', ...container }] } },
    },
  });

const configMap = (data: Record<string, string>) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-nginx', namespace: 'edge' }, data });

const nginx = (args: string[]) => ({ image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', ...args] });

testRule('ingress-controller-shutdown-unsafe', {
  valid: [
    {
      name: 'ingress-nginx with a ConfigMap that shortens the drain to what the grace period holds',
      text: `${configMap({ 'worker-shutdown-timeout': '20s' })}---\n${deployment(nginx(['--configmap=edge/edge-nginx']))}`,
    },
    { name: 'Traefik with the defaults (graceTimeOut 10 s) and the default grace period', text: deployment({ image: 'traefik:v3.1', args: ['--ping'] }) },
    {
      name: 'Traefik lifecycle flags are case-insensitive and fit the grace period',
      text: deployment({
        image: 'traefik:v3.1',
        args: ['--entrypoints.web.transport.lifecycle.requestacceptgracetimeout=10', '--entrypoints.web.address=:80'],
      }),
    },
    {
      name: 'an Envoy whose preStop drains the listeners through a sidecar',
      text: deployment(
        { image: 'envoyproxy/envoy:v1.31.2' },
        {
          initContainers: [
            {
              name: 'drainer',
              image: 'curlimages/curl:8.8.0',
              restartPolicy: 'Always',
              lifecycle: { preStop: { exec: { command: ['sh', '-c', 'curl -XPOST localhost:9901/drain_listeners?graceful; sleep 20'] } } },
            },
          ],
        },
      ),
    },
    { name: 'an image named like a proxy in another repository is not one', text: deployment({ image: 'example.com/envoy:v1.31.2' }) },
  ],
  invalid: [
    {
      name: 'ingress-nginx without its ConfigMap in the input assumes the 240 s default',
      text: deployment(
        {
          ...nginx(['--configmap=$(POD_NAMESPACE)/edge-nginx']),
          env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
        },
        { terminationGracePeriodSeconds: 120 },
      ),
      findings: [
        {
          messageId: 'nginxGraceShort',
          container: 'proxy',
          data: {
            grace: 'terminationGracePeriodSeconds 120',
            sgp: 0,
            sgpOrigin: 'the default',
            wst: 240,
            needed: 240,
            assumed: '; ConfigMap edge/edge-nginx (--configmap) is not in the input, so the default worker-shutdown-timeout of 240 s is assumed',
          },
          fix: "set terminationGracePeriodSeconds to at least 240, or lower worker-shutdown-timeout in the controller's ConfigMap to what your longest requests need",
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 240 } } } },
        },
      ],
    },
    {
      name: 'ingress-nginx: a preStop sleep, the grace period flag and the ConfigMap all add up',
      text: `${configMap({ 'worker-shutdown-timeout': '1m30s' })}---\n${deployment(
        {
          ...nginx(['--configmap=edge/edge-nginx', '--shutdown-grace-period', '30']),
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5 && /wait-shutdown'] } } },
        },
        { terminationGracePeriodSeconds: 100 },
      )}`,
      findings: [
        {
          messageId: 'nginxGraceShort',
          container: 'proxy',
          data: {
            preStop: 'the preStop sleeps 5 s, then ',
            sgp: 30,
            sgpOrigin: '--shutdown-grace-period=30',
            wst: 90,
            wstOrigin: 'worker-shutdown-timeout: "1m30s" in ConfigMap edge/edge-nginx',
            needed: 125,
            assumed: '',
          },
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 125 } } } },
        },
      ],
    },
    {
      name: 'ingress-nginx without --configmap reads no ConfigMap: the default is no assumption; a zero grace period is shown as written',
      text: deployment(nginx([]), { terminationGracePeriodSeconds: 0 }),
      findings: [
        {
          messageId: 'nginxGraceShort',
          container: 'proxy',
          data: { grace: 'terminationGracePeriodSeconds 0 (the kubelet applies 1)', wstOrigin: 'the default', assumed: '' },
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 240 } } } },
        },
      ],
    },
    {
      name: 'ingress-nginx behind an NLB with IP targets: the shutdown grace period must outlast the deregistration, and the grace period both',
      text: `${stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'edge',
          namespace: 'edge',
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          },
        },
        spec: { type: 'LoadBalancer', selector: { app: 'edge' }, ports: [{ port: 80, targetPort: 80 }] },
      })}---\n${deployment(
        { ...nginx(['--shutdown-grace-period=10']), ports: [{ containerPort: 80 }], lifecycle: { preStop: { sleep: { seconds: 5 } } } },
        { terminationGracePeriodSeconds: 300 },
      )}`,
      findings: [
        {
          messageId: 'nginxQuitsBeforeRemoval',
          container: 'proxy',
          data: {
            pathDescription: 'AWS NLB (IP targets) through Service edge/edge port 80',
            removal: 120,
            removalOrigin: 'the default for this path',
            delay: 15,
            delayHow: 'the preStop sleeps 5 s, then --shutdown-grace-period 10 s (--shutdown-grace-period=10)',
            sgpNeeded: 115,
            needed: 360,
          },
          fix: 'set --shutdown-grace-period=115 on the controller (it keeps nginx serving that long after SIGTERM, while the load balancer lets go of the pod) and terminationGracePeriodSeconds to at least 360',
          patch: {
            spec: {
              template: {
                spec: {
                  terminationGracePeriodSeconds: 360,
                  containers: [{ name: 'proxy', args: ['/nginx-ingress-controller', '--shutdown-grace-period=115'] }],
                },
              },
            },
          },
        },
      ],
    },
    {
      name: 'Traefik: the slowest entry point decides',
      text: deployment({
        image: 'traefik:v3.1',
        args: [
          '--entryPoints.web.address=:80',
          '--entryPoints.web.transport.lifeCycle.graceTimeOut=20s',
          '--entryPoints.grpc.address=:9000',
          '--entryPoints.grpc.transport.lifeCycle.requestAcceptGraceTimeout=15',
          '--entryPoints.grpc.transport.lifeCycle.graceTimeOut=1m',
        ],
      }),
      findings: [
        {
          messageId: 'traefikGraceShort',
          container: 'proxy',
          data: {
            grace: 'terminationGracePeriodSeconds 30 (the default)',
            entryPoint: 'grpc',
            rag: 15,
            ragOrigin: 'requestAcceptGraceTimeout 15 (the container arguments)',
            gto: 60,
            needed: 75,
          },
          fixId: 'raiseTraefikGrace',
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 75 } } } },
        },
      ],
    },
    {
      name: 'a standalone Envoy with no drain',
      text: deployment({ image: 'envoyproxy/envoy:v1.31.2', args: ['-c', '/etc/envoy.yaml'] }),
      findings: [{ messageId: 'envoyNoDrain', container: 'proxy', data: { how: 'has no preStop and no shutdown manager beside it' }, fixId: 'addEnvoyDrain' }],
    },
  ],
});
