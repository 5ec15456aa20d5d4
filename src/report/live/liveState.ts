import type { ErrorClass, PodPhase, ZerodropEvent } from '../../events/schema.js';
import { failureClass, isFailure } from '../requestSeries.js';

/** What one pod is doing right now, as the terminal shows it. */
export interface LivePod {
  name: string;
  revision?: string;
  createdAt: number;
  phase: PodPhase;
  /** A finer activity inside the phase: preStop, signalled, killed. */
  activity?: 'preStop' | 'signalled' | 'killed';
  since: number;
  deletedAt?: number;
}

/** The state a live view renders: folded from events, no I/O, so it is tested without a terminal. */
export interface LiveState {
  run: string;
  description?: string;
  source?: 'lab' | 'cluster';
  /** Latest event time seen, ms on the run's axis. */
  lastT: number;
  pods: Map<string, LivePod>;
  requests: number;
  failures: number;
  failuresByClass: Partial<Record<ErrorClass, number>>;
  /** Per whole second of request completion: requests and failures, for the rate and the sparkline. */
  perSecond: Map<number, { requests: number; failures: number }>;
  rollout: 'waiting' | 'in progress' | 'complete' | 'deadline exceeded';
  verdict?: 'pass' | 'fail' | 'inconclusive';
  /** The latest note: the panel owns the terminal, so notes are shown in it rather than printed. */
  lastNote?: { t: number; level: 'info' | 'warn'; message: string };
}

export function createLiveState(run = ''): LiveState {
  return { run, lastT: 0, pods: new Map(), requests: 0, failures: 0, failuresByClass: {}, perSecond: new Map(), rollout: 'waiting' };
}

/** Folds one event into the state (mutates and returns it: the view applies thousands a second). */
export function applyLiveEvent(state: LiveState, event: ZerodropEvent): LiveState {
  if (event.type === 'run-start' && event.run !== state.run) Object.assign(state, createLiveState(event.run));
  state.run ||= event.run;
  state.lastT = Math.max(state.lastT, event.t);
  switch (event.type) {
    case 'run-start':
      if (event.description !== undefined) state.description = event.description;
      state.source = event.source;
      break;
    case 'run-end':
      state.verdict = event.verdict;
      break;
    case 'rollout':
      if (event.action === 'start') state.rollout = 'in progress';
      else if (event.action === 'complete') state.rollout = 'complete';
      else if (event.action === 'deadline-exceeded') state.rollout = 'deadline exceeded';
      break;
    case 'pod': {
      const pod = state.pods.get(event.pod) ?? { name: event.pod, createdAt: event.t, phase: event.phase, since: event.t };
      if (event.revision !== undefined) pod.revision = event.revision;
      if (pod.phase !== event.phase) {
        pod.phase = event.phase;
        pod.since = event.t;
      }
      if (event.phase === 'ready' || event.phase === 'created') delete pod.activity;
      if (event.phase === 'deleted') pod.deletedAt = event.t;
      state.pods.set(event.pod, pod);
      break;
    }
    case 'container': {
      const pod = state.pods.get(event.pod);
      if (!pod) break;
      if (event.action === 'prestop-start') setActivity(pod, 'preStop', event.t);
      else if (event.action === 'signal' && pod.activity !== 'killed') setActivity(pod, 'signalled', event.t);
      else if (event.action === 'kill') setActivity(pod, 'killed', event.t);
      break;
    }
    case 'request': {
      state.requests++;
      const second = Math.floor(event.end / 1000);
      const bin = state.perSecond.get(second) ?? { requests: 0, failures: 0 };
      bin.requests++;
      if (isFailure(event)) {
        state.failures++;
        bin.failures++;
        const c = failureClass(event);
        state.failuresByClass[c] = (state.failuresByClass[c] ?? 0) + 1;
      }
      state.perSecond.set(second, bin);
      break;
    }
    case 'note':
      state.lastNote = { t: event.t, level: event.level, message: event.message };
      break;
    default:
      break;
  }
  return state;
}

function setActivity(pod: LivePod, activity: NonNullable<LivePod['activity']>, t: number): void {
  pod.activity = activity;
  pod.since = t;
}

/** Requests completed in the last whole second before `now`. */
export function currentRate(state: LiveState, now: number): number {
  return state.perSecond.get(Math.floor(now / 1000) - 1)?.requests ?? 0;
}

/** Failures per second over the `seconds` whole seconds before `now`, oldest first. */
export function failureHistory(state: LiveState, now: number, seconds: number): number[] {
  const last = Math.floor(now / 1000);
  return Array.from({ length: seconds }, (_, i) => state.perSecond.get(last - seconds + i)?.failures ?? 0);
}
