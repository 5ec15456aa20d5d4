/**
 * zerodrop/graceful: in-app shutdown that drops zero requests during a Kubernetes rolling update.
 *
 *   import { graceful } from 'zerodrop/graceful';
 *   const lifecycle = graceful(server, { drain: 'adaptive', drainDelayMs: 5_000, timeoutMs: 25_000 });
 *   lifecycle.ready();
 *
 * See docs/graceful.md. No runtime dependencies.
 */
import { Lifecycle, type GracefulServer } from './lifecycle.js';
import type { GracefulOptions } from './options.js';

/**
 * Attaches the shutdown sequence, the probes and the signal handlers to an HTTP server. Call it
 * before `listen()` so every connection is tracked. Throws a `ZerodropError` (code
 * `graceful-invalid-option`, `graceful-already-attached` or `graceful-not-http-server`; the
 * former GRACEFUL_… spellings stay in `legacyCode` and match `hasErrorCode`) on bad input.
 */
export function graceful(server: GracefulServer, options?: GracefulOptions): Lifecycle {
  return new Lifecycle(server, options);
}

export { Lifecycle } from './lifecycle.js';
export type { Phase, PhaseEvent, ShutdownResult, CleanupContext, CleanupHook, GracefulServer } from './lifecycle.js';
export type { DrainMode, GracefulOptions, ProbeOptions, UpgradedSocketContext } from './options.js';
export { ENV, DEFAULT_IDLE_GRACE_MS, DEFAULT_QUIET_PERIOD_MS, MAX_TIMER_MS } from './options.js';
export { DEFAULT_DRAIN_DELAY_MS, DEFAULT_TIMEOUT_MS, hardDeadlineMs, stopWindowMs } from './budget.js';
export type { GracefulLogger } from './logger.js';
export type { ReadinessCheck, CheckResult } from './probes.js';
export { keepAliveTimeoutWarning } from './keep-alive-check.js';
export { ZerodropError, hasErrorCode, LEGACY_ERROR_CODES } from '../errors.js';
