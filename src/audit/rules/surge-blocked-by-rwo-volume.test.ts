import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.1 surge rounds up; §3.4 StatefulSets do not surge.
describeFixtures('surge-blocked-by-rwo-volume');

const pvc = (accessModes: string[]) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'uploads' },
  spec: { accessModes, resources: { requests: { storage: '1Gi' } } },
});
const withClaim = (accessModes: string[] | undefined, spec: Record<string, unknown> = {}) =>
  manifests({
    replicas: 1,
    spec,
    podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'uploads' } }] },
    ...(accessModes ? { extra: [pvc(accessModes)] } : {}),
  });

describeCases('surge-blocked-by-rwo-volume', [
  {
    name: 'invalid: default surge with a ReadWriteOnce claim',
    yaml: withClaim(['ReadWriteOnce']),
    expected: [
      {
        message:
          /surges 1 new pod\(s\) that mount claim "uploads" \(ReadWriteOnce\) .*Multi-Attach.*with maxUnavailable 0 no old pod is stopped to free it, so the rollout stalls/,
      },
    ],
  },
  { name: 'invalid: ReadWriteOncePod can never be shared', yaml: withClaim(['ReadWriteOncePod']), expected: [{ message: /the new pod can never mount it/ }] },
  { name: 'valid: ReadWriteMany', yaml: withClaim(['ReadWriteMany']), expected: [] },
  { name: 'valid: the claim is not in the input (access mode unknown)', yaml: withClaim(undefined), expected: [] },
  { name: 'valid: no surge', yaml: withClaim(['ReadWriteOnce'], { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }), expected: [] },
  { name: 'valid: Recreate', yaml: withClaim(['ReadWriteOnce'], { strategy: { type: 'Recreate' } }), expected: [] },
]);
