import { deploymentConfig, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-controller: Recreate kills all old pods before creating new ones.
testRule('recreate-strategy', {
  valid: [
    { name: 'RollingUpdate by default', text: manifests() },
    { name: 'a worker nobody routes to', text: manifests({ spec: { strategy: { type: 'Recreate' } }, service: { selector: { app: 'other' } } }) },
    { name: 'DeploymentConfig: Rolling is the default', text: deploymentConfig(undefined) },
    { name: 'DeploymentConfig: a Custom strategy is not judged', text: deploymentConfig({ type: 'Custom', customParams: { image: 'example/deployer:1' } }) },
    { name: 'DeploymentConfig scaled to 0 (replicas unset)', text: deploymentConfig({ type: 'Recreate' }, { replicas: null }) },
  ],
  invalid: [
    {
      name: 'Recreate, at the strategy type',
      text: manifests({ spec: { strategy: { type: 'Recreate' } } }),
      findings: [{ messageId: 'stopsEveryPod', line: 19, data: { pods: 'all 3 pods' }, fixId: 'rollingUpdate' }],
    },
    {
      name: 'Recreate for a claim says why there is a better way',
      text: manifests({
        replicas: 1,
        spec: { strategy: { type: 'Recreate' } },
        podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'uploads' } }] },
      }),
      findings: [{ messageId: 'stopsEveryPodForClaim', line: 19, data: { pods: 'its only pod', claims: '"uploads"' } }],
    },
    {
      name: 'DeploymentConfig Recreate',
      text: deploymentConfig({ type: 'Recreate', recreateParams: { timeoutSeconds: 600 } }, { replicas: 2 }),
      findings: [
        {
          messageId: 'deploymentConfigStopsEveryPod',
          data: { pods: 'all 2 pods' },
          fix: 'use strategy Rolling with rollingParams maxUnavailable: 0 and maxSurge: 1',
        },
      ],
    },
  ],
});
