/**
 * When a rollout's last drops can still happen. A Deployment's status counts only pods that are
 * not terminating (apps/v1 DeploymentStatus: "non-terminating pods"), so kubectl rollout status,
 * and the Deployment, call a rollout complete the moment the last old pod gets its
 * deletionTimestamp. That pod then runs its preStop hook, gets its stop signal, drains, and exits
 * up to its grace period later: exactly when late drops happen. So the run keeps its load on until
 * every pod seen terminating is gone (deleted, or in a terminal phase), each bounded by its
 * deletionGracePeriodSeconds plus a margin for the kubelet to kill it and report, and, where the
 * server reports it (status.terminatingReplicas, DeploymentReplicaSetTerminatingReplicas: alpha in
 * 1.33, beta and on from 1.35), until no replica is terminating.
 */

/** Time after the grace period for the kubelet to send SIGKILL, report the exit and delete the object. */
export const TERMINATION_MARGIN_MS = 5_000;

export interface TerminatingPod {
  pod: string;
  /** When we saw its deletionTimestamp (run time axis, ms). */
  seenAt: number;
  graceSeconds: number;
}

export interface DrainState {
  done: boolean;
  /** Pods still terminating. */
  pods: string[];
  /** status.terminatingReplicas when the server reports it. */
  terminatingReplicas: number | undefined;
  /** Past this time (run axis) a pod still terminating is not coming back in time: stop waiting. */
  deadline: number;
}

export function drainState(
  terminating: readonly TerminatingPod[],
  terminatingReplicas: number | undefined,
  options: { now: number; completedAt: number; defaultGraceSeconds: number },
): DrainState {
  const pods = terminating.map((p) => p.pod);
  const bounds = terminating.map((p) => p.seenAt + p.graceSeconds * 1000 + TERMINATION_MARGIN_MS);
  // Pods the status counts but the pod watch has not shown terminating (yet): bounded from completion.
  if ((terminatingReplicas ?? 0) > pods.length) bounds.push(options.completedAt + options.defaultGraceSeconds * 1000 + TERMINATION_MARGIN_MS);
  const done = pods.length === 0 && (terminatingReplicas ?? 0) === 0;
  return { done, pods, terminatingReplicas, deadline: bounds.length > 0 ? Math.max(...bounds) : options.now };
}
