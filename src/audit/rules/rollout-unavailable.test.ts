import { hpa, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §3.1 ResolveFenceposts (unavailable rounds down, capped at replicas); §3.3 extensions/v1beta1 defaults 1/1.
describeFixtures('rollout-unavailable');

const strategy = (rollingUpdate: Record<string, unknown>) => ({ strategy: { type: 'RollingUpdate', rollingUpdate } });

describeCases('rollout-unavailable', [
  {
    name: 'invalid: replicas 1, maxUnavailable 1',
    yaml: manifests({ replicas: 1, spec: strategy({ maxSurge: 1, maxUnavailable: 1 }) }),
    expected: [
      {
        message: /^replicas 1 with maxUnavailable 1 resolves to 1 unavailable \(maxSurge 1, §3\.1\): .*leaving 0 available pods/,
        patch: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } } },
      },
    ],
  },
  {
    name: 'invalid: maxUnavailable 100% with maxSurge 0; the fix also opens surge',
    yaml: manifests({ replicas: 2, spec: strategy({ maxSurge: 0, maxUnavailable: '100%' }) }),
    expected: [
      {
        message: /replicas 2 with maxUnavailable 100% resolves to 2 unavailable \(maxSurge 0/,
        fix: /maxUnavailable: 0 and maxSurge: 1/,
        patch: { spec: { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } } },
      },
    ],
  },
  {
    name: 'invalid: extensions/v1beta1 default maxUnavailable 1 with one replica (kubernetes/kubernetes#37728)',
    yaml: manifests({ apiVersion: 'extensions/v1beta1', replicas: 1 }),
    expected: [{ message: /maxUnavailable unset \(extensions\/v1beta1 defaults it to 1, §3\.3\)/ }],
  },
  {
    name: 'invalid: at the HPA minimum of 1',
    yaml: manifests({ replicas: 3, spec: strategy({ maxUnavailable: 1 }), extra: [hpa(1)] }),
    expected: [{ message: /^HPA minReplicas 1 with maxUnavailable 1 resolves to 1 unavailable/ }],
  },
  {
    name: 'valid: replicas unset but the HPA keeps 3',
    yaml: manifests({ replicas: null, spec: strategy({ maxUnavailable: 1 }), extra: [hpa(3)] }),
    expected: [],
  },
  { name: 'valid: apps/v1 defaults with one replica resolve to surge 1, unavailable 0', yaml: manifests({ replicas: 1 }), expected: [] },
  { name: 'valid: replicas 4 with 25%', yaml: manifests({ replicas: 4, spec: strategy({ maxUnavailable: '25%' }) }), expected: [] },
  { name: 'valid: Recreate is left to recreate-strategy', yaml: manifests({ replicas: 1, spec: { strategy: { type: 'Recreate' } } }), expected: [] },
  {
    name: 'valid: not serving',
    yaml: manifests({ replicas: 1, spec: strategy({ maxUnavailable: 1 }), service: { selector: { app: 'other' } } }),
    expected: [],
  },
]);
