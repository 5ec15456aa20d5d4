/**
 * What server-drain-exceeds-grace's per-server checks share: the window the kubelet leaves a
 * container between its stop signal and SIGKILL (docs/reference/pod-termination.md#per-container-kill),
 * the words every message uses for it, and the shape of one container's finding. The grace period
 * is pod-wide, so the rule raises it once, to what the neediest container asks for.
 */
import { preStopDelaySeconds } from '../../../k8s/objects.js';
import { graceSecondsNeeded, shutdownTimeline } from '../../../k8s/shutdownTimeline.js';
import type { ContainerView, MessageData, RuleResult, StrategicPatch, WorkloadView, YamlPath } from '../../types.js';
import { graceOf, graceText, preStopOf, seconds } from './drain.js';

export type DrainMessages = 'drainCutByKill' | 'delayOutlastsGrace' | 'springPhaseOutlastsGrace' | 'dotnetTimeoutOutlastsGrace' | 'dotnetTimeoutCutsDrain';
export type DrainFixes = 'raiseGrace' | 'raiseGraceForDelay' | 'raiseDotnetTimeout';
export type DrainResult = RuleResult<DrainMessages, DrainFixes>;

/** One container whose server's shutdown budget does not fit the pod. */
export interface DrainFinding {
  /** terminationGracePeriodSeconds this container needs; undefined when the finding is not the grace period's. */
  graceNeeded?: number;
  /** The finding, given the grace period that fits every container and the patch that sets it. */
  report(needed: number, patch: StrategicPatch): DrainResult;
}

export interface ShutdownWindow {
  /** The preStop delay in seconds (0 without one). */
  preStop: number;
  /** Seconds between the stop signal and SIGKILL. */
  appWindow: number;
}

export function windowOf(w: WorkloadView, c: ContainerView): ShutdownWindow {
  const preStop = preStopDelaySeconds(preStopOf(c)) ?? 0;
  return { preStop, appWindow: shutdownTimeline(graceOf(w).seconds, preStop).appWindow };
}

/** The placeholders every grace message and the raiseGrace fix share. */
function windowData(w: WorkloadView, c: ContainerView, { preStop, appWindow }: ShutdownWindow, needed: number) {
  return {
    container: c.name,
    preStop: seconds(preStop),
    preStopText: preStop > 0 ? `a preStop of ${seconds(preStop)}` : 'no preStop delay',
    grace: graceText(w),
    window: seconds(appWindow),
    needed,
  };
}

/**
 * A finding about the grace period: the server needs `need` seconds after its stop signal, the
 * pod gives it `window`. The report carries the window's words and the pod-wide patch.
 */
export function graceFinding(
  w: WorkloadView,
  c: ContainerView,
  window: ShutdownWindow,
  need: number,
  finding: { path: YamlPath; messageId: DrainMessages; fixId: DrainFixes; data: MessageData },
): DrainFinding {
  return {
    graceNeeded: graceSecondsNeeded(window.preStop, need),
    report: (needed, patch) => ({
      path: finding.path,
      container: c.name,
      messageId: finding.messageId,
      data: { ...windowData(w, c, window, needed), ...finding.data },
      fixId: finding.fixId,
      patch,
    }),
  };
}
