import type { RolloutEvent } from '../events/schema.js';
import type { KubeObject } from '../k8s/objects.js';
import { deploymentRolloutStatus, generationOf, PROGRESS_DEADLINE_EXCEEDED, type DeploymentLike } from '../k8s/rolloutStatus.js';

type RolloutBody = Omit<RolloutEvent, 't' | 'run'>;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

function counters(d: DeploymentLike): string {
  const s = d.status ?? {};
  return `${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0} ready, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} total of ${d.spec?.replicas ?? 1} wanted`;
}

/**
 * Rollout events between two observations of the Deployment. Completion and the deadline are
 * only reported for the generation we are waiting for (`sinceGeneration`), so the status of the
 * previous rollout, still visible in the first events after our patch, never counts.
 */
export function deploymentTransitions(previous: KubeObject | undefined, next: KubeObject, sinceGeneration: number | undefined): RolloutBody[] {
  const prev = previous as DeploymentLike | undefined;
  const cur = next as DeploymentLike;
  const revision = next.metadata?.annotations?.[REVISION_ANNOTATION];
  const rev = revision === undefined ? {} : { revision };
  const out: RolloutBody[] = [];
  if (!prev || counters(prev) !== counters(cur)) {
    out.push({ type: 'rollout', action: 'progress', ...rev, replicas: cur.status?.updatedReplicas ?? 0, detail: counters(cur) });
  }
  if (sinceGeneration !== undefined && generationOf(next) >= sinceGeneration) {
    const before = previous && generationOf(previous) >= sinceGeneration ? deploymentRolloutStatus(prev!).state : undefined;
    const now = deploymentRolloutStatus(cur);
    if (now.state === 'complete' && before !== 'complete')
      out.push({ type: 'rollout', action: 'complete', ...rev, replicas: cur.status?.updatedReplicas ?? 0, detail: now.message });
    if (now.state === 'deadline-exceeded' && before !== 'deadline-exceeded') {
      out.push({ type: 'rollout', action: 'deadline-exceeded', ...rev, detail: `Progressing=False ${PROGRESS_DEADLINE_EXCEEDED}: ${now.message}` });
    }
  }
  return out;
}
