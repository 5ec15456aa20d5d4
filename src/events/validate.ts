import { terminalSafe } from '../terminalText.js';
import type {
  ContainerEvent,
  EndpointEvent,
  ErrorClass,
  NoteEvent,
  PodPhase,
  RolloutEvent,
  RunEndEvent,
  RunStartEvent,
  ZerodropEvent,
  ZerodropEventType,
} from './schema.js';

/**
 * The event schema as data, checked once where events come in from a file: every renderer can
 * then trust each field's type, so a hand-edited or truncated events file is an input error
 * naming its line, never a crash deep inside the report. Fields the schema does not know are
 * allowed (producers may add fields); known ones must have their documented type.
 */

/** Undefined when the value fits, else what was expected (to complete "… must be"). */
type Check = (value: unknown) => string | undefined;

interface Field<Optional extends boolean> {
  check: Check;
  optional: Optional;
}

/** One entry per field of the event's interface, optional exactly where the interface says so. */
type Fields<T> = { [K in keyof T]-?: object extends Pick<T, K> ? Field<true> : Field<false> };
type Body<E> = Omit<E, 't' | 'run' | 'type'>;
type EventSchemas = { [T in ZerodropEventType]: Fields<Body<Extract<ZerodropEvent, { type: T }>>> };

const req = (check: Check): Field<false> => ({ check, optional: false });
const opt = (check: Check): Field<true> => ({ check, optional: true });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a number');
const str: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const anyObject: Check = (v) => (isObject(v) ? undefined : 'an object');
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null ? undefined : check(v) && `${check(v)} or null`;
/** Every member of a union, written as a record so that a member added to the type is a compile error here. */
const oneOf = <T extends string>(members: Record<T, true>): Check => {
  const allowed = Object.keys(members);
  return (v) => (typeof v === 'string' && allowed.includes(v) ? undefined : `one of ${allowed.join(', ')}`);
};
const list =
  (check: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'a list';
    const bad = v.findIndex((x) => check(x) !== undefined);
    return bad === -1 ? undefined : `a list whose items are ${check(v[bad])} (item ${bad + 1} is not)`;
  };
const shape =
  <T>(fields: Fields<T>): Check =>
  (v) => {
    if (!isObject(v)) return 'an object';
    const problem = firstProblem(fields as Record<string, Field<boolean>>, v);
    return problem && `an object whose ${problem}`;
  };
const recordOf =
  (key: Check, value: Check): Check =>
  (v) => {
    if (!isObject(v)) return 'an object';
    for (const [k, x] of Object.entries(v)) {
      if (key(k) !== undefined) return `an object whose keys are ${key(k)} (${quote(k)} is not)`;
      if (value(x) !== undefined) return `an object whose values are ${value(x)} (${quote(k)} is not)`;
    }
    return undefined;
  };

const ERROR_CLASS = oneOf<ErrorClass>({ refused: true, reset: true, 'socket-closed': true, timeout: true, 'http-5xx': true, other: true });
const POD_PHASE = oneOf<PodPhase>({
  created: true,
  started: true,
  ready: true,
  'not-ready': true,
  available: true,
  terminating: true,
  exited: true,
  deleted: true,
});

const SCHEMAS: EventSchemas = {
  'run-start': {
    schema: req(num),
    startedAt: req(str),
    description: opt(str),
    command: req(str),
    source: req(oneOf<RunStartEvent['source']>({ lab: true, cluster: true })),
    config: req(anyObject),
    audit: opt(
      list(
        shape<NonNullable<RunStartEvent['audit']>[number]>({
          rule: req(str),
          severity: req(str),
          message: req(str),
          container: opt(str),
        }),
      ),
    ),
  },
  'run-end': {
    verdict: req(oneOf<RunEndEvent['verdict']>({ pass: true, fail: true, inconclusive: true })),
    reasons: req(list(str)),
    requests: req(num),
    failures: req(num),
    failuresByClass: req(recordOf(ERROR_CLASS, num)),
    rollout: req(shape<RunEndEvent['rollout']>({ completed: req(bool), durationMs: req(num) })),
  },
  pod: { pod: req(str), phase: req(POD_PHASE), revision: opt(str), detail: opt(str) },
  container: {
    pod: req(str),
    container: req(str),
    action: req(
      oneOf<ContainerEvent['action']>({
        start: true,
        listening: true,
        'prestop-start': true,
        'prestop-end': true,
        signal: true,
        kill: true,
        exit: true,
        restart: true,
        'probe-fail': true,
        'probe-ok': true,
      }),
    ),
    signal: opt(str),
    exitCode: opt(nullable(num)),
    probe: opt(oneOf<NonNullable<ContainerEvent['probe']>>({ readiness: true, liveness: true, startup: true })),
    detail: opt(str),
    stderr: opt(list(str)),
  },
  endpoint: {
    pod: req(str),
    consumer: req(str),
    change: req(oneOf<EndpointEvent['change']>({ added: true, removed: true })),
    conditions: opt(shape<NonNullable<EndpointEvent['conditions']>>({ ready: opt(bool), serving: opt(bool), terminating: opt(bool) })),
  },
  rollout: {
    action: req(
      oneOf<RolloutEvent['action']>({
        start: true,
        scale: true,
        'delete-pod': true,
        'create-pod': true,
        progress: true,
        complete: true,
        'deadline-exceeded': true,
      }),
    ),
    revision: opt(str),
    replicas: opt(num),
    detail: opt(str),
  },
  request: { intended: req(num), start: req(num), end: req(num), status: opt(num), error: opt(ERROR_CLASS), code: opt(str), pod: opt(str) },
  load: { sent: req(num), lagMs: req(num), inFlight: req(num) },
  note: { level: req(oneOf<NoteEvent['level']>({ info: true, warn: true })), message: req(str) },
};

/** A value as a message may quote it: JSON, short, and terminal-safe. */
function quote(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return terminalSafe(json.length > 60 ? `${json.slice(0, 59)}…` : json);
}

function firstProblem(fields: Record<string, Field<boolean>>, value: Record<string, unknown>): string | undefined {
  for (const [name, field] of Object.entries(fields)) {
    const v = value[name];
    if (v === undefined) {
      if (field.optional) continue;
      return `${name} is missing`;
    }
    const expected = field.check(v);
    if (expected !== undefined) return `${name} must be ${expected}, got ${quote(v)}`;
  }
  return undefined;
}

/**
 * What is wrong with one parsed line, in words for a `file:line: …` message, or undefined when it
 * is an event the report can render.
 */
export function eventProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `expected an event object, got ${quote(value)}`;
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type))
    return `event lacks a known type (${Object.keys(SCHEMAS).join(', ')}), got ${quote(type ?? null)}`;
  if (num(value.t) !== undefined) return `${type} event: t (milliseconds since the run started) must be a number, got ${quote(value.t ?? null)}`;
  if (str(value.run) !== undefined) return `${type} event: run (the run's name) must be a string, got ${quote(value.run ?? null)}`;
  const problem = firstProblem(SCHEMAS[type as ZerodropEventType] as Record<string, Field<boolean>>, value);
  return problem && `${type} event: ${problem}`;
}
