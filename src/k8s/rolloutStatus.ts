/**
 * When is a Deployment rollout done? The same answer `kubectl rollout status` gives
 * (kubectl `polymorphichelpers/rollout_status.go`, DeploymentStatusViewer), so zerodrop and
 * kubectl never disagree about completion. The progress deadline is only reported by the
 * controller, nothing is rolled back (docs/reference/workload-updates.md#progress-deadline).
 */

export interface DeploymentCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** The Deployment fields the status check reads; status counters are omitted on the wire when 0. */
export interface DeploymentLike {
  metadata?: { generation?: number; name?: string };
  spec?: { replicas?: number; paused?: boolean; [k: string]: unknown };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
    [k: string]: unknown;
  };
}

export type RolloutState =
  /** The controller has not yet seen the latest spec (observedGeneration < generation). */
  | 'waiting-for-observation'
  | 'updating'
  | 'terminating-old'
  | 'waiting-for-available'
  | 'complete'
  /** Progressing=False with reason ProgressDeadlineExceeded. */
  | 'deadline-exceeded';

export interface RolloutStatus {
  state: RolloutState;
  done: boolean;
  /** kubectl's wording, so users recognise it. */
  message: string;
}

/** Reason the controller sets on Progressing=False when progressDeadlineSeconds passed without progress (docs/reference/workload-updates.md#deployment-controller). */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

/** metadata.generation, 0 when absent (objects from user YAML have none). */
export function generationOf(object: { metadata?: unknown }): number {
  const g = (object.metadata as { generation?: unknown } | undefined)?.generation;
  return typeof g === 'number' ? g : 0;
}

export function deploymentRolloutStatus(deployment: DeploymentLike): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  const observed = status.observedGeneration ?? 0;
  if (generation > observed) return { state: 'waiting-for-observation', done: false, message: 'Waiting for deployment spec update to be observed...' };
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    return { state: 'deadline-exceeded', done: false, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const wanted = deployment.spec?.replicas ?? 1;
  if (updated < wanted) {
    return {
      state: 'updating',
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
    };
  }
  if (replicas > updated) {
    return {
      state: 'terminating-old',
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      state: 'waiting-for-available',
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { state: 'complete', done: true, message: `deployment "${name}" successfully rolled out` };
}
