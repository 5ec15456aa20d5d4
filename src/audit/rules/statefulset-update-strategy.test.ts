import { hpa, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const sts = (spec: Record<string, unknown>, replicas: number | null = 3) => manifests({ kind: 'StatefulSet', replicas, spec: { serviceName: 'web', ...spec } });

testRule('statefulset-update-strategy', {
  valid: [
    { name: 'three replicas, RollingUpdate by default', text: sts({}) },
    { name: 'partition 0 written', text: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } }) },
    { name: 'one replica is single-replica’s', text: sts({}, 1) },
    { name: 'a Deployment with replicas 2', text: manifests({ replicas: 2 }) },
    {
      name: 'no Service selects it',
      text: manifests({ kind: 'StatefulSet', replicas: 2, service: false, containers: [{ name: 'worker', image: 'example/worker:1' }] }),
    },
    {
      name: 'two replicas under an HPA: the count moves',
      text: manifests({
        kind: 'StatefulSet',
        replicas: 2,
        extra: [{ ...hpa(2), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }, minReplicas: 2, maxReplicas: 6 } }],
      }),
    },
  ],
  invalid: [
    {
      name: 'OnDelete',
      text: sts({ updateStrategy: { type: 'OnDelete' } }),
      findings: [{ messageId: 'onDelete', line: 20, fixId: 'useRollingUpdate' }],
    },
    {
      name: 'a partition in the middle',
      text: sts({ updateStrategy: { rollingUpdate: { partition: 3 } } }, 5),
      findings: [
        { messageId: 'partitioned', data: { partition: 3, updated: 'web-3, web-4', kept: 'web-0, web-1, web-2', parallel: '' }, fixId: 'lowerPartition' },
      ],
    },
    {
      name: 'a partition with Parallel pod management says Parallel does not change updates',
      text: sts({ podManagementPolicy: 'Parallel', updateStrategy: { rollingUpdate: { partition: 1 } } }, 6),
      findings: [
        {
          messageId: 'partitioned',
          data: { updated: 'web-1 to web-5', kept: 'web-0', parallel: '; podManagementPolicy Parallel changes scaling only, not updates' },
        },
      ],
    },
    {
      name: 'a partition at replicas updates nothing',
      text: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } } }),
      findings: [{ messageId: 'partitionCoversAll', data: { partition: 3, replicas: 3, kept: 'web-0, web-1, web-2' } }],
    },
    {
      name: 'two replicas',
      text: sts({}, 2),
      findings: [
        {
          messageId: 'twoReplicas',
          line: 17,
          data: { name: 'web', service: 'Service web', parallel: '' },
          fix: 'if the app can run a third replica, run 3, so that an update always leaves 2 pods serving',
        },
      ],
    },
  ],
});
