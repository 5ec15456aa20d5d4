import { ingress, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// argoproj/argo-rollouts#2641 and PR #1368: the preview Service is switched to the new ReplicaSet at size 0.
const previewService = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-preview' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});
const previewIngress = {
  ...ingress(),
  metadata: { name: 'web-preview' },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      { host: 'beta.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-preview', port: { number: 80 } } } }] } },
    ],
  },
};
const blueGreen = { blueGreen: { activeService: 'web', previewService: 'web-preview' } };

testRule('argo-preview-service-switched-before-ready', {
  valid: [
    { name: 'a preview only smoke tests call (ClusterIP, no route to it)', text: rollout(blueGreen, { extra: [previewService()] }) },
    { name: 'no previewService', text: rollout({ blueGreen: { activeService: 'web' } }, { extra: [ingress()] }) },
    { name: 'a canary has no preview Service', text: rollout({ canary: {} }, { extra: [previewService(), previewIngress] }) },
  ],
  invalid: [
    {
      name: 'an Ingress sends beta users to the preview',
      text: rollout(blueGreen, { extra: [previewService(), previewIngress] }),
      findings: [{ messageId: 'previewEmptyAtStart', data: { service: 'web-preview', sender: 'Ingress/web-preview' }, fixId: 'noTrafficOnPreview' }],
    },
    {
      name: 'the preview is a LoadBalancer',
      text: rollout(blueGreen, { extra: [previewService({ type: 'LoadBalancer' })] }),
      findings: [{ messageId: 'previewEmptyAtStart', data: { sender: 'its type LoadBalancer' } }],
    },
  ],
});
