import { manifests, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const antiAffinity = (term: Record<string, unknown>) => ({
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', ...term }],
    },
  },
});
const noUnavailable = { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };

testRule('surge-blocked-by-pod-anti-affinity', {
  valid: [
    { name: 'scoped to the revision', text: manifests({ podSpec: antiAffinity({ matchLabelKeys: ['pod-template-hash'] }), spec: noUnavailable }) },
    { name: 'another app', text: manifests({ podSpec: antiAffinity({ labelSelector: { matchLabels: { app: 'db' } } }), spec: noUnavailable }) },
    { name: 'another namespace only', text: manifests({ podSpec: antiAffinity({ namespaces: ['other'] }), spec: noUnavailable }) },
    { name: 'no surge', text: manifests({ podSpec: antiAffinity({}), spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } }) },
    { name: 'Recreate', text: manifests({ podSpec: antiAffinity({}), spec: { strategy: { type: 'Recreate' } } }) },
    { name: 'a DaemonSet on its default maxSurge 0', text: manifests({ kind: 'DaemonSet', podSpec: antiAffinity({}) }) },
    { name: 'a StatefulSet never surges', text: manifests({ kind: 'StatefulSet', podSpec: antiAffinity({}) }) },
  ],
  invalid: [
    {
      name: 'an Argo Rollout basic canary surges like a Deployment; its revision label is rollouts-pod-template-hash',
      text: rollout({ canary: { maxSurge: 1, maxUnavailable: 0 } }, { podSpec: antiAffinity({}) }),
      findings: [
        {
          messageId: 'neverProceeds',
          data: { surge: 'maxSurge 1', replicas: 3 },
          fix: 'add matchLabelKeys: [rollouts-pod-template-hash] to the term, so only pods of the same revision repel each other',
        },
      ],
    },
    {
      name: 'hostname anti-affinity with maxUnavailable 0',
      text: manifests({ podSpec: antiAffinity({}), spec: noUnavailable }),
      findings: [
        {
          messageId: 'neverProceeds',
          line: 38,
          data: { topologyKey: 'kubernetes.io/hostname', domain: 'node', surge: 'maxSurge 1', replicas: 3 },
          fix: 'add matchLabelKeys: [pod-template-hash] to the term, so only pods of the same revision repel each other',
        },
      ],
    },
    {
      name: 'matchLabelKeys is dropped before 1.31, so the term still counts old pods',
      text: manifests({ podSpec: antiAffinity({ matchLabelKeys: ['pod-template-hash'] }), spec: noUnavailable }),
      settings: { kubernetesVersion: '1.30' },
      findings: [{ messageId: 'neverProceeds', fixId: 'preferOrNoSurge' }],
    },
    {
      name: 'a custom topology key',
      text: manifests({ replicas: 4, podSpec: antiAffinity({ topologyKey: 'example.com/rack' }) }),
      findings: [{ messageId: 'waitsForOldPod', data: { domain: 'example.com/rack domain', replicas: 4 }, fixId: 'scopeToRevision' }],
    },
    {
      name: 'a DaemonSet that surges onto the node it repels',
      text: manifests({ kind: 'DaemonSet', podSpec: antiAffinity({}), spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
      findings: [{ messageId: 'sameNode', data: { surge: 'maxSurge 1', revisionLabel: 'controller-revision-hash' }, fixId: 'scopeToRevision' }],
    },
    {
      name: 'the same DaemonSet before 1.31',
      text: manifests({ kind: 'DaemonSet', podSpec: antiAffinity({}), spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
      settings: { kubernetesVersion: '1.30' },
      findings: [{ messageId: 'sameNode', fixId: 'noSurge' }],
    },
  ],
});
