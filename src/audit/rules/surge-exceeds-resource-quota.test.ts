import { deploymentConfig, manifests, rollout } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';
import { parseQuantity } from './support/quantity.js';
import { describe, expect, it } from 'vitest';

const quota = (hard: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q' },
  spec: { hard, ...extra },
});
const sized = (requests: Record<string, string>, limits?: Record<string, string>) => [
  { name: 'app', image: 'example/web:1.0', resources: { requests, ...(limits ? { limits } : {}) } },
];
const worker = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'worker' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'worker' } },
    template: {
      metadata: { labels: { app: 'worker' } },
      spec: { containers: [{ name: 'w', image: 'example/worker:1', resources: { requests: { cpu: '1' } } }] },
    },
  },
};

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    [3, 3],
  ] as const)('%s', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value));
  it.each(['', 'abc', '1Qi', '-1'])('rejects %s', (text) => expect(parseQuantity(text)).toBeUndefined());
});

testRule('surge-exceeds-resource-quota', {
  valid: [
    { name: 'room for the surge pod', text: manifests({ containers: sized({ cpu: '1' }), extra: [quota({ 'requests.cpu': '4' })] }) },
    { name: 'no surge', text: manifests({ spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }, extra: [quota({ pods: 3 })] }) },
    { name: 'the quota is in another namespace', text: manifests({ extra: [{ ...quota({ pods: 3 }), metadata: { name: 'q', namespace: 'other' } }] }) },
    {
      name: 'a scoped quota',
      text: manifests({
        extra: [quota({ pods: 3 }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })],
      }),
    },
    { name: 'no requests: what a LimitRange would default is not in the input', text: manifests({ extra: [quota({ 'requests.cpu': '1' })] }) },
    { name: 'over quota already is not a rollout problem', text: manifests({ extra: [quota({ pods: 2 })] }) },
    { name: 'keys the rule does not track', text: manifests({ extra: [quota({ 'count/deployments.apps': '1', services: 1 })] }) },
  ],
  invalid: [
    {
      name: 'a blue-green Rollout needs room for a second full ReplicaSet before the switch',
      text: rollout({ blueGreen: { activeService: 'web' } }, { replicas: 2, extra: [quota({ pods: '3' })] }),
      findings: [
        {
          messageId: 'blueGreenNeverPromotes',
          data: { key: 'pods', used: '2', surge: '2 new pods', workload: 'Rollout/web' },
          fix: 'raise pods to at least 4 (room for 2 new pods of Rollout/web): a blue-green update runs both versions at full size until the switch',
        },
      ],
    },
    {
      name: 'a DeploymentConfig on Rolling defaults (surge 1, unavailable 0 on 3 replicas)',
      text: deploymentConfig(undefined, { extra: [quota({ pods: '3' })] }),
      findings: [{ messageId: 'neverProceeds', data: { workload: 'DeploymentConfig/web', needed: '4' } }],
    },
    {
      name: 'pods exactly at the replica count (default surge 1 and maxUnavailable 0 on 3 replicas)',
      text: manifests({ extra: [quota({ pods: '3' })] }),
      findings: [
        {
          messageId: 'neverProceeds',
          line: 38,
          data: { key: 'pods', hard: '3', used: '3', perPod: '1', workload: 'Deployment/web', namespace: 'default' },
          fix: 'raise pods to at least 4 (room for 1 surge pod of Deployment/web), or roll Deployment/web with maxSurge: 0 and maxUnavailable: 1',
        },
      ],
    },
    {
      name: 'another workload in the namespace takes the room',
      text: manifests({ replicas: 4, containers: sized({ cpu: '250m' }), extra: [worker, quota({ cpu: '3' })] }),
      findings: [
        { messageId: 'runsBelowReplicas', data: { key: 'cpu', used: '3', perPod: '250m', replicas: 4 } },
        { messageId: 'neverProceeds', data: { workload: 'Deployment/worker', perPod: '1', needed: '4' } },
      ],
    },
    {
      name: 'limits only: requests default to limits',
      text: manifests({
        containers: [{ name: 'app', image: 'example/web:1.0', resources: { limits: { memory: '1Gi' } } }],
        extra: [quota({ 'requests.memory': '3Gi' })],
      }),
      findings: [{ messageId: 'neverProceeds', data: { key: 'requests.memory', used: '3072Mi', perPod: '1024Mi' } }],
    },
  ],
});
