import { hpa, manifests, pdb } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/disruption-budgets.md#budget-arithmetic: percentages round up; disruptionsAllowed = healthy − desired. kube-linter#637 (HPA).
testRule('pdb-blocks-eviction', {
  valid: [
    { name: 'maxUnavailable 1 with HPA minimum 4 (kube-linter#637)', text: manifests({ replicas: null, extra: [hpa(4), pdb({ maxUnavailable: 1 })] }) },
    { name: 'maxUnavailable 10% of 3 rounds up to 1', text: manifests({ extra: [pdb({ maxUnavailable: '10%' })] }) },
    { name: 'minAvailable 2 of 3', text: manifests({ extra: [pdb({ minAvailable: 2 })] }) },
    { name: 'DaemonSet with minAvailable 1 (count unknown)', text: manifests({ kind: 'DaemonSet', extra: [pdb({ minAvailable: 1 })] }) },
    {
      name: 'selects nothing in the input',
      text: manifests({ extra: [{ ...pdb({}), spec: { minAvailable: 1, selector: { matchLabels: { app: 'other' } } } }] }),
    },
  ],
  invalid: [
    {
      name: 'minAvailable equals replicas',
      text: manifests({ extra: [pdb({ minAvailable: 3 })] }),
      findings: [
        {
          messageId: 'blocksEviction',
          line: 40,
          data: { field: 'minAvailable', value: '3', pods: '3 pods', workloads: 'Deployment/web with 3 replicas', desiredHealthy: 3 },
          fixId: 'allowOneEviction',
        },
      ],
    },
    {
      name: 'minAvailable 100%',
      text: manifests({ extra: [pdb({ minAvailable: '100%' })] }),
      findings: [{ messageId: 'blocksEviction', line: 40, data: { value: '100%' } }],
    },
    {
      name: '50% of one pod rounds up to one',
      text: manifests({ replicas: 1, extra: [pdb({ minAvailable: '50%' })] }),
      findings: [{ messageId: 'blocksEviction', line: 40, data: { value: '50%', pods: '1 pod', desiredHealthy: 1 } }],
    },
    {
      name: 'maxUnavailable 0',
      text: manifests({ extra: [pdb({ maxUnavailable: 0 })] }),
      findings: [{ messageId: 'blocksEviction', line: 40, data: { field: 'maxUnavailable', value: '0', pods: '3 pods' } }],
    },
    {
      name: 'minAvailable at the HPA minimum',
      text: manifests({ replicas: null, extra: [hpa(2), pdb({ minAvailable: 2 })] }),
      findings: [{ messageId: 'blocksEviction', line: 51, data: { workloads: 'Deployment/web at HPA minReplicas 2' } }],
    },
    {
      name: 'DaemonSet with maxUnavailable 0%: blocks at any pod count',
      text: manifests({ kind: 'DaemonSet', extra: [pdb({ maxUnavailable: '0%' })] }),
      findings: [{ messageId: 'blocksEvictionAtAnySize', line: 39, data: { field: 'maxUnavailable', value: '0%', workloads: 'DaemonSet/web' } }],
    },
  ],
});
