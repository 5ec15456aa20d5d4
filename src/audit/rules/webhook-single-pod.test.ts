import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/service-consumers.md#admission-webhooks: Fail rejects writes while no pod is ready, Ignore admits them.
const webhook = (failurePolicy?: string, apiVersion = 'admissionregistration.k8s.io/v1') => ({
  apiVersion,
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'web-defaults' },
  webhooks: [
    { name: 'default.web.example.org', ...(failurePolicy ? { failurePolicy } : {}), clientConfig: { service: { name: 'web', namespace: 'default' } } },
  ],
});
const https = { ports: [{ port: 443, targetPort: 8443 }] };
const app = [{ name: 'app', image: 'example/webhook:1.0', ports: [{ containerPort: 8443 }] }];

testRule('webhook-single-pod', {
  valid: [
    { name: 'two replicas', text: manifests({ replicas: 2, containers: app, service: https, extra: [webhook('Fail')] }) },
    {
      name: 'failurePolicy Ignore: writes pass while it is down',
      text: manifests({ replicas: 1, containers: app, service: https, extra: [webhook('Ignore')] }),
    },
    {
      name: 'admissionregistration v1beta1 defaulted to Ignore',
      text: manifests({ replicas: 1, containers: app, service: https, extra: [webhook(undefined, 'admissionregistration.k8s.io/v1beta1')] }),
    },
    { name: 'no webhook names the Service', text: manifests({ replicas: 1, containers: app, service: https }) },
  ],
  invalid: [
    {
      name: 'failurePolicy Fail and one replica',
      text: manifests({ replicas: 1, containers: app, service: https, extra: [webhook('Fail')] }),
      findings: [
        {
          messageId: 'onePod',
          line: 17,
          data: { configuration: 'MutatingWebhookConfiguration web-defaults', webhook: 'default.web.example.org', policy: 'Fail', service: 'web' },
          fix: 'run at least 2 replicas spread across nodes with a PodDisruptionBudget, or set failurePolicy: Ignore if those writes may pass unchecked',
        },
      ],
    },
    {
      name: 'failurePolicy unset is Fail in admissionregistration v1',
      text: manifests({ replicas: null, containers: app, service: https, extra: [webhook()] }),
      findings: [{ messageId: 'onePod', line: 16, data: { policy: 'Fail (unset, the default)', workload: 'Deployment/web' } }],
    },
  ],
});
