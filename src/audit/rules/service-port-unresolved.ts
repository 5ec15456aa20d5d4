import type { RuleResult } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { indexedRecords, portsOf, specOf } from './support/fields.js';
import { workloadsSelectedByService } from './support/crossObjects.js';

/**
 * A named targetPort is resolved per pod against its containers' port names; a pod that declares
 * no such name contributes no endpoint for that Service port, so connections to it are refused
 * (kube-linter checks only the name's syntax, linter-landscape §5 item 14).
 */
export const servicePortUnresolved = defineRule({
  target: 'object',
  kinds: ['Service'],
  meta: {
    id: 'service-port-unresolved',
    ruleOfUptime: null,
    severity: 'error',
    summary: "a Service's named targetPort is declared by none of the pods it selects",
    messages: {
      noNamedPort:
        'targetPort "{{name}}" names no container port in {{workloads}}: those pods give the Service no endpoint for port {{port}}, so connections to it are refused',
      noNamedPortInSome:
        'targetPort "{{name}}" names no container port in {{workloads}} ({{missing}} of {{selected}} selected workloads): ' +
        'those pods give the Service no endpoint for port {{port}}, so connections to it are refused',
    },
    fixes: {
      namePort: 'name the container port "{{name}}" in the pod template (ports: - name: {{name}}), or use the port number',
    },
  },
  check(service, _settings, { workloads }) {
    const selected = workloadsSelectedByService(workloads, service);
    if (selected.length === 0) return [];
    const ports = specOf(service).ports;
    if (!Array.isArray(ports)) return [];
    const results: RuleResult<'noNamedPort' | 'noNamedPortInSome', 'namePort'>[] = [];
    indexedRecords<{ port?: unknown; targetPort?: unknown }>(ports).forEach(({ item: p, index: i }) => {
      const name = p.targetPort;
      if (typeof name !== 'string') return;
      const missing = selected.filter((w) => !longRunningContainers(w).some((c) => portsOf(c.container).some((cp) => cp.name === name)));
      if (missing.length === 0) return;
      results.push({
        path: ['spec', 'ports', i, 'targetPort'],
        messageId: missing.length < selected.length ? 'noNamedPortInSome' : 'noNamedPort',
        data: {
          name,
          workloads: missing.map((w) => `${w.kind}/${w.name}`).join(', '),
          missing: missing.length,
          selected: selected.length,
          port: String(p.port ?? '?'),
        },
        fixId: 'namePort',
      });
    });
    return results;
  },
});

export default servicePortUnresolved;
