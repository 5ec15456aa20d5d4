import { resolveTargetPort, servicePortsOf } from '../../k8s/servicePorts.js';
import type { RuleResult } from '../types.js';
import { workloadsSelectedByService } from './support/crossObjects.js';
import { defineRule } from './support/defineRule.js';

/**
 * A named targetPort is resolved per pod against its containers' port names (with the port's
 * protocol, as the EndpointSlice controller's FindPort does); a pod that declares no such name
 * contributes no endpoint for that Service port. When none of the selected pods declares it, the
 * port has no endpoint at all and connections to it are refused (kube-linter checks only the
 * name's syntax, docs/reference/linters.md#named-target-ports). When some do, the port works through them: a
 * Service over pods of different shapes is legitimate, so that is not reported.
 */
export const servicePortUnresolved = defineRule({
  target: 'object',
  kinds: ['Service'],
  meta: {
    id: 'service-port-unresolved',
    ruleOfUptime: null,
    severity: 'error',
    looksAt: 'traffic',
    summary: "a Service's named targetPort is declared by none of the pods it selects",
    messages: {
      noNamedPort:
        'targetPort "{{name}}" names no {{protocol}} container port in {{workloads}}: the Service has no endpoint for port {{port}}, so connections to it are refused',
    },
    fixes: {
      namePort: 'name the container port "{{name}}" in the pod template (ports: - name: {{name}}), or use the port number',
    },
  },
  check(service, _settings, { workloads }) {
    const selected = workloadsSelectedByService(workloads, service);
    if (selected.length === 0) return [];
    const results: RuleResult<'noNamedPort', 'namePort'>[] = [];
    for (const port of servicePortsOf(service.object)) {
      const name = port.targetPort;
      if (typeof name !== 'string') continue;
      if (selected.some((w) => resolveTargetPort(w.podSpec, port) !== undefined)) continue;
      results.push({
        path: ['spec', 'ports', port.index, 'targetPort'],
        messageId: 'noNamedPort',
        data: { name, protocol: port.protocol, workloads: selected.map((w) => `${w.kind}/${w.name}`).join(', '), port: String(port.port ?? '?') },
        fixId: 'namePort',
      });
    }
    return results;
  },
});

export default servicePortUnresolved;
