import { hpa, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-rollingupdate ResolveFenceposts (unavailable rounds down, capped at replicas); docs/reference/workload-updates.md#defaults-by-api-version extensions/v1beta1 defaults 1/1.
const strategy = (rollingUpdate: Record<string, unknown>) => ({ strategy: { type: 'RollingUpdate', rollingUpdate } });
const noUnavailable = (extra: Record<string, unknown> = {}) => ({
  spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, ...extra } } },
});

testRule('rollout-unavailable', {
  valid: [
    { name: 'replicas unset but the HPA keeps 3', text: manifests({ replicas: null, spec: strategy({ maxUnavailable: 1 }), extra: [hpa(3)] }) },
    { name: 'apps/v1 defaults with one replica resolve to surge 1, unavailable 0', text: manifests({ replicas: 1 }) },
    { name: 'replicas 4 with 25%', text: manifests({ replicas: 4, spec: strategy({ maxUnavailable: '25%' }) }) },
    { name: 'Recreate is left to recreate-strategy', text: manifests({ replicas: 1, spec: { strategy: { type: 'Recreate' } } }) },
    { name: 'not serving', text: manifests({ replicas: 1, spec: strategy({ maxUnavailable: 1 }), service: { selector: { app: 'other' } } }) },
  ],
  invalid: [
    {
      name: 'replicas 1, maxUnavailable 1',
      text: manifests({ replicas: 1, spec: strategy({ maxSurge: 1, maxUnavailable: 1 }) }),
      findings: [
        {
          messageId: 'resolvesToAll',
          line: 22,
          data: { replicaCount: 'replicas 1', maxUnavailable: 1, unavailable: 1, surge: 1 },
          fix: 'set strategy.rollingUpdate.maxUnavailable: 0 so a new pod is Ready before an old one stops',
          patch: noUnavailable(),
        },
      ],
    },
    {
      name: 'maxUnavailable 100% with maxSurge 0; the fix also opens surge',
      text: manifests({ replicas: 2, spec: strategy({ maxSurge: 0, maxUnavailable: '100%' }) }),
      findings: [
        {
          messageId: 'resolvesToAll',
          line: 22,
          data: { replicaCount: 'replicas 2', maxUnavailable: '100%', unavailable: 2, surge: 0 },
          fixId: 'noUnavailableOneSurge',
          patch: noUnavailable({ maxSurge: 1 }),
        },
      ],
    },
    {
      name: 'extensions/v1beta1 default maxUnavailable 1 with one replica (kubernetes/kubernetes#37728)',
      text: manifests({ apiVersion: 'extensions/v1beta1', replicas: 1 }),
      findings: [{ messageId: 'defaultResolvesToAll', line: 16, data: { apiVersion: 'extensions/v1beta1', maxUnavailable: 1 }, patch: noUnavailable() }],
    },
    {
      name: 'at the HPA minimum of 1',
      text: manifests({ replicas: 3, spec: strategy({ maxUnavailable: 1 }), extra: [hpa(1)] }),
      findings: [{ messageId: 'resolvesToAll', line: 21, data: { replicaCount: 'HPA minReplicas 1' }, patch: noUnavailable() }],
    },
  ],
});
