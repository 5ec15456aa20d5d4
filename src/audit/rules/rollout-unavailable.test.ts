import { deploymentConfig, hpa, manifests, rollout } from './fixtures/manifests.js';
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
    // Argo Rollouts: a basic canary resolves its defaults (25%/25%) like a Deployment: 1 replica → surge 1, unavailable 0.
    { name: 'Rollout canary defaults with one replica', text: rollout({ canary: { steps: [{ setWeight: 20 }, { pause: {} }] } }, { replicas: 1 }) },
    {
      name: 'Rollout canary with trafficRouting keeps the stable ReplicaSet at full size',
      text: rollout(
        { canary: { maxUnavailable: 1, stableService: 'web', canaryService: 'web-canary', trafficRouting: { nginx: { stableIngress: 'web' } } } },
        { replicas: 1 },
      ),
    },
    { name: 'Rollout blue-green starts the new ReplicaSet at full size first', text: rollout({ blueGreen: { activeService: 'web' } }, { replicas: 1 }) },
    {
      name: 'a Rollout of another API group is not read',
      text: manifests({ kind: 'Rollout', apiVersion: 'example.com/v1', replicas: 1, spec: { strategy: { canary: { maxUnavailable: 1 } } } }),
    },
    // DeploymentConfig: 25%/25% with 1 replica → surge 1, unavailable 0.
    { name: 'DeploymentConfig defaults with one replica', text: deploymentConfig(undefined, { replicas: 1 }) },
    {
      name: 'DeploymentConfig with only maxSurge set: the API server leaves maxUnavailable unset (undecided here)',
      text: deploymentConfig({ type: 'Rolling', rollingParams: { maxSurge: '100%' } }, { replicas: 1 }),
    },
    {
      name: 'DeploymentConfig replicas unset is 0 pods',
      text: deploymentConfig({ type: 'Rolling', rollingParams: { maxSurge: 0, maxUnavailable: 1 } }, { replicas: null }),
    },
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
    {
      name: 'Rollout basic canary, one replica with maxUnavailable 1',
      text: rollout({ canary: { maxUnavailable: 1 } }, { replicas: 1 }),
      findings: [
        {
          messageId: 'canaryResolvesToAll',
          data: { replicaCount: 'replicas 1', maxUnavailable: 1, unavailable: 1, surge: 1, defaulted: '' },
          fix: 'set strategy.canary.maxUnavailable: 0 so a canary pod is Ready before a stable one stops',
          patch: { spec: { strategy: { canary: { maxUnavailable: 0 } } } },
        },
      ],
    },
    {
      name: 'Rollout canary: a quoted "0" maxSurge is 0% to Argo, and 100% unavailable takes both pods',
      text: rollout({ canary: { maxSurge: '0', maxUnavailable: '100%' } }, { replicas: 2 }),
      findings: [
        {
          messageId: 'canaryResolvesToAll',
          data: { unavailable: 2, surge: 0 },
          fixId: 'canaryNoUnavailableOneSurge',
          patch: { spec: { strategy: { canary: { maxUnavailable: 0, maxSurge: 1 } } } },
        },
      ],
    },
    {
      name: 'Rollout at the HPA minimum of 1 (the HPA targets the Rollout)',
      text: rollout({ canary: { maxUnavailable: 1 } }, { replicas: 3, extra: [hpa(1, 'web', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' })] }),
      findings: [
        { messageId: 'canaryResolvesToAll', data: { replicaCount: 'HPA minReplicas 1' }, patch: { spec: { strategy: { canary: { maxUnavailable: 0 } } } } },
      ],
    },
    {
      name: 'DeploymentConfig with maxSurge 0: maxUnavailable defaults to 25%, 0 of 1 pod, forced to 1 (openshift/origin#7700)',
      text: deploymentConfig({ type: 'Rolling', rollingParams: { maxSurge: 0 } }, { replicas: 1 }),
      findings: [
        {
          messageId: 'rollingParamsResolveToAll',
          data: { replicaCount: 'replicas 1', maxUnavailable: '25%', unavailable: 1, surge: 0, defaulted: ' (unset, the default)' },
          fixId: 'rollingParamsNoUnavailableOneSurge',
          patch: { spec: { strategy: { type: 'Rolling', rollingParams: { maxUnavailable: 0, maxSurge: 1 } } } },
        },
      ],
    },
    {
      name: 'DeploymentConfig one replica with maxUnavailable 1',
      text: deploymentConfig({ type: 'Rolling', rollingParams: { maxSurge: 1, maxUnavailable: 1 } }, { replicas: 1 }),
      findings: [
        {
          messageId: 'rollingParamsResolveToAll',
          fix: 'set strategy.rollingParams.maxUnavailable: 0 so a new pod is Ready before an old one stops',
          patch: { spec: { strategy: { type: 'Rolling', rollingParams: { maxUnavailable: 0 } } } },
        },
      ],
    },
  ],
});
