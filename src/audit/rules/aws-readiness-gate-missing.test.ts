import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const NLB_IP = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
const tgb = (targetType: string) => ({
  apiVersion: 'elbv2.k8s.aws/v1beta1',
  kind: 'TargetGroupBinding',
  metadata: { name: 'web' },
  spec: {
    serviceRef: { name: 'web', port: 80 },
    targetType,
    targetGroupARN: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef',
  },
});

testRule('aws-readiness-gate-missing', {
  valid: [
    {
      name: 'the pod template declares the gate itself',
      text: manifests({
        service: { type: 'LoadBalancer' },
        serviceAnnotations: NLB_IP,
        podSpec: { readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/k8s-default-web-0123456789' }] },
      }),
    },
    { name: 'a TargetGroupBinding with instance targets', text: manifests({ service: { type: 'NodePort' }, extra: [tgb('instance')] }) },
    { name: 'a plain ClusterIP Service', text: manifests() },
    {
      name: 'a Job is never serving',
      text: manifests({
        kind: 'Job',
        apiVersion: 'batch/v1',
        service: { type: 'LoadBalancer' },
        serviceAnnotations: NLB_IP,
        replicas: null,
        podSpec: { restartPolicy: 'Never' },
      }),
    },
  ],
  invalid: [
    {
      name: 'a TargetGroupBinding with IP targets and no Namespace in the input',
      text: manifests({ containers: [APP], extra: [tgb('ip')] }),
      findings: [
        {
          messageId: 'namespaceUnseen',
          data: { namespace: 'default', path: 'AWS target group (IP targets) through TargetGroupBinding web → Service web port 80' },
          fixId: 'checkNamespace',
        },
      ],
    },
  ],
});
