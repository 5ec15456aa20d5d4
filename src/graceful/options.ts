/**
 * Options for `graceful()`, and their resolution into checked values. Every mistake a user can
 * make here is reported at attach time, naming the option, never later at shutdown when nobody
 * is watching the logs.
 */
import type { Duplex } from 'node:stream';
import { ZerodropError } from '../errors.js';
import { DEFAULT_DRAIN_DELAY_MS, DEFAULT_GRACE_PERIOD_SECONDS, hardDeadlineMs } from './budget.js';
import type { GracefulLogger } from './logger.js';

/** Environment variables a Kubernetes manifest can set instead of code changes. */
export const ENV = {
  drain: 'ZERODROP_DRAIN',
  drainDelayMs: 'ZERODROP_DRAIN_DELAY_MS',
  quietPeriodMs: 'ZERODROP_QUIET_PERIOD_MS',
  maxDrainDelayMs: 'ZERODROP_MAX_DRAIN_DELAY_MS',
  timeoutMs: 'ZERODROP_TIMEOUT_MS',
  gracePeriodSeconds: 'ZERODROP_GRACE_PERIOD_SECONDS',
  preStopSeconds: 'ZERODROP_PRESTOP_SECONDS',
} as const;

/**
 * How long a keep-alive socket must stay idle after draining starts before we close it. It covers
 * a request that a client wrote just before the drain and that is still on the wire; a request on
 * a busy socket is never raced because busy sockets close after a `Connection: close` response.
 */
export const DEFAULT_IDLE_GRACE_MS = 100;

/**
 * Adaptive drain: how long no new request (and no new connection that could still carry one) must
 * arrive before the listener closes. It must exceed the longest gap between requests while the pod
 * is still in rotation, or a quiet moment is taken for the end of traffic.
 */
export const DEFAULT_QUIET_PERIOD_MS = 1_000;

/** Node's timers hold 32-bit signed milliseconds; a longer delay fires after 1 ms (with a warning). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * `fixed`: serve normally for `drainDelayMs`, then stop accepting. `adaptive`: from the signal on,
 * every response says `Connection: close` (HTTP/2: GOAWAY), and the listener closes once traffic
 * has stopped arriving for `quietPeriodMs`, no earlier than `drainDelayMs`.
 */
export type DrainMode = 'fixed' | 'adaptive';

export interface UpgradedSocketContext {
  /** Epoch milliseconds at which remaining sockets are destroyed. */
  deadlineAt: number;
  /** Milliseconds left until then. */
  remainingMs: number;
}

export interface ProbeOptions {
  /** Readiness path (GET/HEAD). Default `/readyz`. */
  readinessPath?: string;
  /** Liveness path (GET/HEAD). Default `/livez`. */
  livenessPath?: string;
  /** Serve the probes on their own port instead of the app's server (0 picks a free port). */
  port?: number;
  /** Host for the probe port. Default `0.0.0.0` so the kubelet can reach it. */
  host?: string;
  /** Time a readiness check may take before it counts as failed. Default 1000 ms. */
  checkTimeoutMs?: number;
}

export interface GracefulOptions {
  /**
   * How the end of endpoint propagation is decided: `fixed` waits `drainDelayMs`; `adaptive` waits
   * until traffic stops (at least `drainDelayMs`, at most `maxDrainDelayMs`). Default
   * `ZERODROP_DRAIN`, else `fixed`. See docs/graceful.md for when to prefer which.
   */
  drain?: DrainMode;
  /**
   * Keep serving this long after the stop signal (adaptive: at least this long). Default
   * `ZERODROP_DRAIN_DELAY_MS` or 5000.
   */
  drainDelayMs?: number;
  /** Adaptive only: stop accepting after this long without new traffic. Default `ZERODROP_QUIET_PERIOD_MS` or 1000. */
  quietPeriodMs?: number;
  /**
   * Adaptive only: stop accepting at this point after the signal even if traffic never stops, so
   * in-flight requests still finish before the deadline. Default `ZERODROP_MAX_DRAIN_DELAY_MS`,
   * else halfway between `drainDelayMs` and `timeoutMs`.
   */
  maxDrainDelayMs?: number;
  /**
   * Hard deadline after the stop signal; remaining sockets are destroyed and the process exits
   * non-zero. Default `ZERODROP_TIMEOUT_MS`, else derived from `ZERODROP_GRACE_PERIOD_SECONDS`
   * (default 30) and `ZERODROP_PRESTOP_SECONDS` (default 0): 27 000 ms for the defaults.
   */
  timeoutMs?: number;
  /** Idle time after which a keep-alive socket is closed once draining starts. Default 100 ms. */
  idleGraceMs?: number;
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`; `[]` installs none. */
  signals?: NodeJS.Signals[];
  /** Start ready (skip `lifecycle.ready()`). Default false. */
  ready?: boolean;
  /** Probe endpoints, or `false` to serve none. */
  probes?: ProbeOptions | false;
  /**
   * Called once per upgraded socket (WebSocket, CONNECT) when draining starts, so the app can send
   * its own close frame. Without it the socket is ended at once. Either way it is destroyed at
   * the deadline.
   */
  onUpgradedSocket?: (socket: Duplex, context: UpgradedSocketContext) => void;
  /** Where the one line per phase goes. Default stderr; `false` for silence. */
  logger?: GracefulLogger | false;
  /** Call `process.exit` at the end. Default true; false only resolves `shutdown()`. */
  exit?: boolean;
  /** Exit code when the deadline forced the stop or a cleanup hook failed. Default 1. */
  forcedExitCode?: number;
  /** Environment to read defaults from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedProbes {
  readinessPath: string;
  livenessPath: string;
  port: number | undefined;
  host: string;
  checkTimeoutMs: number;
}

export interface ResolvedOptions {
  drain: DrainMode;
  drainDelayMs: number;
  quietPeriodMs: number;
  maxDrainDelayMs: number;
  timeoutMs: number;
  /** Where the deadline came from, for messages. */
  timeoutSource: string;
  idleGraceMs: number;
  signals: NodeJS.Signals[];
  ready: boolean;
  probes: ResolvedProbes | false;
  onUpgradedSocket: GracefulOptions['onUpgradedSocket'];
  exit: boolean;
  forcedExitCode: number;
  /** Values that were accepted but changed (a duration above MAX_TIMER_MS); logged at attach. */
  warnings: string[];
}

function invalid(option: string, message: string): ZerodropError {
  return new ZerodropError('graceful-invalid-option', `zerodrop/graceful: ${option} ${message}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function milliseconds(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(option, `must be a non-negative number of milliseconds, got ${describe(value)}`);
  }
  return value;
}

/** Clamps a duration to what a Node timer can hold, noting the change for the attach-time log. */
function timerSafe(option: string, value: number, warnings: string[]): number {
  if (value <= MAX_TIMER_MS) return value;
  warnings.push(`${option} ${value} ms is above the longest timer Node supports (${MAX_TIMER_MS} ms); using ${MAX_TIMER_MS} ms`);
  return MAX_TIMER_MS;
}

function fromEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw invalid(`environment variable ${name}`, `must be a non-negative number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function resolveTimeout(options: GracefulOptions, env: Record<string, string | undefined>): { timeoutMs: number; source: string } {
  if (options.timeoutMs !== undefined) return { timeoutMs: milliseconds('timeoutMs', options.timeoutMs, 0), source: 'timeoutMs' };
  const explicit = fromEnv(env, ENV.timeoutMs);
  if (explicit !== undefined) return { timeoutMs: explicit, source: ENV.timeoutMs };
  const gracePeriodSeconds = fromEnv(env, ENV.gracePeriodSeconds);
  const preStopSeconds = fromEnv(env, ENV.preStopSeconds) ?? 0;
  const timeoutMs = hardDeadlineMs({ gracePeriodSeconds: gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS, preStopSeconds });
  const source =
    gracePeriodSeconds === undefined
      ? `the default ${DEFAULT_GRACE_PERIOD_SECONDS} s grace period`
      : `${ENV.gracePeriodSeconds}=${gracePeriodSeconds}${preStopSeconds ? ` and ${ENV.preStopSeconds}=${preStopSeconds}` : ''}`;
  return { timeoutMs, source };
}

function resolveProbes(probes: GracefulOptions['probes']): ResolvedProbes | false {
  if (probes === false) return false;
  if (probes !== undefined && (typeof probes !== 'object' || probes === null)) {
    throw invalid('probes', `must be an object or false, got ${describe(probes)}`);
  }
  const p = probes ?? {};
  for (const key of ['readinessPath', 'livenessPath'] as const) {
    const path = p[key];
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/') || path.includes('?'))) {
      throw invalid(`probes.${key}`, `must be a path starting with "/" and without a query, got ${describe(path)}`);
    }
  }
  const resolved: ResolvedProbes = {
    readinessPath: p.readinessPath ?? '/readyz',
    livenessPath: p.livenessPath ?? '/livez',
    port: undefined,
    host: p.host ?? '0.0.0.0',
    checkTimeoutMs: milliseconds('probes.checkTimeoutMs', p.checkTimeoutMs, 1_000),
  };
  if (resolved.readinessPath === resolved.livenessPath) {
    throw invalid('probes.livenessPath', `must differ from probes.readinessPath (both are ${JSON.stringify(resolved.readinessPath)})`);
  }
  if (p.port !== undefined) {
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 0 || p.port > 65_535) {
      throw invalid('probes.port', `must be an integer port between 0 and 65535, got ${describe(p.port)}`);
    }
    resolved.port = p.port;
  }
  if (typeof resolved.host !== 'string' || resolved.host === '') throw invalid('probes.host', `must be a host name or address, got ${describe(p.host)}`);
  return resolved;
}

function resolveSignals(signals: unknown): NodeJS.Signals[] {
  if (signals === undefined) return ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s))) {
    throw invalid('signals', `must be an array of signal names such as ["SIGTERM", "SIGQUIT"], got ${JSON.stringify(signals)}`);
  }
  if (signals.includes('SIGKILL') || signals.includes('SIGSTOP')) throw invalid('signals', 'cannot include SIGKILL or SIGSTOP: they cannot be caught');
  return [...new Set(signals as NodeJS.Signals[])];
}

function resolveDrainMode(option: unknown, env: Record<string, string | undefined>): DrainMode {
  const fromEnvironment = env[ENV.drain]?.trim();
  const value = option ?? (fromEnvironment === '' ? undefined : fromEnvironment) ?? 'fixed';
  if (value !== 'fixed' && value !== 'adaptive') {
    const name = option === undefined ? `environment variable ${ENV.drain}` : 'drain';
    throw invalid(name, `must be "fixed" or "adaptive", got ${describe(value)}`);
  }
  return value;
}

/** An option given in code wins over its environment variable, which wins over the default. */
function duration(
  options: GracefulOptions,
  key: 'drainDelayMs' | 'quietPeriodMs' | 'maxDrainDelayMs',
  env: Record<string, string | undefined>,
): number | undefined {
  return options[key] !== undefined ? milliseconds(key, options[key], 0) : fromEnv(env, ENV[key]);
}

function resolveLogger(logger: unknown): void {
  if (logger === undefined || logger === false) return;
  if (typeof logger !== 'object' || logger === null) {
    throw invalid('logger', `must be an object with info, warn and error methods (console, pino, winston …) or false, got ${describe(logger)}`);
  }
}

/** Checks every option and fills in defaults; throws a `ZerodropError` naming the bad option. */
export function resolveOptions(options: GracefulOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', `must be an object, got ${describe(options)}`);
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const drain = resolveDrainMode(options.drain, env);
  const drainDelayMs = timerSafe('drainDelayMs', duration(options, 'drainDelayMs', env) ?? DEFAULT_DRAIN_DELAY_MS, warnings);
  const resolved = resolveTimeout(options, env);
  const source = resolved.source;
  const timeoutMs = timerSafe(source === 'timeoutMs' ? 'timeoutMs' : `timeoutMs (from ${source})`, resolved.timeoutMs, warnings);
  if (timeoutMs <= drainDelayMs) {
    throw invalid(
      'timeoutMs',
      `(${timeoutMs} ms, from ${source}) must be longer than drainDelayMs (${drainDelayMs} ms): the deadline would fire before draining starts. ` +
        'Raise terminationGracePeriodSeconds or lower drainDelayMs.',
    );
  }
  const quietPeriodMs = timerSafe('quietPeriodMs', duration(options, 'quietPeriodMs', env) ?? DEFAULT_QUIET_PERIOD_MS, warnings);
  const maxDrainDelayMs = timerSafe('maxDrainDelayMs', duration(options, 'maxDrainDelayMs', env) ?? Math.round((drainDelayMs + timeoutMs) / 2), warnings);
  if (maxDrainDelayMs < drainDelayMs || maxDrainDelayMs >= timeoutMs) {
    throw invalid(
      'maxDrainDelayMs',
      `(${maxDrainDelayMs} ms) must lie between drainDelayMs (${drainDelayMs} ms) and timeoutMs (${timeoutMs} ms, from ${source}), ` +
        'so that in-flight requests can still finish after the listener closes.',
    );
  }
  const idleGraceMs = timerSafe('idleGraceMs', milliseconds('idleGraceMs', options.idleGraceMs, DEFAULT_IDLE_GRACE_MS), warnings);
  if (options.onUpgradedSocket !== undefined && typeof options.onUpgradedSocket !== 'function') {
    throw invalid('onUpgradedSocket', `must be a function, got ${describe(options.onUpgradedSocket)}`);
  }
  resolveLogger(options.logger);
  const forcedExitCode = options.forcedExitCode ?? 1;
  if (!Number.isInteger(forcedExitCode) || forcedExitCode < 1 || forcedExitCode > 255) {
    throw invalid('forcedExitCode', `must be an integer from 1 to 255, got ${describe(options.forcedExitCode)}`);
  }
  for (const key of ['ready', 'exit'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') throw invalid(key, `must be true or false, got ${describe(options[key])}`);
  }
  return {
    drain,
    drainDelayMs,
    quietPeriodMs,
    maxDrainDelayMs,
    timeoutMs,
    timeoutSource: source,
    idleGraceMs,
    signals: resolveSignals(options.signals),
    ready: options.ready ?? false,
    probes: resolveProbes(options.probes),
    onUpgradedSocket: options.onUpgradedSocket,
    exit: options.exit ?? true,
    forcedExitCode,
    warnings,
  };
}
