import { hpa, manifests, pdb } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/disruption-budgets.md#what-a-budget-protects: only the Eviction API honours PDBs. Polaris#999: selectors must match on all labels.
testRule('pdb-missing', {
  valid: [
    { name: 'PDB present', text: manifests({ extra: [pdb({ maxUnavailable: 1 })] }) },
    { name: 'one replica is single-replica territory', text: manifests({ replicas: 1 }) },
    { name: 'not serving', text: manifests({ service: { selector: { app: 'other' } } }) },
  ],
  invalid: [
    {
      name: '3 replicas, no PDB: the fix names the selector',
      text: manifests(),
      findings: [
        { messageId: 'noBudget', line: 15, data: { replicas: 3 }, fix: 'add a PodDisruptionBudget with maxUnavailable: 1 and selector matchLabels {app: web}' },
      ],
    },
    { name: 'HPA minReplicas 3', text: manifests({ replicas: null, extra: [hpa(3)] }), findings: [{ messageId: 'noBudget', line: 15, data: { replicas: 3 } }] },
    {
      name: 'a PDB matching only some of the labels does not select the pods (Polaris#999)',
      text: manifests({ extra: [{ ...pdb({ maxUnavailable: 1 }), spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web', tier: 'front' } } } }] }),
      findings: [{ messageId: 'noBudget', line: 15 }],
    },
    {
      name: 'no labels to select by: the fix leaves the selector to the reader',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]\n',
      findings: [{ messageId: 'noBudget', line: 3, data: { replicas: 2 }, fixId: 'addBudget' }],
    },
  ],
});
