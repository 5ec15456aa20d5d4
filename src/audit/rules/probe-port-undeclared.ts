import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { portsOf } from './support/fields.js';
import { perProbe } from './support/perContainer.js';
import { probePort } from './support/probes.js';

/**
 * The kubelet resolves a named probe port among the probing container's own ports only; an unknown
 * name fails every probe. A numeric port declared by another container of the pod probes that
 * container (often a sidecar), not the app. A numeric port in a container that declares no ports
 * is not flagged: ports set through args are common (kube-linter#1086).
 */
export const probePortUndeclared = defineRule({
  target: 'workload',
  meta: {
    id: 'probe-port-undeclared',
    ruleOfUptime: 3,
    severity: 'warning',
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
      portNotDeclared:
        '{{field}} of "{{container}}" checks port {{port}}, which is not among its containerPorts ({{declaredPorts}}): ' +
        'if the app does not listen there, {{consequence}}',
    },
    fixes: {
      namePort: 'name the container port "{{port}}" (ports: - name: {{port}}), or use the port number',
      probeOwnPort: 'probe a port "{{container}}" itself listens on',
      probeDeclaredPort: 'probe one of the declared ports, or declare containerPort {{port}}',
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
    if (declared.length === 0) return undefined;
    return {
      path,
      messageId: 'portNotDeclared',
      data: { ...data, declaredPorts: declared.map((p) => p.containerPort).join(', ') },
      fixId: 'probeDeclaredPort',
    };
  }),
});

export default probePortUndeclared;
