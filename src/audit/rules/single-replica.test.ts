import { hpa, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/disruption-budgets.md#what-a-budget-protects (drains), docs/reference/workload-updates.md#statefulset (StatefulSet deletes before recreating); kube-score#581 (HPA minReplicas).
const version = (v: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `web-${v}` },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web', version: v } },
    template: {
      metadata: { labels: { app: 'web', version: v } },
      spec: { containers: [{ name: 'app', image: `example/web:${v}`, ports: [{ containerPort: 8080 }] }] },
    },
  },
});
// KEDA decides its target's floor: minReplicaCount (default 0), not spec.replicas.
const scaledObject = (minReplicaCount: number, kind = 'Deployment') => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'web-queue' },
  spec: { scaleTargetRef: { kind, name: 'web' }, minReplicaCount, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'jobs', value: '10' } }] },
});
const statefulSetHpa = { ...hpa(undefined), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }, maxReplicas: 5 } };

testRule('single-replica', {
  valid: [
    { name: 'replicas 3', text: manifests() },
    { name: 'HPA keeps 2 even with replicas 1 in the manifest', text: manifests({ replicas: 1, extra: [hpa(2)] }) },
    { name: 'a KEDA ScaledObject keeps 2 even with replicas 1 in the manifest', text: manifests({ replicas: 1, extra: [scaledObject(2)] }) },
    { name: 'DaemonSets have no replicas', text: manifests({ kind: 'DaemonSet' }) },
    {
      name: 'a Service over v1, v2 and v3 Deployments of one replica each has three pods behind it',
      text: manifests({ name: 'web-v1', replicas: 1, extra: [version('v2'), version('v3')] }),
    },
    {
      name: 'a one-replica operator behind a metrics-only Service serves nobody',
      text: manifests({ replicas: 1, service: { ports: [{ name: 'metrics', port: 8443, targetPort: 8443 }] } }),
    },
  ],
  invalid: [
    { name: 'replicas 1, at the field', text: manifests({ replicas: 1 }), findings: [{ messageId: 'oneReplica', line: 17, fixId: 'addReplicas' }] },
    {
      name: 'replicas unset defaults to 1, at the spec',
      text: manifests({ replicas: null }),
      findings: [{ messageId: 'oneReplica', line: 16, data: { replicas: '1 (unset, the default)', service: 'Service web' } }],
    },
    {
      name: 'the same Deployment written twice (a combined file and its own file) is one pod, not two',
      text: manifests({
        replicas: 1,
        extra: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web' },
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: 'web' } },
              template: {
                metadata: { labels: { app: 'web' } },
                spec: { containers: [{ name: 'app', image: 'example/web:1.0', ports: [{ containerPort: 8080 }] }] },
              },
            },
          },
        ],
      }),
      findings: [
        { messageId: 'oneReplica', line: 17 },
        { messageId: 'oneReplica', line: 37 },
      ],
    },
    {
      name: 'one Deployment of two behind a Service is the only one with pods: still counted per Service',
      text: manifests({ name: 'web-v1', replicas: 1, extra: [{ ...version('v2'), spec: { ...version('v2').spec, replicas: 0 } }] }),
      findings: [{ messageId: 'oneReplica', line: 17 }],
    },
    {
      name: 'HPA minReplicas defaults to 1',
      text: manifests({ replicas: null, extra: [hpa(undefined)] }),
      findings: [
        {
          messageId: 'hpaMinimumOne',
          line: 35,
          data: { hpa: 'web', minReplicas: '1 (unset, the default)', service: 'Service web' },
          fix: 'set the HPA minReplicas to at least 2',
        },
      ],
    },
    {
      name: 'KEDA minReplicaCount 1 decides, not replicas 3: reported at the ScaledObject',
      text: manifests({ replicas: 3, extra: [scaledObject(1)] }),
      findings: [
        {
          messageId: 'scaledObjectMinimumOne',
          line: 40,
          data: { scaledObject: 'web-queue', workload: 'Deployment/web', floor: 'ScaledObject minReplicaCount 1' },
          fixId: 'raiseScaledObjectMinimum',
        },
      ],
    },
    {
      name: 'a StatefulSet at KEDA minReplicaCount 1',
      text: manifests({ kind: 'StatefulSet', replicas: 3, spec: { serviceName: 'web' }, extra: [scaledObject(1, 'StatefulSet')] }),
      findings: [{ messageId: 'scaledObjectMinimumOneStatefulSet', fixId: 'raiseScaledObjectMinimum' }],
    },
    {
      name: 'a written HPA minReplicas 1 is reported at the field',
      text: manifests({ replicas: 3, extra: [hpa(1)] }),
      findings: [{ messageId: 'hpaMinimumOne', line: 42, data: { minReplicas: '1' }, fixId: 'raiseHpaMinimum' }],
    },
    {
      name: 'a Redis singleton is told to replicate the Redis way, never to add replicas',
      text: manifests({
        replicas: 1,
        containers: [{ name: 'redis', image: 'redis:7.2-alpine', ports: [{ name: 'redis', containerPort: 6379 }] }],
        service: { ports: [{ port: 6379, targetPort: 6379 }] },
      }),
      findings: [
        {
          messageId: 'oneReplica',
          line: 17,
          data: { replicas: '1', datastore: 'Redis' },
          fix:
            'do not add replicas here: a second Redis pod would be an independent copy with its own data behind the same Service. ' +
            'Replicate with Redis replication with Sentinel, or Redis Cluster (an operator runs either), or accept that the Service is down while its one pod is replaced',
        },
      ],
    },
    {
      name: 'an app image built on MongoDB is known by its port name',
      text: manifests({
        kind: 'StatefulSet',
        replicas: 1,
        containers: [{ name: 'db', image: 'example/user-db:0.3', ports: [{ name: 'mongo', containerPort: 27017 }] }],
        service: { ports: [{ port: 27017, targetPort: 'mongo' }] },
      }),
      findings: [{ messageId: 'oneStatefulSetReplica', line: 17, data: { datastore: 'MongoDB' }, fixId: 'replicateDatastore' }],
    },
    {
      name: 'a single StatefulSet pod is deleted before it is recreated (docs/reference/workload-updates.md#statefulset)',
      text: manifests({ kind: 'StatefulSet', replicas: 1 }),
      findings: [{ messageId: 'oneStatefulSetReplica', line: 17 }],
    },
    {
      name: 'an HPA that may take a StatefulSet down to one pod',
      text: manifests({ kind: 'StatefulSet', replicas: null, extra: [statefulSetHpa] }),
      findings: [{ messageId: 'hpaMinimumOneStatefulSet', line: 35, data: { hpa: 'web' }, fixId: 'raiseHpaMinimum' }],
    },
    {
      name: 'an HPA in another namespace does not manage it (Polaris did not compare namespaces)',
      text: manifests({ replicas: 1, extra: [{ ...hpa(3), metadata: { name: 'web', namespace: 'other' } }] }),
      findings: [{ messageId: 'oneReplica', line: 17 }],
    },
  ],
});
