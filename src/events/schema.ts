/**
 * The one event stream every long-running thing (lab, rollout, load) emits. The terminal view,
 * the JSON result and the HTML report are all renderings of it, so anything a report shows must
 * be derivable from these records alone.
 *
 * Wire format: NDJSON, one `ZerodropEvent` per line. `t` is milliseconds since the run started
 * (monotonic clock), `run` names the run (e.g. `baseline`), so several runs share one file.
 * Fields are JSON-serialisable data only. Add fields freely; never change the meaning of one.
 */

export const EVENTS_SCHEMA_VERSION = 1;

/** Normalised failure classes a client can see; shared by the load generator, the verdict and the report. */
export type ErrorClass =
  | 'refused' // ECONNREFUSED: nothing listening (pod gone or not yet listening)
  | 'reset' // ECONNRESET / EPIPE: the peer aborted the connection
  | 'socket-closed' // the peer closed a keep-alive socket before or during the response (UND_ERR_SOCKET)
  | 'timeout' // no response within the client's timeout
  | 'http-5xx' // a 5xx status (502 from the proxy, 503 from an app, ...)
  | 'other';

export type PodPhase =
  | 'created' // the controller created the pod object
  | 'started' // container process started
  | 'ready' // readiness passed (successThreshold reached)
  | 'not-ready' // readiness failed (failureThreshold reached) while running
  | 'available' // ready for minReadySeconds
  | 'terminating' // deletion requested (deletionTimestamp set)
  | 'exited' // all containers exited
  | 'deleted'; // pod object gone

interface Base {
  /** Milliseconds since the run started. */
  t: number;
  /** Run name, e.g. `baseline`, `probes-prestop`, or `rollout` for the cluster path. */
  run: string;
}

/** First record of a run: what ran, so a report can show it and reproduce it. */
export interface RunStartEvent extends Base {
  type: 'run-start';
  schema: number;
  /** Wall-clock ISO time of t=0. */
  startedAt: string;
  description?: string;
  /** The exact command that reproduces this run. */
  command: string;
  /** Where the run happened: the embedded lab or a real cluster. */
  source: 'lab' | 'cluster';
  /** Free-form configuration summary (replicas, strategy, probes, preStop, propagation, rate, ...). */
  config: Record<string, unknown>;
  /** Audit findings for this configuration, in the audit JSON shape (subset). */
  audit?: Array<{ rule: string; severity: string; message: string; container?: string }>;
}

export interface RunEndEvent extends Base {
  type: 'run-end';
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** Why a run is not a pass, one sentence each. */
  reasons: string[];
  requests: number;
  failures: number;
  failuresByClass: Partial<Record<ErrorClass, number>>;
  rollout: { completed: boolean; durationMs: number };
}

/** A pod (or one of its containers) changed state. */
export interface PodEvent extends Base {
  type: 'pod';
  pod: string;
  phase: PodPhase;
  /** Template revision / ReplicaSet the pod belongs to (old vs new). */
  revision?: string;
  detail?: string;
}

/** Something happened to one container of a pod. */
export interface ContainerEvent extends Base {
  type: 'container';
  pod: string;
  container: string;
  action:
    | 'start'
    | 'listening' // first successful connection to its port (lab only)
    | 'prestop-start'
    | 'prestop-end'
    | 'signal' // stop signal delivered
    | 'kill' // SIGKILL at the grace deadline
    | 'exit'
    | 'restart' // liveness failure or crash
    | 'probe-fail'
    | 'probe-ok';
  signal?: string;
  exitCode?: number | null;
  probe?: 'readiness' | 'liveness' | 'startup';
  detail?: string;
  /** On an `exit` the container made on its own (a crash): the last lines it wrote to stderr. */
  stderr?: string[];
}

/** A traffic consumer (proxy, kube-proxy-like, ingress) changed its view of one endpoint. */
export interface EndpointEvent extends Base {
  type: 'endpoint';
  pod: string;
  /** Which consumer saw the change (`proxy`, `l4`, `nginx`, or `endpointslice` for the control plane). */
  consumer: string;
  change: 'added' | 'removed';
  /** EndpointSlice conditions at the time, when known. */
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
}

/** The rollout controller did something (scale a ReplicaSet, condition change, completion). */
export interface RolloutEvent extends Base {
  type: 'rollout';
  action: 'start' | 'scale' | 'delete-pod' | 'create-pod' | 'progress' | 'complete' | 'deadline-exceeded';
  revision?: string;
  replicas?: number;
  detail?: string;
}

/** One request of the load generator. Every request is recorded, successes included. */
export interface RequestEvent extends Base {
  type: 'request';
  /** Intended send time (open model): latency is measured from here, so queueing is not hidden. */
  intended: number;
  start: number;
  end: number;
  status?: number;
  error?: ErrorClass;
  /** Raw error code for debugging (ECONNRESET, UND_ERR_SOCKET, ...). */
  code?: string;
  /** Pod that served it (from the proxy's response header), when known. */
  pod?: string;
}

/** Once a second: the generator's own health, so a report can show whether load was really applied. */
export interface LoadTickEvent extends Base {
  type: 'load';
  /** Requests sent in the last second. */
  sent: number;
  /** Scheduling lag p99 in ms over the last second (how late requests left compared to intended). */
  lagMs: number;
  inFlight: number;
}

/** A free-form note (e.g. "scaled timings down 10x"). */
export interface NoteEvent extends Base {
  type: 'note';
  level: 'info' | 'warn';
  message: string;
}

export type ZerodropEvent = RunStartEvent | RunEndEvent | PodEvent | ContainerEvent | EndpointEvent | RolloutEvent | RequestEvent | LoadTickEvent | NoteEvent;

export type ZerodropEventType = ZerodropEvent['type'];

/** Distributes Omit over the union so callers can build events without `t` and `run`. */
export type EventBody = ZerodropEvent extends infer E ? (E extends ZerodropEvent ? Omit<E, 't' | 'run'> : never) : never;
