import { hpa, manifests, pdb } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §4.2: only the Eviction API honours PDBs. Polaris#999: selectors must match on all labels.
describeFixtures('pdb-missing');

describeCases('pdb-missing', [
  {
    name: 'invalid: 3 replicas, no PDB',
    yaml: manifests(),
    expected: [{ message: /^3 replicas and no PodDisruptionBudget selects them/, fix: /maxUnavailable: 1 and selector matchLabels \{app: web\}/ }],
  },
  { name: 'invalid: HPA minReplicas 3', yaml: manifests({ replicas: null, extra: [hpa(3)] }), expected: [{ message: /^3 replicas/ }] },
  {
    name: 'invalid: a PDB matching only some of the labels does not select the pods (Polaris#999)',
    yaml: manifests({ extra: [{ ...pdb({ maxUnavailable: 1 }), spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web', tier: 'front' } } } }] }),
    expected: [{ message: /no PodDisruptionBudget/ }],
  },
  { name: 'valid: PDB present', yaml: manifests({ extra: [pdb({ maxUnavailable: 1 })] }), expected: [] },
  { name: 'valid: one replica is single-replica territory', yaml: manifests({ replicas: 1 }), expected: [] },
  { name: 'valid: not serving', yaml: manifests({ service: { selector: { app: 'other' } } }), expected: [] },
]);
