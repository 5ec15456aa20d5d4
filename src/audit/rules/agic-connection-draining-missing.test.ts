import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const ingress = (annotations: Record<string, string>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'azure/application-gateway', ...annotations } },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
});

testRule('agic-connection-draining-missing', {
  valid: [
    {
      name: 'draining on with the default 30 s timeout and the default drain',
      text: manifests({ extra: [ingress({ 'appgw.ingress.kubernetes.io/connection-draining': 'true' })] }),
    },
    {
      name: 'not an AGIC Ingress',
      text: manifests({ extra: [{ ...ingress({}), metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } }] }),
    },
  ],
  invalid: [
    {
      name: 'draining written "false"',
      text: manifests({ extra: [ingress({ 'appgw.ingress.kubernetes.io/connection-draining': 'false' })] }),
      findings: [
        {
          messageId: 'drainingOff',
          data: { ingress: 'web', suggested: 30 },
          fix: 'annotate Ingress web with appgw.ingress.kubernetes.io/connection-draining: "true" and appgw.ingress.kubernetes.io/connection-draining-timeout: "30" (at least your longest request)',
        },
      ],
    },
    {
      name: 'a written timeout shorter than --drain-seconds',
      text: manifests({
        extra: [ingress({ 'appgw.ingress.kubernetes.io/connection-draining': 'true', 'appgw.ingress.kubernetes.io/connection-draining-timeout': '10' })],
      }),
      settings: { drainSeconds: 20 },
      findings: [{ messageId: 'drainingTooShort', data: { timeout: '10 s', defaulted: '', drain: '20 s', suggested: 30 }, fixId: 'raiseTimeout' }],
    },
  ],
});
