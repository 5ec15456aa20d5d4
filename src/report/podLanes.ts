import type { ContainerEvent, EndpointEvent, PodEvent } from '../events/schema.js';
import type { LaneInterval, LaneMark, LaneState, PodLane } from './model.js';

type LaneEvent = PodEvent | ContainerEvent | EndpointEvent;

/** States after which a pod cannot go back to serving; later readiness reports do not reopen it. */
const SHUTTING_DOWN: ReadonlySet<LaneState> = new Set(['terminating', 'signalled', 'killed', 'exited']);

/**
 * One lane per pod: consecutive intervals of its lifecycle plus point marks (stop signal,
 * SIGKILL, each consumer removing the endpoint). Shutdown order follows docs/reference/pod-termination.md#kubelet-sequence and docs/reference/pod-termination.md#termination-timeline:
 * terminating (preStop running) → stop signal → SIGKILL at the deadline →
 * exited. Lanes are ordered by first appearance, so old pods sit above their replacements.
 */
export function buildPodLanes(events: readonly LaneEvent[], timeRange: { start: number; end: number }): PodLane[] {
  const byPod = new Map<string, LaneEvent[]>();
  for (const event of events) {
    const list = byPod.get(event.pod);
    if (list) list.push(event);
    else byPod.set(event.pod, [event]);
  }
  return [...byPod.entries()].map(([pod, podEvents]) => buildLane(pod, podEvents, timeRange));
}

function buildLane(pod: string, events: LaneEvent[], timeRange: { start: number; end: number }): PodLane {
  const ordered = [...events].sort((a, b) => a.t - b.t);
  const intervals: LaneInterval[] = [];
  const marks: LaneMark[] = [];
  let revision: string | undefined;
  let current: LaneInterval | undefined;
  let closedAt: number | undefined;
  const runningContainers = new Set<string>();
  const exitedContainers = new Set<string>();

  const enter = (state: LaneState, t: number, cause: string) => {
    if (current?.state === state) return;
    if (current) {
      current.end = t;
      if (current.end > current.start) intervals.push(current);
    }
    current = { state, start: t, end: t, cause };
  };

  const first = ordered[0];
  // A pod that was already there when the run began (cluster rollouts) has no `created`: it was
  // serving before t=0 unless its first record says otherwise.
  if (first && !(first.type === 'pod' && first.phase === 'created')) {
    enter('ready', Math.min(timeRange.start, first.t), 'running before the run started');
  }

  for (const event of ordered) {
    // After the pod object is gone its lane ends, but consumers that drop the endpoint even later
    // are exactly what the report must show: keep their marks.
    if (closedAt !== undefined && event.type !== 'endpoint') continue;
    const state = current?.state;
    if (event.type === 'pod') {
      if (event.revision) revision = event.revision;
      const detail = event.detail ? ` (${event.detail})` : '';
      switch (event.phase) {
        case 'created':
          enter('pending', event.t, `created${detail}`);
          break;
        case 'ready':
          if (!state || !SHUTTING_DOWN.has(state)) enter('ready', event.t, `readiness passed${detail}`);
          break;
        case 'not-ready':
          if (!state || !SHUTTING_DOWN.has(state)) enter('unready', event.t, `readiness failed${detail}`);
          break;
        case 'terminating':
          if (state !== 'killed' && state !== 'exited' && state !== 'signalled') enter('terminating', event.t, `deletion requested${detail}`);
          break;
        case 'exited':
          enter('exited', event.t, `all containers exited${detail}`);
          break;
        case 'deleted':
          closedAt = event.t;
          break;
        case 'started':
        case 'available':
          break;
      }
    } else if (event.type === 'container') {
      const who = event.container;
      switch (event.action) {
        case 'start':
          runningContainers.add(who);
          exitedContainers.delete(who);
          break;
        case 'signal':
          marks.push({ t: event.t, kind: 'signal', container: who, label: `${event.signal ?? 'stop signal'} to ${who}` });
          if (state !== 'killed' && state !== 'exited') enter('signalled', event.t, `${event.signal ?? 'stop signal'} to ${who}`);
          break;
        case 'kill':
          marks.push({ t: event.t, kind: 'kill', container: who, label: `SIGKILL to ${who} (grace period over)` });
          if (state !== 'exited') enter('killed', event.t, `SIGKILL to ${who}`);
          break;
        case 'exit': {
          const code = event.exitCode === undefined ? '' : ` with ${event.exitCode === null ? `signal ${event.signal ?? '?'}` : `code ${event.exitCode}`}`;
          marks.push({ t: event.t, kind: 'exit', container: who, label: `${who} exited${code}` });
          exitedContainers.add(who);
          runningContainers.delete(who);
          if (runningContainers.size === 0 && state !== undefined && SHUTTING_DOWN.has(state)) enter('exited', event.t, `${who} exited${code}`);
          break;
        }
        case 'prestop-start':
          marks.push({ t: event.t, kind: 'prestop-start', container: who, label: `preStop started in ${who}${event.detail ? `: ${event.detail}` : ''}` });
          break;
        case 'prestop-end':
          marks.push({ t: event.t, kind: 'prestop-end', container: who, label: `preStop finished in ${who}` });
          break;
        case 'restart':
          marks.push({ t: event.t, kind: 'restart', container: who, label: `${who} restarted${event.detail ? `: ${event.detail}` : ''}` });
          break;
        case 'probe-fail':
          marks.push({
            t: event.t,
            kind: 'probe-fail',
            container: who,
            label: `${event.probe ?? 'probe'} probe failed in ${who}${event.detail ? `: ${event.detail}` : ''}`,
          });
          break;
        case 'listening':
          marks.push({ t: event.t, kind: 'listening', container: who, label: `${who} accepts connections` });
          break;
        case 'probe-ok':
          break;
      }
    } else {
      const conditions = event.conditions
        ? ` (${Object.entries(event.conditions)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ')})`
        : '';
      marks.push({
        t: event.t,
        kind: event.change === 'removed' ? 'endpoint-removed' : 'endpoint-added',
        consumer: event.consumer,
        label: `${event.consumer} ${event.change === 'removed' ? 'removed' : 'added'} the endpoint${conditions}`,
      });
    }
  }

  const end = closedAt ?? timeRange.end;
  if (current) {
    const open: LaneInterval = current;
    open.end = Math.max(open.start, end);
    if (open.end > open.start || intervals.length === 0) intervals.push(open);
  }
  return { pod, ...(revision === undefined ? {} : { revision }), intervals, marks, failures: [] };
}
