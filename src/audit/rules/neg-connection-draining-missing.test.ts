import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const ingress = (cls: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': cls } },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
});

testRule('neg-connection-draining-missing', {
  valid: [
    { name: 'an ingress-nginx Ingress', text: manifests({ extra: [ingress('nginx')] }) },
    {
      name: 'a BackendConfig named but not in the input is an assumption, not a finding',
      text: manifests({ extra: [ingress('gce')], serviceAnnotations: { 'cloud.google.com/backend-config': '{"default": "elsewhere"}' } }),
    },
    {
      name: 'instance groups (NEG turned off) are not this rule',
      text: manifests({ extra: [ingress('gce')], serviceAnnotations: { 'cloud.google.com/neg': '{"ingress": false}' } }),
    },
  ],
  invalid: [
    {
      name: 'an internal GKE Ingress without a NEG annotation uses NEGs by default',
      text: manifests({ extra: [ingress('gce-internal')] }),
      findings: [{ messageId: 'noBackendConfig', data: { service: 'web', suggested: 30 }, fixId: 'addBackendConfig' }],
    },
  ],
});
