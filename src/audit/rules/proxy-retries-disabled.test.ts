import { ingress, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const run = (annotations: Record<string, string>, workload: { kind?: string; replicas?: number | null } = {}) =>
  manifests({ ...workload, extra: [ingress(annotations)] });

testRule('proxy-retries-disabled', {
  valid: [
    {
      name: 'the default replica count (1) leaves no other pod to retry on',
      text: run({ 'nginx.ingress.kubernetes.io/proxy-next-upstream': 'off' }, { replicas: null }),
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
      text: run({ 'nginx.ingress.kubernetes.io/service-upstream': 'True' }, { kind: 'DaemonSet' }),
      findings: [
        {
          messageId: 'serviceUpstream',
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
