import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-rollingupdate surge rounds up; docs/reference/workload-updates.md#statefulset StatefulSets do not surge.
const pvc = (accessModes: string[]) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'uploads' },
  spec: { accessModes, resources: { requests: { storage: '1Gi' } } },
});
const withClaim = (accessModes: string[] | undefined, spec: Record<string, unknown> = {}, replicas = 1) =>
  manifests({
    replicas,
    spec,
    podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'uploads' } }] },
    ...(accessModes ? { extra: [pvc(accessModes)] } : {}),
  });

testRule('surge-blocked-by-rwo-volume', {
  valid: [
    { name: 'ReadWriteMany', text: withClaim(['ReadWriteMany']) },
    { name: 'the claim is not in the input (access mode unknown)', text: withClaim(undefined) },
    { name: 'no surge', text: withClaim(['ReadWriteOnce'], { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }) },
    { name: 'Recreate', text: withClaim(['ReadWriteOnce'], { strategy: { type: 'Recreate' } }) },
  ],
  invalid: [
    {
      name: 'default surge with a ReadWriteOnce claim and one replica: the rollout stalls',
      text: withClaim(['ReadWriteOnce']),
      findings: [
        {
          messageId: 'otherNodeAndStalls',
          line: 34,
          data: { surge: '1 new pod', claim: 'uploads', mode: 'ReadWriteOnce' },
          fix: 'use a ReadWriteMany volume, or a StatefulSet with volumeClaimTemplates (one claim per pod)',
        },
      ],
    },
    {
      name: 'ReadWriteOnce with four replicas: the rollout waits for an old pod',
      text: withClaim(['ReadWriteOnce'], {}, 4),
      findings: [{ messageId: 'otherNodeUntilOldPodGoes', line: 34, data: { mode: 'ReadWriteOnce' } }],
    },
    {
      name: 'ReadWriteOncePod can never be shared',
      text: withClaim(['ReadWriteOncePod']),
      findings: [{ messageId: 'neverMountsAndStalls', line: 34, data: { mode: 'ReadWriteOncePod' } }],
    },
    {
      name: 'ReadWriteOncePod with four replicas',
      text: withClaim(['ReadWriteOncePod'], {}, 4),
      findings: [{ messageId: 'neverMountsUntilOldPodGoes', line: 34, data: { surge: '1 new pod' } }],
    },
  ],
});
