import { hpa, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// The HPA controller's selector check (AmbiguousSelector, ScalingActive False) and FailedGetScale;
// KEDA creates an HPA for every ScaledObject target.
const scaledObject = (name: string, target: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name },
  spec: { scaleTargetRef: { name: target }, minReplicaCount: 2, triggers: [{ type: 'cpu', metadata: { value: '70' } }] },
});

testRule('hpa-scale-target', {
  valid: [
    { name: 'one HPA on its Deployment', text: manifests({ extra: [hpa(2)] }) },
    { name: 'one ScaledObject, whose kind defaults to Deployment', text: manifests({ extra: [scaledObject('web', 'web')] }) },
    {
      name: 'HPAs on two different workloads',
      text: manifests({
        extra: [
          hpa(2),
          { ...hpa(2, 'web'), metadata: { name: 'other' }, spec: { ...(hpa(2).spec as object), scaleTargetRef: { kind: 'StatefulSet', name: 'web' } } },
        ],
      }).concat(
        '---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec: {serviceName: web, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres:16}]}}}\n',
      ),
    },
    {
      name: 'a Rollout (any kind) in the input is a target',
      text: manifests({
        extra: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'shop' }, spec: {} },
          { ...hpa(2, 'shop'), spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop' }, maxReplicas: 4 } },
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'two HPAs on one Deployment: each is reported, naming the other',
      text: manifests({ extra: [hpa(2), { ...hpa(3), metadata: { name: 'web-rps' } }] }),
      findings: [
        { messageId: 'ambiguous', data: { self: 'HPA web', others: 'HPA web-rps', target: 'Deployment/web' }, fixId: 'keepOne' },
        { messageId: 'ambiguous', data: { self: 'HPA web-rps', others: 'HPA web', target: 'Deployment/web' }, fixId: 'keepOne' },
      ],
    },
    {
      name: 'an HPA and a KEDA ScaledObject on one Deployment',
      text: manifests({ extra: [hpa(2), scaledObject('web-queue', 'web')] }),
      findings: [
        { messageId: 'ambiguous', data: { self: 'HPA web', others: 'ScaledObject web-queue' } },
        { messageId: 'ambiguous', data: { self: 'ScaledObject web-queue', others: 'HPA web' } },
      ],
    },
    {
      name: 'an HPA whose target is not in the input',
      text: manifests({ extra: [hpa(2, 'web-v1')] }),
      findings: [{ messageId: 'targetMissing', data: { self: 'HPA web-v1', target: 'Deployment/web-v1' }, fixId: 'fixTarget' }],
    },
  ],
});
