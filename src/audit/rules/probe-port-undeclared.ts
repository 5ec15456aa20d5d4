import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { portsOf } from './support/fields.js';
import { perProbe } from './support/perContainer.js';
import { probePort } from './support/probes.js';

/**
 * The kubelet resolves a named probe port among the probing container's own ports only; an unknown
 * name fails every probe. A numeric port declared by another container of the pod probes that
 * container (often a sidecar), not the app. Any other numeric port is not flagged: Kubernetes
 * never requires declaring a port, and operators serve health on a port they leave undeclared
 * (controller-runtime's `--health-probe-bind-address=:8081` beside declared webhook and metrics
 * ports), as do apps whose port is set through args (kube-linter#1086).
 */
export const probePortUndeclared = defineRule({
  target: 'workload',
  meta: {
    id: 'probe-port-undeclared',
    ruleOfUptime: 3,
    severity: 'warning',
    looksAt: 'probes',
    summary: 'a probe targets a port its container does not declare',
    messages: {
      namedPortUndeclared:
        '{{field}} of "{{container}}" uses the named port "{{port}}", but the container declares only {{declaredNames}}: ' +
        'the kubelet cannot resolve it, every probe fails and {{consequence}}',
      namedPortWithoutNames:
        '{{field}} of "{{container}}" uses the named port "{{port}}", but the container declares no named ports: ' +
        'the kubelet cannot resolve it, every probe fails and {{consequence}}',
      probesOtherContainer:
        '{{field}} of "{{container}}" checks port {{port}}, which container "{{owner}}" declares: it probes "{{owner}}", not "{{container}}", ' +
        'so "{{container}}" can be down while the pod stays {{podState}}',
    },
    fixes: {
      namePort: 'name the container port "{{port}}" (ports: - name: {{port}}), or use the port number',
      probeOwnPort: 'probe a port "{{container}}" itself listens on',
    },
  },
  check: perProbe(longRunningContainers, ({ kind, field, written }, c, w) => {
    const target = probePort(written);
    if (!target) return undefined;
    const declared = portsOf(c.container);
    const path = [...c.path, field, target.via, 'port'];
    const consequence = kind === 'liveness' || kind === 'startup' ? 'the container is restarted over and over' : 'the pod never becomes Ready';
    const data = { field, container: c.name, port: target.port, consequence };
    if (typeof target.port === 'string') {
      if (declared.some((p) => p.name === target.port)) return undefined;
      const names = declared.map((p) => p.name).filter(Boolean);
      return names.length
        ? { path, messageId: 'namedPortUndeclared', data: { ...data, declaredNames: names.map((n) => `"${n}"`).join(', ') }, fixId: 'namePort' }
        : { path, messageId: 'namedPortWithoutNames', data, fixId: 'namePort' };
    }
    if (declared.some((p) => p.containerPort === target.port)) return undefined;
    const owner = longRunningContainers(w).find((o) => o !== c && portsOf(o.container).some((p) => p.containerPort === target.port));
    if (owner) {
      const podState = kind === 'readiness' ? 'Ready' : 'alive';
      return { path, messageId: 'probesOtherContainer', data: { ...data, owner: owner.name, podState }, fixId: 'probeOwnPort' };
    }
    return undefined;
  }),
});

export default probePortUndeclared;
