import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const spread = (c: Record<string, unknown>) => ({
  topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c },
  ],
});

testRule('rollout-skews-topology-spread', {
  valid: [
    { name: 'scoped to the revision', text: manifests({ podSpec: spread({ matchLabelKeys: ['pod-template-hash'] }) }) },
    { name: 'ScheduleAnyway', text: manifests({ podSpec: spread({ whenUnsatisfiable: 'ScheduleAnyway' }) }) },
    { name: 'another app', text: manifests({ podSpec: spread({ labelSelector: { matchLabels: { app: 'db' } } }) }) },
    { name: 'no surge', text: manifests({ podSpec: spread({}), spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } }) },
    { name: 'a StatefulSet never surges', text: manifests({ kind: 'StatefulSet', podSpec: spread({}) }) },
    { name: 'no labelSelector counts no pods', text: manifests({ podSpec: spread({ labelSelector: undefined }) }) },
  ],
  invalid: [
    {
      name: 'zone spread without matchLabelKeys',
      text: manifests({ podSpec: spread({}) }),
      findings: [
        {
          messageId: 'oldPodsCounted',
          data: { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, surge: 'maxSurge 1', replicas: 3 },
          fix: 'add matchLabelKeys: [pod-template-hash] to the constraint, so the spread is computed over pods of the same revision',
        },
      ],
    },
    {
      name: 'matchLabelKeys is not available before 1.27',
      text: manifests({ podSpec: spread({ matchLabelKeys: ['pod-template-hash'] }) }),
      settings: { kubernetesVersion: '1.26' },
      findings: [{ messageId: 'oldPodsCounted', fixId: 'rebalance' }],
    },
  ],
});
