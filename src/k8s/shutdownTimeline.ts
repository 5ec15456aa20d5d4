/**
 * The kubelet's per-container shutdown arithmetic (docs/reference/pod-termination.md#per-container-kill, docs/reference/pod-termination.md#termination-timeline):
 * with P = preStop wall time and G = effective grace period, the stop signal goes at min(P, G)
 * and SIGKILL at min(P, G) + max(G − floor(min(P, G)), 2). Elapsed preStop time is truncated to
 * whole seconds before it is subtracted, and the remaining window never drops below the 2 s
 * "minimumGracePeriodInSeconds" (pkg/kubelet/kuberuntime/kuberuntime_manager.go).
 */

/** API default for terminationGracePeriodSeconds (k8s.io/api core/v1 PodSpec). */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** kuberuntime_manager.go minimumGracePeriodInSeconds. */
export const MINIMUM_GRACE_SECONDS = 2;

export interface ShutdownTimeline {
  /** Seconds after the kubelet starts termination when the stop signal is sent. */
  stopSignalAt: number;
  /** Seconds after the kubelet starts termination when SIGKILL is sent. */
  killAt: number;
  /** Seconds the app has between its stop signal and SIGKILL. */
  appWindow: number;
  /** True when the preStop hook outlived the grace period and the kubelet stopped waiting for it. */
  preStopAbandoned: boolean;
  /** True when the 2 s floor, not the grace period, decided the app window. */
  floorApplied: boolean;
}

/**
 * @param graceSeconds effective grace period G (terminationGracePeriodSeconds or the delete's override).
 * @param preStopSeconds how long the preStop hook runs (0 when there is none).
 */
export function shutdownTimeline(graceSeconds: number = DEFAULT_TERMINATION_GRACE_SECONDS, preStopSeconds = 0): ShutdownTimeline {
  const grace = effectiveGraceSeconds(graceSeconds);
  const preStop = Math.max(0, preStopSeconds);
  const stopSignalAt = Math.min(preStop, grace);
  const remaining = grace - Math.floor(stopSignalAt);
  const appWindow = Math.max(remaining, MINIMUM_GRACE_SECONDS);
  return {
    stopSignalAt,
    killAt: stopSignalAt + appWindow,
    appWindow,
    preStopAbandoned: preStop > grace,
    floorApplied: remaining < MINIMUM_GRACE_SECONDS,
  };
}

/**
 * `CheckGracefulDelete` + `calculateEffectiveGracePeriod` (docs/reference/pod-termination.md#grace-period, docs/reference/pod-termination.md#effective-grace-period): negative values
 * become 1 and the kubelet always supplies at least 1.
 */
export function effectiveGraceSeconds(graceSeconds: number | undefined): number {
  if (graceSeconds === undefined) return DEFAULT_TERMINATION_GRACE_SECONDS;
  if (graceSeconds < 0) return 1;
  return Math.max(graceSeconds, 1);
}

/**
 * The smallest terminationGracePeriodSeconds that lets a preStop of `preStopSeconds` finish and
 * still leaves the app `drainSeconds` before SIGKILL: G ≥ P (or the kubelet abandons the hook)
 * and G − floor(P) ≥ D (docs/reference/pod-termination.md#per-container-kill, elapsed time truncated to whole seconds).
 */
export function graceSecondsNeeded(preStopSeconds: number, drainSeconds: number): number {
  const preStop = Math.max(0, preStopSeconds);
  return Math.max(Math.ceil(preStop), Math.floor(preStop) + Math.ceil(Math.max(0, drainSeconds)), 1);
}
