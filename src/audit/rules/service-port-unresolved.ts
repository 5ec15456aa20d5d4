import type { ObjectRule, RuleResult } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { indexedRecords, portsOf } from './support/fields.js';
import { workloadsSelectedByService } from './support/crossObjects.js';

/**
 * A named targetPort is resolved per pod against its containers' port names; a pod that declares
 * no such name contributes no endpoint for that Service port, so connections to it are refused
 * (kube-linter checks only the name's syntax, linter-landscape §5 item 14).
 */
export const servicePortUnresolved: ObjectRule = {
  target: 'object',
  kinds: ['Service'],
  meta: {
    id: 'service-port-unresolved',
    ruleOfUptime: null,
    severity: 'error',
    summary: "a Service's named targetPort is declared by none of the pods it selects",
  },
  check(object, _settings, all) {
    const selected = workloadsSelectedByService(all.workloads, object);
    if (selected.length === 0) return [];
    const ports = (object.object.spec as { ports?: unknown } | undefined)?.ports;
    if (!Array.isArray(ports)) return [];
    const results: RuleResult[] = [];
    indexedRecords<{ port?: unknown; targetPort?: unknown }>(ports).forEach(({ item: p, index: i }) => {
      const name = p.targetPort;
      if (typeof name !== 'string') return;
      const missing = selected.filter((w) => !longRunningContainers(w).some((c) => portsOf(c.container).some((cp) => cp.name === name)));
      if (missing.length === 0) return;
      const where = missing.map((w) => `${w.kind}/${w.name}`).join(', ');
      results.push({
        path: ['spec', 'ports', i, 'targetPort'],
        message:
          `targetPort "${name}" names no container port in ${where}${missing.length < selected.length ? ` (${missing.length} of ${selected.length} selected workloads)` : ''}: ` +
          `those pods give the Service no endpoint for port ${String(p.port ?? '?')}, so connections to it are refused`,
        fix: `name the container port "${name}" in the pod template (ports: - name: ${name}), or use the port number`,
      });
    });
    return results;
  },
};

export default servicePortUnresolved;
