import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { httpProbeSucceeded, probeHandlerKind, type ProbeHandler, type ProbeKind, type ResolvedProbe } from '../../k8s/probes.js';
import type { LifecycleHandler } from '../../k8s/objects.js';
import { killGroup, labProcesses } from './processRegistry.js';
import { sleep } from './timers.js';

/** Where a probe or hook reaches the container: its pod's address and port mapping. */
export interface ContainerEndpoint {
  host: string;
  /** Maps a probe's `port` (number or named port) to the host port the lab gave it. */
  resolvePort(port: number | string): number | undefined;
  env: Record<string, string>;
  cwd?: string;
}

export interface ProbeOutcome {
  ok: boolean;
  detail: string;
}

/** Kubernetes' probe User-Agent (docs/reference/probes.md#fields-and-defaults: `kube-probe/<ver>`). */
const PROBE_USER_AGENT = 'kube-probe/1.35';

/**
 * One probe attempt with the kubelet's semantics (docs/reference/probes.md#fields-and-defaults): HTTP succeeds on 200–399, TCP when the
 * port accepts, exec on exit 0; a timeout is a failure. gRPC probes are not emulated.
 */
export function probeOnce(handler: ProbeHandler, target: ContainerEndpoint, timeoutMs: number): Promise<ProbeOutcome> {
  switch (probeHandlerKind(handler)) {
    case 'httpGet':
      return httpGetOnce(handler.httpGet!, target, timeoutMs);
    case 'tcpSocket':
      return tcpOnce(handler.tcpSocket!, target, timeoutMs);
    case 'exec':
      return execOnce(handler.exec!.command ?? [], target, timeoutMs);
    default:
      return Promise.resolve({ ok: false, detail: 'probe kind not supported by the lab (gRPC)' });
  }
}

export function httpGetOnce(spec: NonNullable<ProbeHandler['httpGet']>, target: ContainerEndpoint, timeoutMs: number): Promise<ProbeOutcome> {
  const port = target.resolvePort(spec.port);
  if (port === undefined) return Promise.resolve({ ok: false, detail: `port ${spec.port} is not a port of this pod` });
  const headers: Record<string, string> = { 'user-agent': PROBE_USER_AGENT, accept: '*/*', connection: 'close' };
  for (const h of spec.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = http.get({ host: target.host, port, path: spec.path ?? '/', headers, agent: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done({ ok: httpProbeSucceeded(status), detail: `HTTP ${status}` });
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, detail: `timeout after ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, detail: err.code ?? err.message }));
  });
}

export function tcpOnce(spec: NonNullable<ProbeHandler['tcpSocket']>, target: ContainerEndpoint, timeoutMs: number): Promise<ProbeOutcome> {
  const port = target.resolvePort(spec.port);
  if (port === undefined) return Promise.resolve({ ok: false, detail: `port ${spec.port} is not a port of this pod` });
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, detail: `timeout after ${timeoutMs} ms` });
    }, timeoutMs);
    socket.on('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: true, detail: 'connected' });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: err.code ?? err.message });
    });
  });
}

/**
 * exec runs "inside the container": here, on the host with the container's environment and
 * working directory, in its own process group that is killed on timeout.
 */
export function execOnce(command: string[], target: ContainerEndpoint, timeoutMs: number | undefined): Promise<ProbeOutcome> {
  if (command.length === 0) return Promise.resolve({ ok: false, detail: 'empty exec command' });
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { env: target.env, cwd: target.cwd, detached: true, stdio: 'ignore' });
    const pgid = child.pid;
    if (pgid) labProcesses.add(pgid);
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: ProbeOutcome): void => {
      if (timer) clearTimeout(timer);
      if (pgid) {
        killGroup(pgid, 'SIGKILL');
        labProcesses.remove(pgid);
      }
      resolve(o);
    };
    if (timeoutMs !== undefined) timer = setTimeout(() => finish({ ok: false, detail: `timeout after ${timeoutMs} ms` }), timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, detail: `${command[0]}: ${err.code ?? err.message}` }));
    child.on('exit', (code, signal) => finish({ ok: code === 0, detail: signal ? `killed by ${signal}` : `exit ${code}` }));
  });
}

/**
 * Runs a lifecycle hook to completion (docs/reference/pod-termination.md#hook-facts): `exec` in the container's
 * environment, `httpGet` from the kubelet, `sleep` as a timer in the kubelet. The kubelet does
 * not cancel a hook when it stops waiting for it, so neither does this (the caller races it
 * against the grace period); `signal` only ends a hook when the whole pod is torn down.
 */
export async function runHook(handler: LifecycleHandler, target: ContainerEndpoint, abort?: AbortSignal): Promise<ProbeOutcome> {
  if (handler.sleep) {
    // The kubelet's sleep action never ends early; on the lab's clock neither does this one.
    await sleep(Math.max(0, (handler.sleep.seconds ?? 0) * 1000), abort);
    return { ok: true, detail: `slept ${handler.sleep.seconds ?? 0} s` };
  }
  if (handler.exec) return execOnce(handler.exec.command ?? [], target, undefined);
  // httpGet hooks have no timeout of their own; the kubelet stops waiting at the grace period.
  if (handler.httpGet) return httpGetOnce(handler.httpGet, target, 24 * 3600 * 1000);
  return {
    ok: false,
    detail:
      'tcpSocket is not supported as a lifecycle handler (https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations)',
  };
}

export interface ProberCallbacks {
  /** Readiness: the container's ready state changed (successThreshold / failureThreshold reached). */
  onReady?(ready: boolean, detail: string): void;
  /** Liveness or startup: failureThreshold consecutive failures; the container must restart. */
  onFailure?(detail: string): void;
  /** Startup: first success; liveness and readiness may begin. */
  onStarted?(): void;
  /** Each attempt, for the event stream (only state changes are worth emitting). */
  onResult?(outcome: ProbeOutcome): void;
}

/**
 * A probe worker (pkg/kubelet/prober/worker.go, docs/reference/probes.md#fields-and-defaults): skipped until initialDelaySeconds after
 * the container (or its startup probe) started, then one attempt per periodSeconds, each bounded
 * by timeoutSeconds; state flips after successThreshold successes or failureThreshold failures.
 * Readiness starts as failure and is probed at once when the delay allows (the kubelet's manual
 * trigger), so a fast app turns ready right after start.
 */
export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private state: 'unknown' | 'success' | 'failure' = 'unknown';

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: ResolvedProbe,
    private readonly target: ContainerEndpoint,
    private readonly callbacks: ProberCallbacks,
  ) {}

  start(): void {
    this.schedule(this.probe.initialDelaySeconds * 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const began = performance.now();
    const outcome = await probeOnce(this.probe.handler, this.target, this.probe.timeoutSeconds * 1000);
    if (this.stopped) return;
    this.callbacks.onResult?.(outcome);
    this.record(outcome);
    if (this.stopped) return;
    const elapsed = performance.now() - began;
    this.schedule(Math.max(0, this.probe.periodSeconds * 1000 - elapsed));
  }

  private record(outcome: ProbeOutcome): void {
    if (outcome.ok) {
      this.successes++;
      this.failures = 0;
    } else {
      this.failures++;
      this.successes = 0;
    }
    if (this.kind === 'readiness') {
      if (outcome.ok && this.successes >= this.probe.successThreshold && this.state !== 'success') {
        this.state = 'success';
        this.callbacks.onReady?.(true, outcome.detail);
      } else if (!outcome.ok && this.failures >= this.probe.failureThreshold && this.state !== 'failure') {
        this.state = 'failure';
        this.callbacks.onReady?.(false, outcome.detail);
      }
      return;
    }
    if (this.kind === 'startup' && outcome.ok) {
      // The startup probe's job ends at its first success (successThreshold must be 1, docs/reference/probes.md#fields-and-defaults).
      this.stop();
      this.callbacks.onStarted?.();
      return;
    }
    if (!outcome.ok && this.failures >= this.probe.failureThreshold) {
      this.stop();
      this.callbacks.onFailure?.(`${this.failures} consecutive failures: ${outcome.detail}`);
    }
  }
}
