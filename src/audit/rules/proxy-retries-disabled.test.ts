import { stringify } from 'yaml';
import { testRule } from './fixtures/ruleTester.js';

const ingress = (annotations: Record<string, string>) =>
  stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', annotations },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  });
const service = stringify({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
});
const workload = (kind: 'Deployment' | 'DaemonSet', replicas?: number) =>
  stringify({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'web' },
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'example/web:1' }] } },
    },
  });
const run = (annotations: Record<string, string>, backend = workload('Deployment', 3)) => [ingress(annotations), service, backend].join('---\n');

testRule('proxy-retries-disabled', {
  valid: [
    {
      name: 'the default replica count (1) leaves no other pod to retry on',
      text: run({ 'nginx.ingress.kubernetes.io/proxy-next-upstream': 'off' }, workload('Deployment')),
    },
    { name: 'a retry list with error in it', text: run({ 'nginx.ingress.kubernetes.io/proxy-next-upstream': 'error http_502 non_idempotent' }) },
    { name: 'another controller’s annotations', text: run({ 'nginx.org/proxy-next-upstream': 'off' }) },
    {
      name: 'service-upstream with upstream-vhost: the mesh pattern, whose proxy retries',
      text: run({ 'nginx.ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/upstream-vhost': 'web.default.svc.cluster.local' }),
    },
  ],
  invalid: [
    {
      name: 'service-upstream in front of a DaemonSet',
      text: run({ 'nginx.ingress.kubernetes.io/service-upstream': 'True' }, workload('DaemonSet')),
      findings: [
        {
          messageId: 'serviceUpstream',
          line: 6,
          data: { annotation: 'nginx.ingress.kubernetes.io/service-upstream', value: 'True', backends: 'DaemonSet/web (one pod per node)' },
          fix: 'remove nginx.ingress.kubernetes.io/service-upstream (ingress-nginx then balances over the pod IPs and retries a refused connection on another pod), and give the pods a preStop delay so nothing is refused in the first place',
        },
      ],
    },
    {
      name: 'a single try on three pods',
      text: run({ 'nginx.ingress.kubernetes.io/proxy-next-upstream-tries': '1' }),
      findings: [{ messageId: 'oneTry', data: { value: '1', backends: 'Deployment/web (3 pods)' }, fixId: 'allowTries' }],
    },
  ],
});
