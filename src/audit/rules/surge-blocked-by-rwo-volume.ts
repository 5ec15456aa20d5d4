import { defineRule } from './support/defineRule.js';
import { count } from './support/wording.js';
import { deploymentRollout } from './support/rollout.js';
import { indexedRecords, specOf } from './support/fields.js';
import { claimNamed, workloadOf } from './support/crossObjects.js';

const SINGLE_NODE_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];

const SURGES = 'the rollout surges {{surge}} mounting claim "{{claim}}" ({{mode}}) while the old pod still holds it:';
const OTHER_NODE = 'unless the scheduler places it on the same node, it cannot attach (Multi-Attach error)';
const STALLS = ', and with maxUnavailable 0 no old pod is stopped to free it, so the rollout stalls';
const WAITS = ', so the rollout stalls until an old pod goes away';

/**
 * A surge pod (docs/reference/workload-updates.md#deployment-rollingupdate: maxSurge rounds up, so ≥1 with the defaults) mounts the same claim as the pod
 * it replaces. A ReadWriteOnce volume attaches to one node and ReadWriteOncePod to one pod, so the
 * surge pod stays ContainerCreating (Multi-Attach error) and the rollout stalls. StatefulSets have
 * no surge (docs/reference/workload-updates.md#statefulset) and get their own claims from volumeClaimTemplates, so only Deployments are checked.
 */
export const surgeBlockedByRwoVolume = defineRule({
  target: 'object',
  kinds: ['Deployment'],
  meta: {
    id: 'surge-blocked-by-rwo-volume',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'a rolling update surges a pod that mounts a ReadWriteOnce claim the old pod holds',
    messages: {
      neverMountsAndStalls: `${SURGES} the new pod can never mount it${STALLS}`,
      neverMountsUntilOldPodGoes: `${SURGES} the new pod can never mount it${WAITS}`,
      otherNodeAndStalls: `${SURGES} ${OTHER_NODE}${STALLS}`,
      otherNodeUntilOldPodGoes: `${SURGES} ${OTHER_NODE}${WAITS}`,
    },
    fixes: {
      oneClaimPerPod: 'use a ReadWriteMany volume, or a StatefulSet with volumeClaimTemplates (one claim per pod)',
    },
  },
  check(deployment, _settings, { objects, workloads }) {
    const w = workloadOf(workloads, deployment);
    if (!w?.replicas) return [];
    const f = deploymentRollout(w.object, w.apiVersion, w.replicas).fenceposts;
    if (!f || f.maxSurge === 0) return [];
    return indexedRecords<NonNullable<typeof w.podSpec.volumes>[number]>(w.podSpec.volumes).flatMap(({ item: v, index: i }) => {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (typeof claimName !== 'string') return [];
      const pvc = claimNamed(objects, w.namespace, claimName);
      const modes = pvc && specOf(pvc).accessModes;
      const mode = Array.isArray(modes) ? SINGLE_NODE_MODES.find((m) => modes.includes(m)) : undefined;
      if (!mode) return [];
      const stalls = f.maxUnavailable === 0;
      const once = mode === 'ReadWriteOncePod';
      return [
        {
          path: [...w.podSpecPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'],
          messageId: once ? (stalls ? 'neverMountsAndStalls' : 'neverMountsUntilOldPodGoes') : stalls ? 'otherNodeAndStalls' : 'otherNodeUntilOldPodGoes',
          data: { surge: count(f.maxSurge, 'new pod'), claim: claimName, mode },
          fixId: 'oneClaimPerPod',
        },
      ];
    });
  },
});

export default surgeBlockedByRwoVolume;
