/**
 * The report model: everything a rendering (HTML page, terminal summary) needs, derived from the
 * event stream alone and JSON-serialisable, so the HTML page embeds it as-is and the browser
 * code only draws.
 */
import type { ErrorClass, RunEndEvent, RunStartEvent } from '../events/schema.js';

export const ERROR_CLASSES: readonly ErrorClass[] = ['refused', 'reset', 'socket-closed', 'timeout', 'http-5xx', 'other'];

/** Every lane state in drawing order, with the words the legend and the hover details use. */
const LANE_STATE_TEXT: Record<LaneState, { legend: string; hover: string }> = {
  pending: { legend: 'pending', hover: 'pending' },
  ready: { legend: 'ready', hover: 'ready' },
  unready: { legend: 'not ready', hover: 'not ready' },
  terminating: { legend: 'terminating (preStop)', hover: 'terminating (preStop / grace period)' },
  signalled: { legend: 'signalled', hover: 'signalled (stop signal sent)' },
  killed: { legend: 'killed', hover: 'killed (SIGKILL sent)' },
  exited: { legend: 'exited', hover: 'exited' },
};

/**
 * The names a rendering draws with, carried in the model so the page script reads them from the
 * data it draws rather than keeping copies: failure classes in stacking order, lane states.
 */
export interface ReportLegend {
  errorClasses: readonly ErrorClass[];
  laneStates: ReadonlyArray<{ state: LaneState; legend: string; hover: string }>;
}

export const REPORT_LEGEND: ReportLegend = {
  errorClasses: ERROR_CLASSES,
  laneStates: (Object.keys(LANE_STATE_TEXT) as LaneState[]).map((state) => ({ state, ...LANE_STATE_TEXT[state] })),
};

export interface ReportModel {
  generatedFrom: { events: number; runs: number };
  legend: ReportLegend;
  runs: RunReport[];
}

export interface RunReport {
  run: string;
  source: RunStartEvent['source'] | 'unknown';
  startedAt?: string;
  description?: string;
  command?: string;
  config: Record<string, unknown>;
  audit: NonNullable<RunStartEvent['audit']>;
  summary: RunSummary;
  /** Time axis of every chart and lane, ms since the run's t=0. */
  timeRange: { start: number; end: number };
  series: RequestSeries;
  lanes: PodLane[];
  /** Requests that failed, in send order. */
  failures: FailureRecord[];
  /** Failures grouped by class and pod, most frequent first. */
  failureGroups: Array<{ error: ErrorClass; pod: string | null; count: number; first: number; last: number }>;
  /** Rollout controller actions (start, scale, complete), drawn as vertical rules across charts. */
  rolloutMarks: Array<{ t: number; action: string; label: string }>;
  notes: Array<{ t: number; level: 'info' | 'warn'; message: string }>;
  /** Failures explained by what their pod was doing at the time, largest group first. */
  explanations: FailureExplanation[];
}

export type FailureCause =
  | 'not-listening-yet'
  | 'before-ready'
  | 'while-ready'
  | 'terminating-before-signal'
  | 'after-signal'
  | 'cut-in-flight'
  | 'killed'
  | 'pod-gone'
  | 'no-pod';

export interface FailureExplanation {
  cause: FailureCause;
  count: number;
  pods: string[];
  /** One sentence a user can act on. */
  message: string;
}

export interface RunSummary {
  verdict: RunEndEvent['verdict'];
  /** Why the run is not a pass; when the stream lacks a run-end this says so. */
  reasons: string[];
  /** False when the verdict was derived here because the stream had no run-end event. */
  finished: boolean;
  requests: number;
  failures: number;
  failuresByClass: Partial<Record<ErrorClass, number>>;
  /** Percent of requests that succeeded, 0..100, or null without requests. */
  successPercent: number | null;
  rollout: RunEndEvent['rollout'] | null;
  durationMs: number;
  /** Offered load, requests per second over the whole run. */
  meanRps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  /** Worst generator scheduling lag (load ticks): large values mean the load was not really applied. */
  maxLoadLagMs: number | null;
  pods: number;
}

/**
 * Requests bucketed by intended send time. Columns are aligned with `t` (bucket start, ms).
 * Rates are per second whatever the bucket width, so short lab runs get finer buckets without
 * changing the unit on the axis.
 */
export interface RequestSeries {
  bucketMs: number;
  t: number[];
  okRps: number[];
  failedRps: Record<ErrorClass, number[]>;
  /** Latency (end − intended) percentiles per bucket, null where the bucket had no completed request. */
  latency: { p50: Array<number | null>; p90: Array<number | null>; p99: Array<number | null>; max: Array<number | null> };
}

export type LaneState = 'pending' | 'ready' | 'unready' | 'terminating' | 'signalled' | 'killed' | 'exited';

export interface LaneInterval {
  state: LaneState;
  start: number;
  end: number;
  /** What began the interval, e.g. "readiness passed" or "SIGTERM to app". */
  cause: string;
}

export type LaneMarkKind =
  | 'listening'
  | 'signal'
  | 'kill'
  | 'endpoint-removed'
  | 'endpoint-added'
  | 'prestop-start'
  | 'prestop-end'
  | 'restart'
  | 'probe-fail'
  | 'exit';

export interface LaneMark {
  t: number;
  kind: LaneMarkKind;
  /** One line shown on hover. */
  label: string;
  /** For endpoint marks: which consumer (proxy, l4, nginx, endpointslice). */
  consumer?: string;
  container?: string;
}

export interface PodLane {
  pod: string;
  revision?: string;
  intervals: LaneInterval[];
  marks: LaneMark[];
  /** Indexes into RunReport.failures of the failures attributed to this pod. */
  failures: number[];
}

export interface FailureRecord {
  /** Intended send time: where the failure sits on the time axis. */
  t: number;
  start: number;
  end: number;
  latencyMs: number;
  error: ErrorClass;
  status?: number;
  code?: string;
  pod: string | null;
}
