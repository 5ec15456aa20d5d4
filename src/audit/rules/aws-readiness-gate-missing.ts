import { defineRule } from './support/defineRule.js';

const GATE = 'target-health.elbv2.k8s.aws';
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const INJECT_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/**
 * The AWS Load Balancer Controller registers pod IPs as targets. Without its readiness gate
 * (injected at pod creation into namespaces labelled elbv2.k8s.aws/pod-readiness-gate-inject:
 * enabled) a rollout counts a pod ready before its target is healthy, and can leave the target
 * group with only initial or draining targets
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/).
 */
export const awsReadinessGateMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'aws-readiness-gate-missing',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'pods behind AWS load balancer IP targets get no target-health readiness gate, so a rollout can outrun target registration',
    messages: {
      namespaceNotLabelled:
        'the pods are reached by {{path}}, but Namespace {{namespace}} lacks the label ' +
        `${INJECT_LABEL}: enabled, so the controller injects no ${GATE} readiness gate: a rollout can replace the old pods before the new ` +
        'targets are healthy, leaving the target group with only initial or draining targets',
      namespaceUnseen:
        `the pods are reached by {{path}} and declare no ${GATE} readiness gate; whether the controller injects one depends on the label ` +
        `${INJECT_LABEL}: enabled on Namespace {{namespace}}, which is not in the input. Without it a rollout can outrun target registration`,
    },
    fixes: {
      labelNamespace: `label the Namespace (kubectl label namespace {{namespace}} ${INJECT_LABEL}=enabled, and in its manifest), then restart the pods: the gate is injected only at pod creation`,
      checkNamespace: `check that Namespace {{namespace}} has the label ${INJECT_LABEL}: enabled (kubectl get namespace {{namespace}} --show-labels); add the Namespace manifest to the audit to settle it`,
    },
  },
  check(w) {
    if (!w.serving) return [];
    const path = w.paths.find((p) => p.readinessGate === GATE);
    if (!path) return [];
    const gates = Array.isArray(w.podSpec.readinessGates) ? w.podSpec.readinessGates : [];
    if (gates.some((g) => isRecord(g) && typeof g.conditionType === 'string' && g.conditionType.startsWith(GATE))) return [];
    const ns = w.namespaceObject;
    if (ns?.metadata?.labels?.[INJECT_LABEL] === 'enabled') return [];
    const data = { path: path.description, namespace: w.namespace };
    return [
      ns
        ? { path: w.podSpecPath, messageId: 'namespaceNotLabelled', data, fixId: 'labelNamespace', trafficPath: path }
        : { path: w.podSpecPath, messageId: 'namespaceUnseen', data, fixId: 'checkNamespace', trafficPath: path },
    ];
  },
});

export default awsReadinessGateMissing;
