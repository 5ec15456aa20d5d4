import type { ContainerEvent, EndpointEvent, ErrorClass, PodEvent, RequestEvent, RunEndEvent, RunStartEvent, ZerodropEvent } from '../events/schema.js';
import { REPORT_LEGEND, type FailureRecord, type ReportModel, type RunReport, type RunSummary } from './model.js';
import { explainFailures } from './explainFailures.js';
import { percentileOfSorted, roundMs } from './percentile.js';
import { buildPodLanes } from './podLanes.js';
import { buildRequestSeries, failureClass, isFailure, latencyMs } from './requestSeries.js';

/** Pure: the whole report from the events of one NDJSON file. Runs keep the order they first appear in. */
export function buildReport(events: readonly ZerodropEvent[]): ReportModel {
  const byRun = new Map<string, ZerodropEvent[]>();
  for (const event of events) {
    const list = byRun.get(event.run);
    if (list) list.push(event);
    else byRun.set(event.run, [event]);
  }
  return {
    generatedFrom: { events: events.length, runs: byRun.size },
    legend: REPORT_LEGEND,
    runs: [...byRun.entries()].map(([run, runEvents]) => buildRunReport(run, runEvents)),
  };
}

export function buildRunReport(run: string, events: readonly ZerodropEvent[]): RunReport {
  let start: RunStartEvent | undefined;
  let end: RunEndEvent | undefined;
  const requests: RequestEvent[] = [];
  const laneEvents: Array<PodEvent | ContainerEvent | EndpointEvent> = [];
  const rolloutMarks: RunReport['rolloutMarks'] = [];
  const notes: RunReport['notes'] = [];
  let maxLoadLagMs: number | null = null;
  let lastT = 0;
  let firstT = 0;

  for (const event of events) {
    lastT = Math.max(lastT, event.t);
    firstT = Math.min(firstT, event.t);
    switch (event.type) {
      case 'run-start':
        start ??= event;
        break;
      case 'run-end':
        end = event;
        break;
      case 'request':
        requests.push(event);
        lastT = Math.max(lastT, event.end);
        firstT = Math.min(firstT, event.intended);
        break;
      case 'pod':
      case 'container':
      case 'endpoint':
        laneEvents.push(event);
        break;
      case 'rollout':
        rolloutMarks.push({ t: event.t, action: event.action, label: rolloutLabel(event.action, event.revision, event.replicas, event.detail) });
        break;
      case 'load':
        maxLoadLagMs = Math.max(maxLoadLagMs ?? 0, event.lagMs);
        break;
      case 'note':
        notes.push({ t: event.t, level: event.level, message: event.message });
        break;
    }
  }

  const timeRange = { start: firstT, end: Math.max(lastT, firstT + 1) };
  requests.sort((a, b) => a.intended - b.intended);
  const failures: FailureRecord[] = requests.filter(isFailure).map(toFailureRecord);
  const lanes = buildPodLanes(laneEvents, timeRange);
  const laneIndex = new Map(lanes.map((lane, i) => [lane.pod, i]));
  failures.forEach((failure, i) => {
    const lane = failure.pod === null ? undefined : laneIndex.get(failure.pod);
    if (lane !== undefined) lanes[lane]!.failures.push(i);
  });

  return {
    run,
    source: start?.source ?? 'unknown',
    ...(start?.startedAt === undefined ? {} : { startedAt: start.startedAt }),
    ...(start?.description === undefined ? {} : { description: start.description }),
    ...(start?.command === undefined ? {} : { command: start.command }),
    config: start?.config ?? {},
    audit: start?.audit ?? [],
    summary: summarise(requests, failures, end, timeRange, maxLoadLagMs, lanes.length),
    timeRange,
    series: buildRequestSeries(requests, timeRange),
    lanes,
    failures,
    failureGroups: groupFailures(failures),
    rolloutMarks,
    notes,
    explanations: explainFailures(failures, lanes),
  };
}

function toFailureRecord(request: RequestEvent): FailureRecord {
  return {
    t: request.intended,
    start: request.start,
    end: request.end,
    latencyMs: roundMs(latencyMs(request)),
    error: failureClass(request),
    ...(request.status === undefined ? {} : { status: request.status }),
    ...(request.code === undefined ? {} : { code: request.code }),
    pod: request.pod ?? null,
  };
}

function summarise(
  requests: readonly RequestEvent[],
  failures: readonly FailureRecord[],
  end: RunEndEvent | undefined,
  timeRange: { start: number; end: number },
  maxLoadLagMs: number | null,
  pods: number,
): RunSummary {
  const okLatencies = requests
    .filter((r) => !isFailure(r))
    .map(latencyMs)
    .sort((a, b) => a - b);
  const latency =
    okLatencies.length === 0
      ? null
      : {
          p50: roundMs(percentileOfSorted(okLatencies, 0.5)),
          p90: roundMs(percentileOfSorted(okLatencies, 0.9)),
          p99: roundMs(percentileOfSorted(okLatencies, 0.99)),
          max: roundMs(percentileOfSorted(okLatencies, 1)),
        };
  const observedByClass: Partial<Record<ErrorClass, number>> = {};
  for (const f of failures) observedByClass[f.error] = (observedByClass[f.error] ?? 0) + 1;

  // The run-end record is the producer's verdict and is authoritative; without it (interrupted
  // run, partial file) the counts come from the request records and nothing can be proven.
  const requestCount = end?.requests ?? requests.length;
  const failureCount = end?.failures ?? failures.length;
  const durationMs = timeRange.end - timeRange.start;
  return {
    verdict: end?.verdict ?? 'inconclusive',
    reasons: end ? end.reasons : ['the event stream ends without a run-end record: the run was interrupted or is still running'],
    finished: end !== undefined,
    requests: requestCount,
    failures: failureCount,
    failuresByClass: end?.failuresByClass ?? observedByClass,
    successPercent: requestCount === 0 ? null : ((requestCount - failureCount) / requestCount) * 100,
    rollout: end?.rollout ?? null,
    durationMs,
    meanRps: durationMs > 0 ? (requests.length * 1000) / durationMs : 0,
    latencyMs: latency,
    maxLoadLagMs,
    pods,
  };
}

function groupFailures(failures: readonly FailureRecord[]): RunReport['failureGroups'] {
  const groups = new Map<string, RunReport['failureGroups'][number]>();
  for (const f of failures) {
    const key = `${f.error}\u0000${f.pod ?? ''}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.last = f.t;
    } else groups.set(key, { error: f.error, pod: f.pod, count: 1, first: f.t, last: f.t });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.first - b.first);
}

function rolloutLabel(action: string, revision?: string, replicas?: number, detail?: string): string {
  const parts = [`rollout ${action}`];
  if (revision !== undefined) parts.push(revision);
  if (replicas !== undefined) parts.push(`→ ${replicas} replicas`);
  if (detail !== undefined) parts.push(`(${detail})`);
  return parts.join(' ');
}
