import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const hpaWith = (behavior: Record<string, unknown> | undefined, apiVersion = 'autoscaling/v2') => ({
  apiVersion,
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    ...(behavior ? { behavior } : {}),
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});

const scaledObject = (behavior: Record<string, unknown>) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { name: 'web' },
    minReplicaCount: 2,
    maxReplicaCount: 20,
    advanced: { horizontalPodAutoscalerConfig: { behavior } },
    triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }],
  },
});

const noWindow = { scaleDown: { stabilizationWindowSeconds: 0 } };

testRule('hpa-aggressive-scale-down', {
  valid: [
    { name: 'no behavior: the 300 s window', text: manifests({ extra: [hpaWith(undefined)] }) },
    {
      name: 'a written 100 % policy keeps the default window',
      text: manifests({ extra: [hpaWith({ scaleDown: { policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } })] }),
    },
    { name: 'a short window that is not 0', text: manifests({ extra: [hpaWith({ scaleDown: { stabilizationWindowSeconds: 60 } })] }) },
    { name: 'scale-down disabled', text: manifests({ extra: [hpaWith({ scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } })] }) },
    { name: 'scale-up without a window is the default', text: manifests({ extra: [hpaWith({ scaleUp: { stabilizationWindowSeconds: 0 } })] }) },
    {
      name: 'a queue worker no Service selects',
      text: manifests({ service: false, containers: [{ name: 'worker', image: 'example/worker:1' }], extra: [hpaWith(noWindow)] }),
    },
  ],
  invalid: [
    {
      name: 'window 0 with the default policy',
      text: manifests({ extra: [hpaWith(noWindow)] }),
      findings: [
        {
          messageId: 'noStabilization',
          line: 45,
          data: {
            autoscaler: 'HorizontalPodAutoscaler web',
            workload: 'Deployment/web',
            rate: 'the default policy allows 100 % every 15 s, which lets one step remove every pod above the minimum',
          },
          fixId: 'keepWindow',
        },
      ],
    },
    {
      name: 'window 0 with a gentle written policy',
      text: manifests({ extra: [hpaWith({ scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } })] }),
      findings: [{ messageId: 'noStabilization', data: { rate: 'its policies allow 1 pod every 60 s' } }],
    },
    {
      name: 'the Min of two policies',
      text: manifests({
        extra: [
          hpaWith({
            scaleDown: {
              stabilizationWindowSeconds: 0,
              selectPolicy: 'Min',
              policies: [
                { type: 'Percent', value: 50, periodSeconds: 30 },
                { type: 'Pods', value: 4, periodSeconds: 30 },
              ],
            },
          }),
        ],
      }),
      findings: [{ messageId: 'noStabilization', data: { rate: 'its policies allow 50 % every 30 s and 4 pods every 30 s' } }],
    },
    {
      name: 'a KEDA ScaledObject’s HPA config',
      text: manifests({ extra: [scaledObject(noWindow)] }),
      findings: [{ messageId: 'noStabilization', data: { autoscaler: 'ScaledObject web' } }],
    },
  ],
});
