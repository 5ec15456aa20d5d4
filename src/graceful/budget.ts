/**
 * How long the app may take to stop, derived from the pod's termination budget.
 *
 * The kubelet sends the stop signal after the preStop hook (or at once without one) and SIGKILL
 * `max(G − floor(P), 2)` seconds later, where G is the effective grace period and P the preStop
 * wall time (docs/reference/pod-termination.md#grace-arithmetic). Our
 * hard deadline must land before that SIGKILL, with room left to log and exit (docs/reference/node-http.md#drain-rules).
 */

/** Kubernetes' default `terminationGracePeriodSeconds` (docs/reference/pod-termination.md#grace-period). */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/**
 * Default pause between the stop signal and closing the listener, so endpoint removal can reach
 * kube-proxy (~1 s, min-sync-period) and ingress-nginx (≤ ~3.3 s sync rate limit) first (docs/reference/traffic-routing.md#kube-proxy, docs/reference/traffic-routing.md#ingress-and-load-balancers, docs/reference/traffic-routing.md#propagation-latency).
 * Set it to 0 when a preStop sleep already covers propagation.
 */
export const DEFAULT_DRAIN_DELAY_MS = 5_000;

/** Time kept back from the kubelet's SIGKILL for logging, cleanup overrun and process exit. */
export const DEADLINE_MARGIN_MS = 3_000;

/** The kubelet never gives a container less than this after preStop (docs/reference/pod-termination.md#two-second-minimum). */
const MINIMUM_STOP_WINDOW_SECONDS = 2;

export interface TerminationBudget {
  /** Effective grace period G in seconds (pod `terminationGracePeriodSeconds`). */
  gracePeriodSeconds: number;
  /** preStop wall time P in seconds that runs before the stop signal; 0 without a preStop hook. */
  preStopSeconds: number;
}

/** Milliseconds between the stop signal and the kubelet's SIGKILL (docs/reference/pod-termination.md#grace-arithmetic). */
export function stopWindowMs(budget: TerminationBudget): number {
  const signalAt = Math.min(budget.preStopSeconds, budget.gracePeriodSeconds);
  const windowSeconds = Math.max(budget.gracePeriodSeconds - Math.floor(signalAt), MINIMUM_STOP_WINDOW_SECONDS);
  return windowSeconds * 1000;
}

/**
 * Our hard deadline, measured from the stop signal: the stop window minus a margin. The margin
 * shrinks to half the window when the window is small, so a 2 s window still leaves 1 s to drain.
 */
export function hardDeadlineMs(budget: TerminationBudget): number {
  const window = stopWindowMs(budget);
  return window - Math.min(DEADLINE_MARGIN_MS, window / 2);
}

/** Default deadline for the Kubernetes default budget: 30 s grace, no preStop → 27 000 ms. */
export const DEFAULT_TIMEOUT_MS = hardDeadlineMs({ gracePeriodSeconds: DEFAULT_GRACE_PERIOD_SECONDS, preStopSeconds: 0 });
