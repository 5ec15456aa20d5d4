import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const scaledObject = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web' }) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata,
  spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'kafka', metadata: { topic: 'orders', lagThreshold: '10' } }], ...spec },
});

const httpScaledObject = {
  apiVersion: 'http.keda.sh/v1alpha1',
  kind: 'HTTPScaledObject',
  metadata: { name: 'web' },
  spec: {
    hosts: ['web.example.com'],
    scaleTargetRef: { name: 'web', kind: 'Deployment', apiVersion: 'apps/v1', service: 'web', port: 80 },
    replicas: { min: 0, max: 10 },
  },
};

testRule('keda-scales-serving-to-zero', {
  valid: [
    { name: 'minReplicaCount 1', text: manifests({ extra: [scaledObject({ minReplicaCount: 1 })] }) },
    { name: 'no Service selects the target (a queue worker)', text: manifests({ service: false, extra: [scaledObject({})] }) },
    { name: 'the target is not in the input', text: manifests({ extra: [scaledObject({ scaleTargetRef: { name: 'elsewhere' } })] }) },
    {
      name: 'a StatefulSet target is not the Deployment of the same name',
      text: manifests({ extra: [scaledObject({ scaleTargetRef: { kind: 'StatefulSet', name: 'web' } })] }),
    },
    { name: 'the HTTP add-on holds requests while it scales from zero', text: manifests({ extra: [scaledObject({}), httpScaledObject] }) },
    {
      name: 'paused at 2 replicas',
      text: manifests({ extra: [scaledObject({}, { name: 'web', annotations: { 'autoscaling.keda.sh/paused-replicas': '2' } })] }),
    },
    { name: 'another API group of the same kind name', text: manifests({ extra: [{ ...scaledObject({}), apiVersion: 'example.com/v1' }] }) },
  ],
  invalid: [
    {
      name: 'minReplicaCount unset on a Service-selected Deployment',
      text: manifests({ extra: [scaledObject({})] }),
      findings: [
        {
          messageId: 'scalesToZero',
          line: 36,
          data: {
            minReplicaCount: 'minReplicaCount is unset (KEDA default 0)',
            target: 'Deployment/web',
            triggers: 'kafka',
            cooldownSeconds: 300,
            servingReason: 'selected by Service web',
          },
          fixId: 'keepOnePod',
        },
      ],
    },
    {
      name: 'minReplicaCount 0 with a short cooldown',
      text: manifests({ extra: [scaledObject({ minReplicaCount: 0, cooldownPeriod: 60 })] }),
      findings: [{ messageId: 'scalesToZero', data: { minReplicaCount: 'minReplicaCount is 0', cooldownSeconds: 60 } }],
    },
    {
      name: 'paused at zero replicas is still zero',
      text: manifests({ extra: [scaledObject({}, { name: 'web', annotations: { 'autoscaling.keda.sh/paused-replicas': '0' } })] }),
      findings: [{ messageId: 'scalesToZero' }],
    },
    {
      name: 'idleReplicaCount 0 below minReplicaCount 1',
      text: manifests({ extra: [scaledObject({ minReplicaCount: 1, idleReplicaCount: 0 })] }),
      findings: [
        {
          messageId: 'idlesToZero',
          data: { minReplicas: 1 },
          fix: 'remove spec.idleReplicaCount, or front the workload with the KEDA HTTP add-on (an HTTPScaledObject) so requests wait while it scales from zero',
        },
      ],
    },
  ],
});
