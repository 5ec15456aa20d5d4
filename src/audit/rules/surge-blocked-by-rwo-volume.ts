import type { ObjectRule, RuleResult } from '../types.js';
import { deploymentRollout } from './support/rollout.js';
import { indexedRecords } from './support/fields.js';
import { claimNamed, workloadOf } from './support/crossObjects.js';

const SINGLE_NODE_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];

/**
 * A surge pod (§3.1: maxSurge rounds up, so ≥1 with the defaults) mounts the same claim as the pod
 * it replaces. A ReadWriteOnce volume attaches to one node and ReadWriteOncePod to one pod, so the
 * surge pod stays ContainerCreating (Multi-Attach error) and the rollout stalls. StatefulSets have
 * no surge (§3.4) and get their own claims from volumeClaimTemplates, so only Deployments are checked.
 */
export const surgeBlockedByRwoVolume: ObjectRule = {
  target: 'object',
  kinds: ['Deployment'],
  meta: {
    id: 'surge-blocked-by-rwo-volume',
    ruleOfUptime: 6,
    severity: 'warning',
    summary: 'a rolling update surges a pod that mounts a ReadWriteOnce claim the old pod holds',
  },
  check(object, _settings, all) {
    const w = workloadOf(all.workloads, object);
    if (!w?.replicas) return [];
    const f = deploymentRollout(w.object, w.apiVersion, w.replicas).fenceposts;
    if (!f || f.maxSurge === 0) return [];
    const results: RuleResult[] = [];
    indexedRecords<NonNullable<typeof w.podSpec.volumes>[number]>(w.podSpec.volumes).forEach(({ item: v, index: i }) => {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (typeof claimName !== 'string') return;
      const pvc = claimNamed(all.objects, w.namespace, claimName);
      const modes = (pvc?.object.spec as { accessModes?: unknown } | undefined)?.accessModes;
      const mode = Array.isArray(modes) ? SINGLE_NODE_MODES.find((m) => modes.includes(m)) : undefined;
      if (!mode) return;
      results.push({
        path: [...w.podSpecPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'],
        message:
          `the rollout surges ${f.maxSurge} new pod(s) that mount claim "${claimName}" (${mode}) while the old pod still holds it: ` +
          (mode === 'ReadWriteOncePod'
            ? 'the new pod can never mount it'
            : 'unless the scheduler places it on the same node, it cannot attach (Multi-Attach error)') +
          (f.maxUnavailable === 0
            ? ', and with maxUnavailable 0 no old pod is stopped to free it, so the rollout stalls'
            : ', so the rollout stalls until an old pod goes away'),
        fix: 'use a ReadWriteMany volume, or a StatefulSet with volumeClaimTemplates (one claim per pod)',
      });
    });
    return results;
  },
};

export default surgeBlockedByRwoVolume;
