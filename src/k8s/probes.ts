/**
 * Probe defaults and timing windows (docs/reference/probes.md#fields-and-defaults, docs/reference/probes.md#during-termination).
 */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

export interface ProbeHandler {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port: number; service?: string };
}

export interface Probe extends ProbeHandler {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface ResolvedProbe {
  handler: ProbeHandler;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  terminationGracePeriodSeconds?: number;
}

/** k8s.io/api core/v1 Probe defaults (docs/reference/probes.md#fields-and-defaults). */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

export function resolveProbe(probe: Probe): ResolvedProbe {
  const { initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold, terminationGracePeriodSeconds, ...handler } = probe;
  const resolved: ResolvedProbe = {
    handler,
    initialDelaySeconds: initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    successThreshold: successThreshold ?? PROBE_DEFAULTS.successThreshold,
    failureThreshold: failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
  };
  if (terminationGracePeriodSeconds !== undefined) resolved.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
  return resolved;
}

/** The handler kind a probe uses, or undefined when it declares none. */
export function probeHandlerKind(handler: ProbeHandler): 'httpGet' | 'tcpSocket' | 'exec' | 'grpc' | undefined {
  if (handler.httpGet) return 'httpGet';
  if (handler.tcpSocket) return 'tcpSocket';
  if (handler.exec) return 'exec';
  if (handler.grpc) return 'grpc';
  return undefined;
}

/**
 * Seconds of continuous failure before the probe acts: failureThreshold consecutive failures,
 * one per period, each of which may take up to timeoutSeconds. Worst case for readiness to turn a
 * broken pod unready, or for liveness to restart a stuck container.
 */
export function failureDetectionSeconds(p: ResolvedProbe): number {
  return p.failureThreshold * p.periodSeconds + p.timeoutSeconds;
}

/** Fastest time after container start at which the probe can first succeed (docs/reference/probes.md#fields-and-defaults: immediate first readiness probe). */
export function earliestSuccessSeconds(p: ResolvedProbe): number {
  return p.initialDelaySeconds + (p.successThreshold - 1) * p.periodSeconds;
}

/**
 * The longest a container may take to start before probes kill it or the pod never turns ready:
 * with a startupProbe, initialDelay + failureThreshold × period of that probe; otherwise the
 * liveness probe's initialDelay + failureThreshold × period (the startup budget the
 * progress deadline must exceed, docs/reference/workload-updates.md#deployment-controller).
 */
export function startupBudgetSeconds(startup: ResolvedProbe | undefined, liveness: ResolvedProbe | undefined, readiness: ResolvedProbe | undefined): number {
  if (startup) return startup.initialDelaySeconds + startup.failureThreshold * startup.periodSeconds;
  if (liveness) return liveness.initialDelaySeconds + liveness.failureThreshold * liveness.periodSeconds;
  if (readiness) return earliestSuccessSeconds(readiness);
  return 0;
}

/** Same handler (deep-equal JSON) and same timing: a liveness probe that mirrors readiness (Rule of Uptime 3). */
export function sameHandler(a: ProbeHandler, b: ProbeHandler): boolean {
  return sameValue(a, b);
}

/** Deep equality of JSON-like values, whatever the key order: what `stableJson(a) === stableJson(b)` says, without building either string. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.hasOwn(b, k) || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sameTiming(a: ResolvedProbe, b: ResolvedProbe): boolean {
  return (
    a.initialDelaySeconds === b.initialDelaySeconds &&
    a.periodSeconds === b.periodSeconds &&
    a.timeoutSeconds === b.timeoutSeconds &&
    a.failureThreshold === b.failureThreshold
  );
}

/** JSON with object keys sorted: equal for equal values, whatever the key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** HTTP probe success: status ≥ 200 and < 400 (docs/reference/probes.md#fields-and-defaults). */
export function httpProbeSucceeded(status: number): boolean {
  return status >= 200 && status < 400;
}
