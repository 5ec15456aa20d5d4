import { deploymentConfig, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n${spec}`;

testRule('unknown-field', {
  valid: [
    {
      name: 'a Rollout with every strategy block written the way Argo documents it',
      text: rollout(
        {
          canary: {
            stableService: 'web',
            canaryService: 'web-canary',
            trafficRouting: { alb: { ingress: 'web', servicePort: 80 } },
            steps: [{ setWeight: 20 }, { pause: {} }],
            scaleDownDelaySeconds: 60,
            abortScaleDownDelaySeconds: 60,
          },
        },
        { spec: { progressDeadlineAbort: true, revisionHistoryLimit: 3 } },
      ),
    },
    {
      name: 'a DeploymentConfig from a template',
      text: deploymentConfig(
        {
          type: 'Rolling',
          rollingParams: { updatePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 600, maxSurge: '25%', maxUnavailable: '25%' },
          resources: {},
          activeDeadlineSeconds: 21600,
        },
        { spec: { triggers: [{ type: 'ConfigChange' }], test: false, revisionHistoryLimit: 10 } },
      ),
    },
    {
      name: 'known fields everywhere',
      text: deployment(
        '  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n        lifecycle: {preStop: {sleep: {seconds: 5}}}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'a Rollout: a misspelt blue-green field (argo-rollouts types.go BlueGreenStrategy)',
      text: rollout({ blueGreen: { activeService: 'web', scaleDownDelaySecond: 120 } }),
      findings: [
        {
          messageId: 'misspelt',
          data: { key: 'scaleDownDelaySecond', where: 'strategy.blueGreen', suggestion: 'scaleDownDelaySeconds' },
          patch: { spec: { strategy: { blueGreen: { scaleDownDelaySeconds: 120, scaleDownDelaySecond: null } } } },
        },
      ],
    },
    {
      name: 'a Rollout: a Deployment field in the canary block',
      text: rollout({ canary: { rollingUpdate: { maxSurge: 1 } } }),
      findings: [{ messageId: 'unknown', data: { key: 'rollingUpdate', where: 'strategy.canary' } }],
    },
    {
      name: 'a DeploymentConfig: rollingUpdate is the Deployment spelling of rollingParams',
      text: deploymentConfig({ type: 'Rolling', rollingParam: { maxSurge: 1 } }),
      findings: [
        {
          messageId: 'misspelt',
          data: { key: 'rollingParam', where: 'strategy', suggestion: 'rollingParams' },
          patch: { spec: { strategy: { rollingParams: { maxSurge: 1 }, rollingParam: null } } },
        },
      ],
    },
    {
      name: 'a misspelt key: named with its correction, at the key, renamed by the patch',
      text: deployment('  template:\n    spec:\n      terminationGracePeriodSecond: 45\n      containers: [{name: a, image: x}]\n'),
      findings: [
        {
          messageId: 'misspelt',
          line: 7,
          column: 37,
          data: { key: 'terminationGracePeriodSecond', where: 'pod spec', suggestion: 'terminationGracePeriodSeconds' },
          fix: 'rename "terminationGracePeriodSecond" to "terminationGracePeriodSeconds"',
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 45, terminationGracePeriodSecond: null } } } },
        },
      ],
    },
    {
      name: 'checks init containers and native sidecars too',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: proxy\n    image: x\n    restartPolicy: Always\n    lifecycle: {preStopp: {sleep: {seconds: 5}}}\n  containers:\n  - {name: a, image: x}\n',
      findings: [
        {
          messageId: 'misspelt',
          line: 9,
          container: 'proxy',
          data: { key: 'preStopp', where: 'lifecycle of proxy', suggestion: 'preStop' },
          patch: { spec: { initContainers: [{ name: 'proxy', lifecycle: { preStop: { sleep: { seconds: 5 } }, preStopp: null } }] } },
        },
      ],
    },
    {
      name: 'an unknown field with no close match is flagged without guessing',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, wibble: 1}\n',
      findings: [
        { messageId: 'unknown', line: 6, container: 'a', data: { key: 'wibble', where: 'container a' }, fix: 'remove "wibble" or move it where it belongs' },
      ],
    },
    {
      name: 'a correction that is already set is not patched over',
      text: deployment('  maxReadySeconds: 5\n  minReadySeconds: 10\n  template: {spec: {containers: [{name: a, image: x}]}}\n'),
      findings: [{ messageId: 'misspelt', line: 5, data: { key: 'maxReadySeconds', suggestion: 'minReadySeconds' } }],
    },
  ],
});
