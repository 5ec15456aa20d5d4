import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { PROBE_FIELDS, probeOf, probePort } from './support/probes.js';
import { portsOf } from './support/fields.js';

/**
 * The kubelet resolves a named probe port among the probing container's own ports only; an unknown
 * name fails every probe. A numeric port declared by another container of the pod probes that
 * container (often a sidecar), not the app. A numeric port in a container that declares no ports
 * is not flagged: ports set through args are common (kube-linter#1086).
 */
export const probePortUndeclared: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'probe-port-undeclared',
    ruleOfUptime: 3,
    severity: 'warning',
    summary: 'a probe targets a port its container does not declare',
  },
  check(w) {
    const results: RuleResult[] = [];
    const all = longRunningContainers(w);
    for (const c of all) {
      const declared = portsOf(c.container);
      for (const { kind, field } of PROBE_FIELDS) {
        const probe = probeOf(c, field);
        const target = probe && probePort(probe);
        if (!target) continue;
        const path = [...c.path, field, target.via, 'port'];
        const consequence = kind === 'liveness' || kind === 'startup' ? 'the container is restarted over and over' : 'the pod never becomes Ready';
        if (typeof target.port === 'string') {
          if (declared.some((p) => p.name === target.port)) continue;
          const names = declared.map((p) => p.name).filter(Boolean);
          results.push({
            path,
            container: c.name,
            message:
              `${field} of "${c.name}" uses the named port "${target.port}", but the container declares ${names.length ? `only ${names.map((n) => `"${n}"`).join(', ')}` : 'no named ports'}: ` +
              `the kubelet cannot resolve it, every probe fails and ${consequence}`,
            fix: `name the container port "${target.port}" (ports: - name: ${target.port}), or use the port number`,
          });
          continue;
        }
        if (declared.some((p) => p.containerPort === target.port)) continue;
        const owner = all.find((o) => o !== c && portsOf(o.container).some((p) => p.containerPort === target.port));
        if (owner) {
          results.push({
            path,
            container: c.name,
            message:
              `${field} of "${c.name}" checks port ${target.port}, which container "${owner.name}" declares: it probes "${owner.name}", not "${c.name}", ` +
              `so "${c.name}" can be down while the pod stays ${kind === 'readiness' ? 'Ready' : 'alive'}`,
            fix: `probe a port "${c.name}" itself listens on`,
          });
        } else if (declared.length > 0) {
          results.push({
            path,
            container: c.name,
            message:
              `${field} of "${c.name}" checks port ${target.port}, which is not among its containerPorts (${declared.map((p) => p.containerPort).join(', ')}): ` +
              `if the app does not listen there, ${consequence}`,
            fix: `probe one of the declared ports, or declare containerPort ${target.port}`,
          });
        }
      }
    }
    return results;
  },
};

export default probePortUndeclared;
