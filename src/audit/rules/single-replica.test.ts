import { hpa, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §4.2 (drains), §3.4 (StatefulSet deletes before recreating); kube-score#581 (HPA minReplicas).
describeFixtures('single-replica');

describeCases('single-replica', [
  {
    name: 'invalid: replicas 1',
    yaml: manifests({ replicas: 1 }),
    expected: [{ message: /^it runs replicas 1: a node drain, eviction or crash leaves the Service with no endpoint/, fix: /at least 2 replicas/ }],
  },
  { name: 'invalid: replicas unset defaults to 1', yaml: manifests({ replicas: null }), expected: [{ message: /runs replicas 1/ }] },
  {
    name: 'invalid: HPA minReplicas defaults to 1',
    yaml: manifests({ replicas: null, extra: [hpa(undefined)] }),
    expected: [{ message: /HorizontalPodAutoscaler web may scale it down to minReplicas 1/, fix: /HPA minReplicas/ }],
  },
  {
    name: 'invalid: a single StatefulSet pod is deleted before it is recreated',
    yaml: manifests({ kind: 'StatefulSet', replicas: 1 }),
    expected: [{ message: /StatefulSet update deletes the pod before recreating it \(§3\.4\)/ }],
  },
  {
    name: 'invalid: an HPA in another namespace does not manage it (Polaris did not compare namespaces)',
    yaml: manifests({ replicas: 1, extra: [{ ...hpa(3), metadata: { name: 'web', namespace: 'other' } }] }),
    expected: [{ message: /^it runs replicas 1/ }],
  },
  { name: 'valid: replicas 3', yaml: manifests(), expected: [] },
  { name: 'valid: HPA keeps 2 even with replicas 1 in the manifest', yaml: manifests({ replicas: 1, extra: [hpa(2)] }), expected: [] },
  { name: 'valid: DaemonSets have no replicas', yaml: manifests({ kind: 'DaemonSet' }), expected: [] },
]);
