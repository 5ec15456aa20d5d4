import { Pool } from 'undici';
import type { EventStream } from '../events/stream.js';
import type { LoadTickEvent, RequestEvent } from '../events/schema.js';
import { checkTimerMs } from '../durations.js';
import { ZerodropError } from '../errors.js';
import { classifyError, classifyStatus } from './error-class.js';
import { assessGeneratorHealth, DEFAULT_HEALTH_THRESHOLDS, type GeneratorHealth, type HealthThresholds } from './health.js';
import { MsHistogram, type LatencySummary } from './latency.js';
import { dueCount, intendedOffsetMs, plannedRequests } from './schedule.js';

/** Response header naming the pod that served a request (set by the lab proxy and the demo app). */
export const POD_HEADER = 'x-zerodrop-pod';

export interface LoadOptions {
  /** Target URL, e.g. `http://127.0.0.1:8080/`. Only its origin and path are used. */
  url: string;
  /** Arrival rate in requests per second (open model). Default 200. */
  rate?: number;
  /** Schedule length. The run is bounded by this AND by `maxRequests`. */
  durationMs: number;
  maxRequests?: number;
  /**
   * Per-request timeout: response headers within this many ms of the hand-off to the pool, and no
   * gap longer than this in the body. Default 2000.
   */
  timeoutMs?: number;
  /**
   * `keep-alive` (default): a pool of long-lived connections, like an ingress or load balancer.
   * `fresh`: a new connection per request (`Connection: close`), which understates connection-level
   * drops badly (docs/reference/load-verification.md#rolling-update-drops-experiment) but is what many probes do.
   */
  connection?: 'keep-alive' | 'fresh';
  /** Maximum pool connections. Default 128; requests beyond it queue (and their latency shows it). */
  connections?: number;
  method?: string;
  headers?: Record<string, string>;
  podHeader?: string;
  /** Receives a `request` event per request and a `load` tick per second. */
  events?: EventStream;
  /** Set false to emit only the ticks (e.g. very long runs); records are still returned. */
  emitRequestEvents?: boolean;
  health?: Partial<HealthThresholds>;
}

/** One request, times in ms on the run's time axis (the EventStream's, or the generator's own). */
export type RequestRecord = Omit<RequestEvent, 'type' | 't' | 'run'>;
export type LoadTick = Omit<LoadTickEvent, 'type' | 'run'>;

export interface LoadResult {
  records: RequestRecord[];
  ticks: LoadTick[];
  health: GeneratorHealth;
  /** Latency from intended send to end (so queueing is visible), all requests. */
  latency: LatencySummary;
  rate: number;
  /** The schedule's window on the run's time axis: requests were due in [startMs, endMs). */
  startMs: number;
  endMs: number;
  /** True when `stop()` ended the schedule before its duration or count. */
  stoppedEarly: boolean;
}

export interface LoadRun {
  /** Resolves when the schedule is done and every request has finished (bounded by the timeout). */
  readonly done: Promise<LoadResult>;
  /** Stops scheduling now, waits for requests in flight, resolves like `done`. */
  stop(): Promise<LoadResult>;
  inFlight(): number;
  sent(): number;
}

class RequestTimeout extends Error {
  readonly code = 'TIMEOUT';
}

/**
 * Starts an open-model load run. Requests leave at their intended times (see schedule.ts) over an
 * undici Pool with `pipelining: 1` and `idempotent: false`, so undici never replays a request on
 * another socket: a failure is always reported, never retried (docs/reference/load-verification.md#no-silent-retries, docs/reference/load-verification.md#client-error-classes).
 */
export function startLoad(options: LoadOptions): LoadRun {
  const rate = options.rate ?? 200;
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new ZerodropError('bad-rate', `load rate must be a positive number, got ${rate}`);
  if (!(options.durationMs > 0)) throw new ZerodropError('bad-duration', `load duration must be positive, got ${options.durationMs}`);
  checkTimerMs(options.durationMs, `a load run of ${options.durationMs} ms`);
  checkTimerMs(timeoutMs, `a request timeout of ${timeoutMs} ms`);
  let target: URL;
  try {
    target = new URL(options.url);
  } catch {
    throw new ZerodropError('bad-url', `not a URL: ${options.url}`);
  }
  const path = `${target.pathname}${target.search}`;
  const method = options.method ?? 'GET';
  const podHeader = (options.podHeader ?? POD_HEADER).toLowerCase();
  const fresh = options.connection === 'fresh';
  const events = options.events;
  const emitRequests = options.emitRequestEvents ?? true;
  const thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...options.health };
  const planned = plannedRequests(options.durationMs, rate, options.maxRequests);

  const pool = new Pool(target.origin, {
    connections: options.connections ?? 128,
    pipelining: 1,
    connect: { timeout: timeoutMs },
    // Our own timer (from hand-off to response headers) is the per-request timeout; undici's
    // headers timeout only backs it up, its body timeout bounds a stalled body.
    headersTimeout: timeoutMs + 1000,
    bodyTimeout: timeoutMs,
  });

  const origin = performance.now();
  const clock = (p: number): number => (events ? events.at(p) : Math.round((p - origin) * 1000) / 1000);
  const records: RequestRecord[] = [];
  const ticks: LoadTick[] = [];
  const latency = new MsHistogram();
  const lagAll = new MsHistogram();
  const lagTick = new MsHistogram();
  let lagMax = 0;
  let seq = 0;
  let inFlight = 0;
  let sentThisTick = 0;
  let nextTickAt = origin + 1000;
  let scheduleTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stoppedEarly = false;
  let plannedAtStop = planned;
  let endP = origin + Math.min(options.durationMs, intendedOffsetMs(planned, rate));
  let drained: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (drained = resolve));

  const emitTick = (atP: number): void => {
    const tick: LoadTick = { t: clock(atP), sent: sentThisTick, lagMs: lagTick.percentile(99), inFlight };
    ticks.push(tick);
    events?.emit({ type: 'load', sent: tick.sent, lagMs: tick.lagMs, inFlight: tick.inFlight }, tick.t);
    sentThisTick = 0;
    lagTick.reset();
  };

  const finishIfDrained = (): void => {
    if (stopped && inFlight === 0) drained();
  };

  const fire = (intendedP: number): void => {
    const startP = performance.now();
    const lag = startP - intendedP;
    lagAll.record(lag);
    lagTick.record(lag);
    if (lag > lagMax) lagMax = lag;
    sentThisTick++;
    inFlight++;
    const abort = new AbortController();
    let timedOut = false;
    let settled = false;
    // Timers run before I/O callbacks in the event loop: after a stall of our own process, a
    // response already sitting in the socket would lose the race against its timer. Checking again
    // after the poll phase (setImmediate) lets such a response count as what it is.
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        timedOut = true;
        abort.abort(new RequestTimeout(`no response within ${timeoutMs} ms`));
      });
    }, timeoutMs);
    const finish = (fields: Pick<RequestRecord, 'status' | 'error' | 'code' | 'pod'>): void => {
      clearTimeout(timer);
      const endP2 = performance.now();
      latency.record(endP2 - intendedP);
      const record: RequestRecord = { intended: clock(intendedP), start: clock(startP), end: clock(endP2) };
      if (fields.status !== undefined) record.status = fields.status;
      if (fields.error !== undefined) record.error = fields.error;
      if (fields.code !== undefined) record.code = fields.code;
      if (fields.pod !== undefined) record.pod = fields.pod;
      records.push(record);
      if (events && emitRequests) events.emit({ type: 'request', ...record }, record.end);
      inFlight--;
      finishIfDrained();
    };
    let status: number | undefined;
    let pod: string | undefined;
    pool
      .request({
        path,
        method: method as 'GET',
        headers: options.headers,
        signal: abort.signal,
        idempotent: false,
        reset: fresh,
      })
      .then(async (res) => {
        settled = true; // headers arrived in time; the body is bounded by undici's bodyTimeout
        status = res.statusCode;
        const header = res.headers[podHeader];
        pod = Array.isArray(header) ? header[0] : header;
        // Read the whole body: a reset mid-response is a failure even after a 200 status line.
        for await (const _chunk of res.body) void _chunk;
        const failure = classifyStatus(res.statusCode);
        finish({ status, pod, ...failure });
      })
      .catch((err: unknown) => {
        const failure = timedOut ? { error: 'timeout' as const, code: 'TIMEOUT' } : classifyError(err);
        finish({ status, pod, ...failure });
      });
  };

  const fireDue = (now: number): void => {
    const due = dueCount(now - origin, rate, planned);
    while (seq < due) {
      fire(origin + intendedOffsetMs(seq, rate));
      seq++;
    }
  };

  const pump = (): void => {
    scheduleTimer = undefined;
    if (stopped) return;
    const now = performance.now();
    while (now >= nextTickAt) {
      emitTick(nextTickAt);
      nextTickAt += 1000;
    }
    fireDue(now);
    if (seq >= planned) {
      endSchedule(false);
      return;
    }
    const nextDue = origin + intendedOffsetMs(seq, rate);
    scheduleTimer = setTimeout(pump, Math.max(0, Math.min(nextDue, nextTickAt) - performance.now()));
  };

  const endSchedule = (early: boolean): void => {
    if (stopped) return;
    const now = performance.now();
    // Requests already due when the caller stops are still sent (late ones count as lag), so a
    // stop between two timer ticks never leaves planned requests unsent.
    if (early) fireDue(now);
    stopped = true;
    if (scheduleTimer) clearTimeout(scheduleTimer);
    if (early) {
      stoppedEarly = seq < planned;
      plannedAtStop = seq;
      endP = Math.min(endP, now);
    }
    if (sentThisTick > 0 || ticks.length === 0) emitTick(Math.max(now, endP));
    finishIfDrained();
  };

  let result: Promise<LoadResult> | undefined;
  const finalResult = (): Promise<LoadResult> =>
    (result ??= allDone.then(async () => {
      await pool.close().catch(() => pool.destroy());
      const lagSummary = lagAll.summary();
      const health = assessGeneratorHealth({ lagP99Ms: lagSummary.p99, lagMaxMs: lagMax, planned: plannedAtStop, sent: seq }, thresholds);
      records.sort((a, b) => a.intended - b.intended);
      return {
        records,
        ticks,
        health,
        latency: latency.summary(),
        rate,
        startMs: clock(origin),
        endMs: clock(endP),
        stoppedEarly,
      };
    }));

  // The first request is due at offset 0.
  pump();
  const done = finalResult();

  return {
    done,
    stop: () => {
      endSchedule(true);
      return finalResult();
    },
    inFlight: () => inFlight,
    sent: () => seq,
  };
}
