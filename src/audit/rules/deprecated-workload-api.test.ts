import { testRule } from './fixtures/ruleTester.js';

const workload = (apiVersion: string, kind: string, spec = '  template: {spec: {containers: [{name: a, image: x}]}}\n') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: a}\nspec:\n${spec}`;

testRule('deprecated-workload-api', {
  valid: [
    {
      name: 'apps/v1',
      text: workload('apps/v1', 'Deployment', '  selector: {matchLabels: {app: a}}\n  template: {spec: {containers: [{name: a, image: x}]}}\n'),
    },
    { name: 'a Pod has no deprecated group', text: workload('v1', 'Pod', '  containers: [{name: a, image: x}]\n') },
  ],
  invalid: [
    {
      name: 'a ReplicationController never rolls its pods (kubectl rolling-update is gone since 1.18)',
      text: workload(
        'v1',
        'ReplicationController',
        '  replicas: 3\n  selector: {app: a}\n  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: a, image: x}]}}\n',
      ),
      findings: [{ messageId: 'noRollingUpdate', line: 2, fixId: 'useDeployment' }],
    },
    {
      name: 'extensions/v1beta1 Deployment: names the defaults that change on the move to apps/v1 (docs/reference/workload-updates.md#defaults-by-api-version), at the apiVersion value',
      text: workload('extensions/v1beta1', 'Deployment'),
      findings: [
        {
          messageId: 'removedAndDefaultsChange',
          line: 1,
          column: 13,
          data: { kind: 'Deployment', apiVersion: 'extensions/v1beta1', removedIn: '1.16', replacement: 'apps/v1' },
          fix: 'set apiVersion: apps/v1 and add spec.selector (required in apps/v1), and set explicitly what you want: maxUnavailable, maxSurge, revisionHistoryLimit, progressDeadlineSeconds',
        },
      ],
    },
    {
      name: 'a selector and a changed default: only the defaults are left to set',
      text: workload(
        'extensions/v1beta1',
        'Deployment',
        '  selector: {matchLabels: {app: a}}\n  progressDeadlineSeconds: 120\n  revisionHistoryLimit: 3\n  strategy: {rollingUpdate: {maxUnavailable: 0}}\n  template: {spec: {containers: [{name: a, image: x}]}}\n',
      ),
      findings: [{ messageId: 'removedAndDefaultsChange', line: 1, data: { changes: 'maxSurge 1 → 25%' }, fixId: 'setApiVersionAndDefaults' }],
    },
    {
      name: 'does not list defaults the manifest sets explicitly',
      text: workload(
        'extensions/v1beta1',
        'Deployment',
        '  progressDeadlineSeconds: 120\n  revisionHistoryLimit: 3\n  strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}\n  template: {spec: {containers: [{name: a, image: x}]}}\n',
      ),
      findings: [{ messageId: 'removed', line: 1, fixId: 'setApiVersionAndSelector' }],
    },
    {
      name: 'apps/v1beta2 DaemonSet with a selector: only the apiVersion changes',
      text: workload('apps/v1beta2', 'DaemonSet', '  selector: {matchLabels: {app: a}}\n  template: {spec: {containers: [{name: a, image: x}]}}\n'),
      findings: [{ messageId: 'removed', line: 1, data: { kind: 'DaemonSet', apiVersion: 'apps/v1beta2' }, fix: 'set apiVersion: apps/v1' }],
    },
  ],
});
