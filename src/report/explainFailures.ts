import type { FailureCause, FailureExplanation, FailureRecord, LaneInterval, PodLane } from './model.js';
import { formatMs } from './format.js';

/**
 * Sorts each failure by what its pod was doing when the request left, so the report can say why
 * requests dropped, not only when. The causes follow the talk and docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/traffic-routing.md#kube-proxy, docs/reference/pod-termination.md#termination-timeline: traffic before
 * the app listens (no readiness probe), traffic after the stop signal but before a consumer
 * removed the endpoint (no or too short preStop), in-flight requests cut by SIGKILL, traffic to
 * a pod that is already gone (a consumer far behind).
 */
export function explainFailures(failures: readonly FailureRecord[], lanes: readonly PodLane[]): FailureExplanation[] {
  const byPod = new Map(lanes.map((lane) => [lane.pod, lane]));
  const groups = new Map<FailureCause, { count: number; pods: Set<string> }>();
  for (const failure of failures) {
    const lane = failure.pod === null ? undefined : byPod.get(failure.pod);
    const cause = lane ? causeOf(failure, lane) : 'no-pod';
    const group = groups.get(cause) ?? { count: 0, pods: new Set<string>() };
    group.count++;
    if (failure.pod !== null) group.pods.add(failure.pod);
    groups.set(cause, group);
  }
  return [...groups.entries()]
    .map(([cause, g]) => ({ cause, count: g.count, pods: [...g.pods], message: describe(cause, g.count, [...g.pods], byPod) }))
    .sort((a, b) => b.count - a.count);
}

type PodCondition = LaneInterval['state'] | 'not-created' | 'gone';

function conditionAt(lane: PodLane, t: number): PodCondition {
  const interval = lane.intervals.find((iv) => t >= iv.start && t < iv.end);
  if (interval) return interval.state;
  const last = lane.intervals[lane.intervals.length - 1];
  return last && t >= last.end ? 'gone' : 'not-created';
}

const STOPPING: ReadonlySet<PodCondition> = new Set(['signalled', 'killed', 'exited', 'gone']);

function causeOf(failure: FailureRecord, lane: PodLane): FailureCause {
  const atStart = conditionAt(lane, failure.start);
  // A connection torn down under a request that left while the pod still served: the app did not
  // drain. Judged at the moment it broke, not when it left.
  if (
    (failure.error === 'reset' || failure.error === 'socket-closed') &&
    atStart !== 'exited' &&
    atStart !== 'gone' &&
    STOPPING.has(conditionAt(lane, failure.end))
  ) {
    return 'cut-in-flight';
  }
  switch (atStart) {
    case 'not-created':
    case 'pending':
    case 'unready':
      return 'before-ready';
    case 'ready': {
      // The lab records when the app first accepted a connection; a cluster does not, and there
      // a refused connection on a ready pod can only mean the same thing.
      const listening = lane.marks.find((m) => m.kind === 'listening');
      if (listening ? failure.start < listening.t : failure.error === 'refused') return 'not-listening-yet';
      return 'while-ready';
    }
    case 'terminating':
      return 'terminating-before-signal';
    case 'signalled':
      return 'after-signal';
    case 'killed':
      return 'killed';
    case 'exited':
    case 'gone':
      return 'pod-gone';
  }
}

/**
 * How long after `anchor` (the stop signal, or the exit) each consumer removed the endpoint, worst
 * pod per consumer; the control plane's own slice update is left out, the consumers are what route.
 */
function consumerLateness(pods: readonly string[], byPod: Map<string, PodLane>, anchor: 'signal' | 'exit'): string {
  const worst = new Map<string, number>();
  for (const pod of pods) {
    const lane = byPod.get(pod);
    const from = lane?.marks.find((m) => m.kind === anchor)?.t ?? (anchor === 'exit' ? lane?.intervals.find((iv) => iv.state === 'exited')?.start : undefined);
    if (!lane || from === undefined) continue;
    for (const m of lane.marks) {
      if (m.kind !== 'endpoint-removed' || m.consumer === undefined || m.consumer === 'endpointslice' || m.t <= from) continue;
      worst.set(m.consumer, Math.max(worst.get(m.consumer) ?? 0, m.t - from));
    }
  }
  const word = anchor === 'signal' ? 'the stop signal' : 'the pod exited';
  return [...worst.entries()].map(([consumer, ms]) => `${consumer} removed the endpoint up to ${formatMs(ms)} after ${word}`).join(', ');
}

function describe(cause: FailureCause, count: number, pods: string[], byPod: Map<string, PodLane>): string {
  const n = `${count} request${count === 1 ? '' : 's'}`;
  const on = `on ${pods.length} pod${pods.length === 1 ? '' : 's'}`;
  switch (cause) {
    case 'not-listening-yet':
      return `${n} failed ${on} that were ready but not accepting connections yet: a readiness probe that checks the app would keep them out of rotation.`;
    case 'before-ready':
      return `${n} failed ${on} that were not ready yet: a consumer routed to them before readiness.`;
    case 'terminating-before-signal':
      return `${n} failed ${on} after deletion but before the stop signal: something stopped serving during preStop.`;
    case 'after-signal': {
      const late = consumerLateness(pods, byPod, 'signal');
      return `${n} failed ${on} after the stop signal, while traffic still arrived${late ? ` (${late})` : ''}: a preStop sleep longer than that keeps the app serving until the endpoint is gone.`;
    }
    case 'killed':
      return `${n} failed ${on} after SIGKILL at the end of the grace period: the app did not exit on its stop signal in time (signal handling, STOPSIGNAL, grace period).`;
    case 'pod-gone': {
      const late = consumerLateness(pods, byPod, 'exit');
      return `${n} were sent to ${pods.length} pod${pods.length === 1 ? '' : 's'} that had already exited${late ? ` (${late})` : ''}: the app must keep serving until every consumer has removed the endpoint (a preStop sleep before the stop signal).`;
    }
    case 'cut-in-flight':
      return `${n} were in flight ${on} when the app stopped or was killed: it should finish in-flight requests and close idle keep-alive connections on its stop signal, within the grace period.`;
    case 'while-ready':
      return `${n} failed ${on} while they were ready and serving: application errors, overload or timeouts rather than the rollout's lifecycle.`;
    case 'no-pod':
      return `${n} failed without a known pod (no endpoint, or the producer did not record which pod).`;
  }
}
