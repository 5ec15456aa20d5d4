import { hpa, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// §4.2 (drains), §3.4 (StatefulSet deletes before recreating); kube-score#581 (HPA minReplicas).
const statefulSetHpa = { ...hpa(undefined), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }, maxReplicas: 5 } };

testRule('single-replica', {
  valid: [
    { name: 'replicas 3', text: manifests() },
    { name: 'HPA keeps 2 even with replicas 1 in the manifest', text: manifests({ replicas: 1, extra: [hpa(2)] }) },
    { name: 'DaemonSets have no replicas', text: manifests({ kind: 'DaemonSet' }) },
  ],
  invalid: [
    { name: 'replicas 1, at the field', text: manifests({ replicas: 1 }), findings: [{ messageId: 'oneReplica', line: 17, fixId: 'addReplicas' }] },
    { name: 'replicas unset defaults to 1, at the spec', text: manifests({ replicas: null }), findings: [{ messageId: 'oneReplica', line: 16 }] },
    {
      name: 'HPA minReplicas defaults to 1',
      text: manifests({ replicas: null, extra: [hpa(undefined)] }),
      findings: [{ messageId: 'hpaMinimumOne', line: 16, data: { hpa: 'web' }, fix: 'set the HPA minReplicas to at least 2' }],
    },
    {
      name: 'a single StatefulSet pod is deleted before it is recreated (§3.4)',
      text: manifests({ kind: 'StatefulSet', replicas: 1 }),
      findings: [{ messageId: 'oneStatefulSetReplica', line: 17 }],
    },
    {
      name: 'an HPA that may take a StatefulSet down to one pod',
      text: manifests({ kind: 'StatefulSet', replicas: null, extra: [statefulSetHpa] }),
      findings: [{ messageId: 'hpaMinimumOneStatefulSet', line: 16, data: { hpa: 'web' }, fixId: 'raiseHpaMinimum' }],
    },
    {
      name: 'an HPA in another namespace does not manage it (Polaris did not compare namespaces)',
      text: manifests({ replicas: 1, extra: [{ ...hpa(3), metadata: { name: 'web', namespace: 'other' } }] }),
      findings: [{ messageId: 'oneReplica', line: 17 }],
    },
  ],
});
