import { EventStream } from '../../events/stream.js';
import type { EventListener } from '../../events/stream.js';
import type { ErrorClass, RunStartEvent } from '../../events/schema.js';
import { decideVerdict, startLoad, type Verdict } from '../../load/index.js';
import { startTraffic, type LabTraffic } from '../paths/traffic.js';
import type { TrafficProfile } from '../paths/profile.js';
import { DeploymentController } from '../controllers/deployment.js';
import { EndpointsController } from '../endpoints/controller.js';
import { formatDelayRange, sampleDelay, seededRandom, type DelayRange } from '../endpoints/delay.js';
import type { EndpointSourcePod } from '../../k8s/endpointSlice.js';
import { usesPidNamespace } from '../pods/containment.js';
import { LabPod } from '../pods/pod.js';
import type { LabWorkload } from '../config/workload.js';
import type { Source } from '../../audit/sources.js';

export interface LabTiming {
  /** Load before the rollout starts: a control window that must be clean. */
  warmupMs: number;
  /** Load after the last old pod is gone. */
  settleMs: number;
  /** Give up waiting for the initial pods to become available. */
  startTimeoutMs: number;
  /** Give up waiting for the rollout (and the old pods' termination). */
  rolloutTimeoutMs: number;
}

export interface LabRunConfig {
  name: string;
  description?: string;
  workload: LabWorkload;
  /** The manifest files or directories the workload came from. */
  manifests: string[];
  /** The texts read from them (kustomize directories rendered), which the audit reads too. */
  sources: Source[];
  rate: number;
  /** Propagation delay of the proxy (docs/reference/traffic-routing.md#propagation-latency). */
  propagation: DelayRange;
  /** API delete → kubelet starts termination (docs/reference/pod-termination.md#pleg-wait). */
  kubeletDelay: DelayRange;
  proxy: { mode: 'l7' | 'l4' | 'nginx'; retries: number; upstreamKeepAliveMs?: number };
  /**
   * The traffic path replayed in front of the pods (src/lab/paths): a cloud load balancer with IP
   * targets, a node-local load balancer. Without one, `proxy` is the only consumer.
   */
  trafficPath?: TrafficProfile;
  connection: 'keep-alive' | 'fresh';
  /** Request path the load hits. */
  path: string;
  /** Per-request timeout of the load generator. */
  requestTimeoutMs: number;
  timing: LabTiming;
  seed: number;
  /** The exact command that reproduces this run (for the report). */
  command: string;
  /** Audit findings for this configuration, printed beside the lab's verdict. */
  audit?: RunStartEvent['audit'];
  /** Extra configuration shown in run-start. */
  notes?: string[];
}

export interface LabRunResult {
  name: string;
  verdict: Verdict['verdict'];
  reasons: string[];
  requests: number;
  failures: number;
  failuresByClass: Partial<Record<ErrorClass, number>>;
  failureRateUpperBound95?: number;
  rollout: { completed: boolean; durationMs: number; deadlineExceeded: boolean };
  /** Whole run, start to teardown. */
  wallMs: number;
  latency: { p50: number; p99: number; max: number };
  /** The audit's verdict for this configuration, when it ran. */
  audit?: { errors: number; warnings: number; predictsDrops: boolean; rules: string[] };
}

export interface RunHooks {
  /** Subscribed to the run's event stream before anything starts (NDJSON sink, live view). */
  listeners?: EventListener[];
  /** Aborts the run (Ctrl-C): teardown runs, the result is inconclusive. */
  signal?: AbortSignal;
  /** Called with the run's stream before its first event (live view); returns its cleanup. */
  attach?: (events: EventStream) => () => void;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * One lab run: pods as processes behind the proxy, steady open-model load, one rolling update,
 * and a verdict over every request. Teardown always runs and kills every process.
 */
export async function runLab(config: LabRunConfig, hooks: RunHooks = {}): Promise<LabRunResult> {
  const events = new EventStream(config.name);
  const unsubscribe = (hooks.listeners ?? []).map((l) => events.subscribe(l));
  if (hooks.attach) unsubscribe.push(hooks.attach(events));
  const started = performance.now();
  const random = seededRandom(config.seed);
  const { workload } = config;
  const abort = hooks.signal;

  events.emit({
    type: 'run-start',
    schema: 1,
    startedAt: new Date().toISOString(),
    ...(config.description ? { description: config.description } : {}),
    command: config.command,
    source: 'lab',
    config: {
      deployment: workload.deployment.name,
      replicas: workload.deployment.replicas,
      strategy: workload.deployment.strategy,
      maxSurge: workload.deployment.fenceposts.maxSurge,
      maxUnavailable: workload.deployment.fenceposts.maxUnavailable,
      minReadySeconds: workload.deployment.minReadySeconds,
      terminationGracePeriodSeconds: workload.initial.graceSeconds,
      rate: config.rate,
      propagation: formatDelayRange(config.propagation),
      kubeletDelay: formatDelayRange(config.kubeletDelay),
      proxy: config.proxy.mode,
      proxyRetries: config.proxy.retries,
      ...(config.trafficPath ? { trafficPath: config.trafficPath.kind, trafficPathRemovalSeconds: config.trafficPath.removalSeconds } : {}),
      connection: config.connection,
      seed: config.seed,
      // docs/reference/signals.md#pid-1: whether an app without a SIGTERM handler ignores it (PID 1) or dies of it.
      appIsPid1: usesPidNamespace(workload.initial),
      ...(config.notes ? { notes: config.notes } : {}),
    },
    ...(config.audit ? { audit: config.audit } : {}),
  });

  let traffic: LabTraffic | undefined;
  let endpoints: EndpointsController | undefined;
  let deployment: DeploymentController | undefined;
  const allPods = new Set<LabPod>();
  try {
    traffic = await startTraffic({
      events,
      proxy: config.proxy,
      propagation: config.propagation,
      ...(config.trafficPath ? { profile: config.trafficPath } : {}),
    });
    const theTraffic = traffic;
    endpoints = new EndpointsController(events, theTraffic.consumers, random);
    const theEndpoints = endpoints;
    const publish = (): void => {
      if (!deployment) return;
      theEndpoints.update([...allPods].map(podView));
    };
    deployment = new DeploymentController(
      workload.deployment,
      events,
      {
        createPod: ({ name, plan }) => {
          theTraffic.podCreated?.(name);
          const pod = new LabPod({
            name,
            plan,
            events,
            onChange: () => {
              deployment?.notify();
              publish();
              if (pod.status.gone && allPods.delete(pod)) theTraffic.podGone?.(pod.name);
            },
            kubeletDelayMs: () => sampleDelay(config.kubeletDelay, random),
          });
          allPods.add(pod);
          pod.start().catch((err: unknown) => events.emit({ type: 'note', level: 'warn', message: `pod ${name} failed to start: ${(err as Error).message}` }));
          return pod;
        },
        onChange: publish,
      },
      random,
    );
    const theDeployment = deployment;

    // 1. The initial ReplicaSet: every pod available and known to the proxy.
    theDeployment.start(workload.initial);
    const startDeadline = performance.now() + config.timing.startTimeoutMs;
    while (!abort?.aborted && performance.now() < startDeadline) {
      // Ready is not enough for apps without a readiness probe: the control window must be clean.
      const ready = theDeployment.pods().filter((p) => p.status.ready && p.listening && !p.status.deleting).length;
      if (ready >= workload.deployment.replicas) {
        theTraffic.settle?.();
        if (theTraffic.converged(readyNames(theDeployment.pods()))) break;
      }
      // Every pod in a crash loop: waiting longer shows nothing new.
      const pods = theDeployment.pods();
      if (pods.length >= workload.deployment.replicas && pods.every((p) => p.status.restarts >= 3)) break;
      await sleep(50, abort);
    }
    const readyPods = theDeployment.pods().filter((p) => p.status.ready && p.listening && !p.status.deleting).length;
    if (readyPods < workload.deployment.replicas || abort?.aborted) {
      const stuck = theDeployment
        .pods()
        .filter((p) => !(p.status.ready && p.listening))
        .flatMap((p) => p.diagnostics());
      const reason = abort?.aborted
        ? 'interrupted before the rollout started'
        : `only ${readyPods} of ${workload.deployment.replicas} pods became ready, so no rollout was tried (${stuck.slice(0, 2).join('; ')})`;
      return finish(events, config, started, { inconclusive: reason, deployment: theDeployment });
    }

    // 2. Load, a clean control window, the rollout, the old pods' termination, a settle window.
    const maxDuration = config.timing.warmupMs + config.timing.rolloutTimeoutMs + config.timing.settleMs + 5000;
    // From here on every endpoint change propagates with the consumer's delay (docs/reference/traffic-routing.md#propagation-latency).
    theEndpoints.converged = false;
    const load = startLoad({
      url: `${theTraffic.url.replace(/\/$/, '')}${config.path}`,
      rate: config.rate,
      durationMs: maxDuration,
      events,
      connection: config.connection,
      timeoutMs: config.requestTimeoutMs,
    });
    await sleep(config.timing.warmupMs, abort);
    if (!abort?.aborted) theDeployment.rollout(workload.next);
    const rolloutDeadline = performance.now() + config.timing.rolloutTimeoutMs;
    while (!abort?.aborted && performance.now() < rolloutDeadline) {
      if (theDeployment.completed && theDeployment.oldPodsRemaining() === 0 && theTraffic.converged(readyNames(theDeployment.pods()))) break;
      await sleep(50, abort);
    }
    await sleep(config.timing.settleMs, abort);
    const loadResult = await load.stop();
    const verdict = decideVerdict({
      requests: loadResult.records,
      rollout: { completed: theDeployment.completed && !abort?.aborted },
      generator: loadResult.health,
      load: loadResult,
    });
    const result: LabRunResult = {
      name: config.name,
      verdict: verdict.verdict,
      reasons: [...verdict.reasons],
      requests: verdict.requests,
      failures: verdict.failures,
      failuresByClass: verdict.failuresByClass,
      ...(verdict.failureRateUpperBound95 !== undefined ? { failureRateUpperBound95: verdict.failureRateUpperBound95 } : {}),
      rollout: {
        completed: theDeployment.completed,
        durationMs: Math.round(theDeployment.rolloutDurationMs ?? 0),
        deadlineExceeded: theDeployment.deadlineExceeded,
      },
      wallMs: Math.round(performance.now() - started),
      latency: { p50: loadResult.latency.p50, p99: loadResult.latency.p99, max: loadResult.latency.max },
    };
    if (abort?.aborted && result.verdict === 'pass') {
      result.verdict = 'inconclusive';
      result.reasons.push('interrupted');
    }
    if (theDeployment.deadlineExceeded)
      result.reasons.push(`the Deployment reported ProgressDeadlineExceeded (progressDeadlineSeconds ${workload.deployment.progressDeadlineSeconds})`);
    emitEnd(events, result);
    return result;
  } finally {
    // Teardown is not part of the run: nobody should see its events.
    for (const u of unsubscribe) u();
    deployment?.stop();
    endpoints?.close();
    for (const pod of allPods) pod.forceKill();
    await traffic?.close().catch(() => undefined);
  }
}

/** The pods every consumer should send to once converged: the settle window measures the new steady state. */
function readyNames(pods: readonly LabPod[]): Set<string> {
  return new Set(pods.filter((p) => p.status.ready && !p.status.deleting).map((p) => p.name));
}

function podView(p: LabPod): EndpointSourcePod {
  return {
    name: p.name,
    host: p.host,
    port: p.inboundPort,
    ready: p.status.ready,
    deleting: p.status.deleting,
    terminal: p.status.phase === 'terminated',
    hasAddress: p.inboundPort > 0,
  };
}

function finish(events: EventStream, config: LabRunConfig, started: number, why: { inconclusive: string; deployment: DeploymentController }): LabRunResult {
  const result: LabRunResult = {
    name: config.name,
    verdict: 'inconclusive',
    reasons: [why.inconclusive],
    requests: 0,
    failures: 0,
    failuresByClass: {},
    rollout: { completed: false, durationMs: 0, deadlineExceeded: why.deployment.deadlineExceeded },
    wallMs: Math.round(performance.now() - started),
    latency: { p50: 0, p99: 0, max: 0 },
  };
  emitEnd(events, result);
  return result;
}

function emitEnd(events: EventStream, r: LabRunResult): void {
  events.emit({
    type: 'run-end',
    verdict: r.verdict,
    reasons: r.reasons,
    requests: r.requests,
    failures: r.failures,
    failuresByClass: r.failuresByClass,
    rollout: { completed: r.rollout.completed, durationMs: r.rollout.durationMs },
  });
}
