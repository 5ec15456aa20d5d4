import { statefulSetUpdateOf, type StatefulSetUpdate } from '../../k8s/statefulSetUpdate.js';
import type { RuleResult, WorkloadView } from '../types.js';
import { defineRule } from './support/defineRule.js';

/** Ordinals as `web-0, web-1` or `web-2 to web-5`, for messages. */
function ordinals(name: string, list: readonly number[]): string {
  const sorted = [...list].sort((a, b) => a - b);
  if (sorted.length <= 3) return sorted.map((o) => `${name}-${o}`).join(', ');
  return `${name}-${sorted[0]} to ${name}-${sorted[sorted.length - 1]}`;
}

function parallelNote(u: StatefulSetUpdate): string {
  return u.podManagementPolicy === 'Parallel' ? '; podManagementPolicy Parallel changes scaling only, not updates' : '';
}

/** The Service whose endpoints the update takes away, for messages. */
function serviceOf(w: WorkloadView): string {
  const b = w.backends[0] ?? undefined;
  if (b) return `Service ${b.service.name}`;
  return w.services[0] ? `Service ${w.services[0].name}` : 'the Service in front of it';
}

type Message = 'onDelete' | 'partitionCoversAll' | 'partitioned' | 'twoReplicas';
type Fix = 'useRollingUpdate' | 'lowerPartition' | 'addReplica';

/**
 * How a serving StatefulSet takes its pods away when its template changes
 * (docs/reference/workload-updates.md#statefulset): never by surging, always deleting an ordinal
 * before recreating it, one at a time from the highest; ordinals below `partition` are left on
 * the old revision; `OnDelete` leaves every pod to whoever deletes it. These are facts of the
 * design, not mistakes, so the rule explains them where they change what an update does:
 * OnDelete, a partition, and two replicas (where each step leaves one pod). One replica is
 * single-replica's error; `maxUnavailable` is feature-unavailable's.
 */
export const statefulSetUpdateStrategy = defineRule({
  target: 'workload',
  meta: {
    id: 'statefulset-update-strategy',
    ruleOfUptime: 6,
    severity: 'info',
    looksAt: 'rollout',
    summary: 'how a serving StatefulSet replaces its pods: OnDelete never does, a partition keeps ordinals old, two replicas leave one pod per step',
    messages: {
      onDelete:
        'updateStrategy OnDelete: the StatefulSet controller does not replace its pods when the template changes; each keeps the old revision ' +
        'until something deletes it, and that delete (kubectl delete pod, an operator, a script) removes the pod before its replacement exists, ' +
        'with no PodDisruptionBudget limiting how many go at once',
      partitionCoversAll:
        'rollingUpdate.partition {{partition}} is not below replicas {{replicas}}: a template change updates no pod, and {{kept}} stay on the old ' +
        'revision, even when deleted and recreated, until partition is lowered',
      partitioned:
        'rollingUpdate.partition {{partition}}: a template change updates only {{updated}}, highest first, each deleted before it is recreated{{parallel}}; ' +
        '{{kept}} keep the old revision, even when deleted and recreated, until partition is lowered to 0',
      twoReplicas:
        'with replicas 2 an update deletes {{name}}-1 and then {{name}}-0, each before its replacement exists (a StatefulSet never surges{{parallel}}): ' +
        'for each pod’s shutdown and start {{service}} has one pod left, taking all traffic with nothing in reserve; that pod’s preStop, grace and drain ' +
        'still decide whether the step drops requests',
    },
    fixes: {
      useRollingUpdate:
        'use updateStrategy.type: RollingUpdate (the default), so the controller replaces one ordinal at a time and waits for each to be Ready; ' +
        'keep OnDelete only if an operator or runbook deletes the pods one at a time',
      lowerPartition: 'lower rollingUpdate.partition (to 0 to finish the update) once the updated ordinals are healthy: a partition is a stage of a rollout',
      addReplica: 'if the app can run a third replica, run 3, so that an update always leaves 2 pods serving',
    },
  },
  check(w) {
    if (w.kind !== 'StatefulSet' || !w.serving) return [];
    const u = statefulSetUpdateOf(w.object);
    if (!u) return [];
    const results: RuleResult<Message, Fix>[] = [];
    if (u.strategy === 'OnDelete') {
      results.push({ path: ['spec', 'updateStrategy', 'type'], messageId: 'onDelete', fixId: 'useRollingUpdate' });
      return results;
    }
    const partitionPath = ['spec', 'updateStrategy', 'rollingUpdate', 'partition'];
    if (u.partition > 0 && u.replicas > 0) {
      const common = { partition: u.partition, replicas: u.replicas, kept: ordinals(w.name, u.keptOrdinals) };
      if (u.updatedOrdinals.length === 0) results.push({ path: partitionPath, messageId: 'partitionCoversAll', data: common, fixId: 'lowerPartition' });
      else
        results.push({
          path: partitionPath,
          messageId: 'partitioned',
          data: { ...common, updated: ordinals(w.name, u.updatedOrdinals), parallel: parallelNote(u) },
          fixId: 'lowerPartition',
        });
      return results;
    }
    // An autoscaler moves the count; judging a fixed 2 would be a guess.
    if (u.replicas === 2 && w.hpas.length === 0 && w.scaledObjects.length === 0)
      results.push({
        path: ['spec', 'replicas'],
        messageId: 'twoReplicas',
        data: { name: w.name, service: serviceOf(w), parallel: parallelNote(u) },
        fixId: 'addReplica',
      });
    return results;
  },
});

export default statefulSetUpdateStrategy;
