import { hpa, manifests, pdb } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §4.1: percentages round up; disruptionsAllowed = healthy − desired. kube-linter#637 (HPA).
describeFixtures('pdb-blocks-eviction');

describeCases('pdb-blocks-eviction', [
  {
    name: 'invalid: minAvailable equals replicas',
    yaml: manifests({ extra: [pdb({ minAvailable: 3 })] }),
    expected: [{ message: /^minAvailable 3 over 3 pod\(s\) \(Deployment\/web with 3 replica\(s\)\) requires 3 healthy, so disruptionsAllowed is 0/ }],
  },
  { name: 'invalid: minAvailable 100%', yaml: manifests({ extra: [pdb({ minAvailable: '100%' })] }), expected: [{ message: /minAvailable 100%/ }] },
  {
    name: 'invalid: 50% of one pod rounds up to one',
    yaml: manifests({ replicas: 1, extra: [pdb({ minAvailable: '50%' })] }),
    expected: [{ message: /minAvailable 50% over 1 pod\(s\) .* requires 1 healthy/ }],
  },
  { name: 'invalid: maxUnavailable 0', yaml: manifests({ extra: [pdb({ maxUnavailable: 0 })] }), expected: [{ message: /maxUnavailable 0 over 3 pod\(s\)/ }] },
  {
    name: 'invalid: minAvailable at the HPA minimum',
    yaml: manifests({ replicas: null, extra: [hpa(2), pdb({ minAvailable: 2 })] }),
    expected: [{ message: /Deployment\/web at HPA minReplicas 2/ }],
  },
  {
    name: 'invalid: DaemonSet with maxUnavailable 0%',
    yaml: manifests({ kind: 'DaemonSet', extra: [pdb({ maxUnavailable: '0%' })] }),
    expected: [{ message: /over its pods .* requires all healthy/ }],
  },
  {
    name: 'valid: maxUnavailable 1 with HPA minimum 4 (kube-linter#637)',
    yaml: manifests({ replicas: null, extra: [hpa(4), pdb({ maxUnavailable: 1 })] }),
    expected: [],
  },
  { name: 'valid: maxUnavailable 10% of 3 rounds up to 1', yaml: manifests({ extra: [pdb({ maxUnavailable: '10%' })] }), expected: [] },
  { name: 'valid: minAvailable 2 of 3', yaml: manifests({ extra: [pdb({ minAvailable: 2 })] }), expected: [] },
  { name: 'valid: DaemonSet with minAvailable 1 (count unknown)', yaml: manifests({ kind: 'DaemonSet', extra: [pdb({ minAvailable: 1 })] }), expected: [] },
  {
    name: 'valid: selects nothing in the input',
    yaml: manifests({ extra: [{ ...pdb({}), spec: { minAvailable: 1, selector: { matchLabels: { app: 'other' } } } }] }),
    expected: [],
  },
]);
