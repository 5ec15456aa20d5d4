import type { WorkloadRule } from '../types.js';
import { deploymentRollout } from './support/rollout.js';
import { records } from './support/fields.js';

/** `Recreate` kills all old pods and starts new ones only after they have terminated (§3.2). */
export const recreateStrategy: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'recreate-strategy',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'strategy Recreate stops every pod before starting the new version',
  },
  check(w) {
    if (w.kind !== 'Deployment' || !w.serving) return [];
    const r = deploymentRollout(w.object, w.apiVersion, w.replicas ?? 1);
    if (r.type !== 'Recreate') return [];
    const claims = records<NonNullable<typeof w.podSpec.volumes>[number]>(w.podSpec.volumes)
      .map((v) => v.persistentVolumeClaim?.claimName)
      .filter((n): n is string => typeof n === 'string');
    return [
      {
        path: ['spec', 'strategy', 'type'],
        message:
          `strategy Recreate terminates all ${w.replicas ?? 1} pod(s) before the new version starts (§3.2): the Service has no Ready endpoint until a new pod passes ` +
          'its readiness probe, and every request in between fails' +
          (claims.length
            ? ` (if Recreate is there for the claim ${claims.map((c) => `"${c}"`).join(', ')}, a StatefulSet or a ReadWriteMany volume keeps pods warm instead)`
            : ''),
        fix: 'use strategy RollingUpdate with maxUnavailable: 0 and maxSurge: 1',
      },
    ];
  },
};

export default recreateStrategy;
