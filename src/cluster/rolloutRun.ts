import { EventStream } from '../events/stream.js';
import type { ErrorClass } from '../events/schema.js';
import { decideVerdict, startLoad, type LatencySummary, type GeneratorHealth } from '../load/index.js';
import { generationOf } from '../k8s/rolloutStatus.js';
import { preflight, type PreflightOptions, type RolloutPlan } from './preflight.js';
import { RolloutObserver, type ReplacementEvidence } from './rolloutObserver.js';
import type { DrainState } from './terminationWait.js';
import { applyTrigger, type PatchTiming } from './rolloutPatch.js';
import type { ListWatchStats } from './listWatch.js';

export interface ClusterRolloutOptions extends PreflightOptions {
  rate: number;
  dryRun: boolean;
  /** Load kept after the rollout completed (or failed), to catch late drops. */
  settleMs: number;
  /** Load before the change, a control window the verdict also covers. */
  warmupMs: number;
  /** Longest wait for the rollout to finish after the change. */
  timeoutMs: number;
  connection?: 'keep-alive' | 'fresh';
  /** Generator health threshold (load README): p99 scheduling lag allowed before the run is inconclusive. */
  maxLagP99Ms?: number;
  /** The exact command, recorded in run-start. */
  command: string;
  events: EventStream;
  /** Progress lines for the terminal before the run starts (the plan). */
  log?: (line: string) => void;
  /** Called right before the first event of the run, e.g. to start the live terminal view. */
  beforeRun?: () => void;
  /** Aborts the run (Ctrl-C): load and watches stop; the cluster is left as it is. */
  signal?: AbortSignal;
  watchTimeoutSeconds?: number;
  /** For tests: the PATCH's answer deadline and how long to look for the change after it passed. */
  patchTiming?: PatchTiming;
}

/**
 * The result, in the lab's run shape (`LabRunResult`: name, verdict, reasons, counts, rollout,
 * wallMs, latency) plus what only a cluster run has (target, plan, evidence, watch statistics).
 */
export interface ClusterRolloutResult {
  name: string;
  dryRun: boolean;
  /** What was (or, with --dry-run, would be) done, one line each. */
  plan: string[];
  target: { context: string; server: string; namespace: string; deployment: string; services: string[]; action: string };
  verdict?: 'pass' | 'fail' | 'inconclusive';
  reasons?: string[];
  requests?: number;
  failures?: number;
  failuresByClass?: Partial<Record<ErrorClass, number>>;
  failureRateUpperBound95?: number;
  rollout?: {
    completed: boolean;
    deadlineExceeded: boolean;
    state: 'complete' | 'deadline-exceeded' | 'timeout' | 'interrupted' | 'watch-lost';
    durationMs: number;
    triggeredAtMs: number | null;
    finishedAtMs: number | null;
    evidence: ReplacementEvidence;
  };
  /** Whole run, from the first event to the verdict. */
  wallMs?: number;
  /** Latency from intended send to end, ms. */
  latency?: { p50: number; p99: number; max: number };
  load?: { url: string; rate: number; startMs: number; endMs: number; latency: LatencySummary; health: GeneratorHealth };
  watches?: Record<string, ListWatchStats>;
  interrupted?: boolean;
}

function describeAction(o: ClusterRolloutOptions): string {
  return o.action.kind === 'image' ? `image ${o.action.container}=${o.action.image}` : o.action.kind;
}

/** What the run will do, for --dry-run and the log. */
export function planLines(plan: RolloutPlan, o: ClusterRolloutOptions): string[] {
  const name = plan.deployment.metadata?.name ?? o.deployment;
  const lines = [
    `context ${plan.client.context} (${plan.client.server}), namespace ${plan.namespace}`,
    `deployment/${name}: pods selected by ${plan.podSelector}; Services ${plan.services.length > 0 ? plan.services.join(', ') : '(none)'}`,
    `--url ${o.url} answered ${plan.url.status} in ${plan.url.ms} ms`,
    `load: ${o.rate} rps (${o.connection ?? 'keep-alive'}), ${o.warmupMs / 1000} s before the change, ${o.settleMs / 1000} s after the rollout ends`,
    plan.trigger
      ? `change: ${plan.trigger.describe}; strategic-merge patch ${JSON.stringify(plan.trigger.patch)}${plan.patchAllowed === true ? ' (allowed)' : ''}`
      : 'change: none (--watch-only: waits for a rollout someone else starts)',
    `watch: deployment, pods, ${plan.services.length > 0 ? 'endpointslices' : 'no endpointslices'} until the rollout completes or its progress deadline passes (at most ${o.timeoutMs / 1000} s)`,
    ...plan.notes.map((n) => `note: ${n}`),
  ];
  return lines;
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function abortable(ms: number, signal: AbortSignal | undefined): Promise<'timeout' | 'aborted'> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve('aborted');
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('timeout');
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve('aborted');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `zerodrop rollout`: preflight (reads only), then load → one change → watch until done → wait
 * for the pods still terminating → settle → verdict. The only write is the single PATCH of the Deployment; nothing is restored
 * or rolled back, whatever happens (the cluster owns the rollout once it started).
 */
export async function runClusterRollout(o: ClusterRolloutOptions): Promise<ClusterRolloutResult> {
  const log = o.log ?? (() => {});
  const plan = await preflight(o);
  const lines = planLines(plan, o);
  const target = {
    context: plan.client.context,
    server: plan.client.server,
    namespace: plan.namespace,
    deployment: o.deployment,
    services: plan.services,
    action: describeAction(o),
  };
  const observerFor = (events: EventStream) =>
    new RolloutObserver({
      client: plan.client,
      namespace: plan.namespace,
      deployment: o.deployment,
      podSelector: plan.podSelector,
      services: plan.services,
      events,
      ...(o.watchTimeoutSeconds === undefined ? {} : { watchTimeoutSeconds: o.watchTimeoutSeconds }),
    });
  if (o.dryRun) {
    // Open and close the watches too, so a dry run finds every missing permission; their
    // initial state goes to a throwaway stream, not the run's.
    const probe = observerFor(new EventStream('dry-run'));
    try {
      await probe.start();
      await probe.stop();
    } finally {
      await plan.client.close();
    }
    const watched = `deployment, pods${plan.services.length > 0 ? ', endpointslices' : ''}`;
    return { name: 'rollout', dryRun: true, plan: [...lines, `watches on ${watched} opened and closed: permissions are in place`], target };
  }
  for (const line of lines) log(line);

  const events = o.events;
  const observer = observerFor(events);
  try {
    await observer.start();
  } catch (err) {
    await plan.client.close();
    throw err;
  }

  o.beforeRun?.();
  const say = (message: string) => events.emit({ type: 'note', level: 'info', message });
  events.emit({
    type: 'run-start',
    schema: 1,
    startedAt: new Date().toISOString(),
    description: `${describeAction(o)} of deployment/${o.deployment} in ${plan.namespace} on context ${plan.client.context}`,
    command: o.command,
    source: 'cluster',
    // Only defined values: the event must read the same in memory as after an NDJSON round trip.
    config: definedOnly({
      context: plan.client.context,
      namespace: plan.namespace,
      deployment: o.deployment,
      services: plan.services,
      action: describeAction(o),
      url: o.url,
      rate: o.rate,
      connection: o.connection ?? 'keep-alive',
      replicas: (plan.deployment.spec as { replicas?: number } | undefined)?.replicas ?? 1,
      strategy: plan.deployment.spec?.strategy,
      progressDeadlineSeconds: plan.deployment.spec?.progressDeadlineSeconds,
      minReadySeconds: plan.deployment.spec?.minReadySeconds,
      settleMs: o.settleMs,
      warmupMs: o.warmupMs,
      maxLagP99Ms: o.maxLagP99Ms,
    }),
  });
  for (const note of plan.notes) events.emit({ type: 'note', level: 'warn', message: note });
  observer.begin();

  const load = startLoad({
    url: o.url,
    rate: o.rate,
    durationMs: o.warmupMs + o.timeoutMs + o.settleMs + 1000,
    events,
    ...(o.connection ? { connection: o.connection } : {}),
    ...(o.maxLagP99Ms === undefined ? {} : { health: { maxLagP99Ms: o.maxLagP99Ms } }),
  });

  let triggeredAt: number | null = null;
  let state: NonNullable<ClusterRolloutResult['rollout']>['state'] = 'timeout';
  let finishedAt: number | null = null;
  let interrupted = false;
  let undrained: DrainState | undefined;
  try {
    if ((await abortable(o.warmupMs, o.signal)) === 'aborted') interrupted = true;
    if (!interrupted && plan.trigger) {
      const patched = await applyTrigger(plan.client, plan.namespace, o.deployment, plan.trigger, events, o.patchTiming);
      triggeredAt = events.now();
      events.emit({ type: 'rollout', action: 'start', detail: plan.trigger.describe });
      if (generationOf(patched) <= generationOf(plan.deployment)) {
        events.emit({ type: 'note', level: 'warn', message: 'the patch did not change the Deployment spec (generation unchanged): nothing will roll out' });
      }
      observer.expectGeneration(generationOf(patched));
    } else if (!interrupted) {
      observer.armWatchOnly();
    }
    const deadline = performance.now() + o.timeoutMs;
    if (!interrupted) {
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        const tick = abortable(Math.min(500, left), o.signal);
        const winner = await Promise.race([observer.outcome.then((x) => ({ outcome: x })), tick.then((x) => ({ tick: x }))]);
        if ('outcome' in winner) {
          state = winner.outcome.state;
          finishedAt = winner.outcome.at;
          say(winner.outcome.status.message);
          break;
        }
        if (winner.tick === 'aborted') {
          interrupted = true;
          break;
        }
        if (observer.watchFailure()) {
          state = 'watch-lost';
          break;
        }
      }
      if (state === 'timeout' && !interrupted)
        events.emit({ type: 'note', level: 'warn', message: `the rollout did not finish within ${o.timeoutMs / 1000} s` });
    }
    if (state === 'complete' && !interrupted && finishedAt !== null) {
      const waited = await waitForTerminatingPods(observer, finishedAt, events.at(deadline), o.signal, events);
      interrupted = waited.interrupted;
      if (waited.left && !interrupted) undrained = waited.left;
    }
    if (!interrupted && (await abortable(o.settleMs, o.signal)) === 'aborted') interrupted = true;
  } catch (err) {
    // The change itself failed (e.g. 422 from an admission webhook): close the run so the
    // events file stays renderable, then report the error.
    const partial = await load.stop();
    await observer.stop();
    await plan.client.close();
    const v = decideVerdict({ requests: partial.records, rollout: { completed: false }, generator: partial.health, load: partial });
    const why = `the run stopped: ${err instanceof Error ? err.message : String(err)}`;
    events.emit({
      type: 'run-end',
      verdict: v.failures > 0 ? 'fail' : 'inconclusive',
      reasons: [...v.reasons, why],
      requests: v.requests,
      failures: v.failures,
      failuresByClass: v.failuresByClass,
      rollout: { completed: false, durationMs: 0 },
    });
    throw err;
  }
  if (interrupted) state = 'interrupted';
  // --watch-only: the rollout began when the observer first saw it.
  triggeredAt ??= observer.startedAt ?? null;
  const loaded = await load.stop();
  await observer.stop();
  await plan.client.close();
  for (const [name, w] of Object.entries(observer.stats())) {
    if (w.failures > 0)
      events.emit({
        type: 'note',
        level: 'warn',
        message: `the ${name} watch failed ${w.failures} times and was re-opened (${(w.downMs / 1000).toFixed(1)} s without it)`,
      });
  }
  for (const down of observer.watchesDown()) events.emit({ type: 'note', level: 'warn', message: down });

  const completed = state === 'complete';
  const verdict = decideVerdict({ requests: loaded.records, rollout: { completed }, generator: loaded.health, load: loaded });
  const reasons = [...verdict.reasons];
  const evidence = observer.evidence();
  const extra: string[] = [];
  if (completed && (evidence.oldPodsTerminated === 0 || evidence.newPodsReady === 0)) {
    extra.push(`no pod was replaced while we watched (${evidence.oldPodsTerminated} old pods terminated, ${evidence.newPodsReady} new pods became ready)`);
  }
  if (undrained) extra.push(undrainedReason(undrained));
  if (state === 'deadline-exceeded') extra.push('the Deployment exceeded its progress deadline (Progressing=False, ProgressDeadlineExceeded)');
  const lost = observer.watchFailure();
  if (lost) extra.push(lost);
  if (interrupted) extra.push('interrupted before the run finished');
  reasons.push(...extra.filter((r) => !reasons.includes(r)));
  const kind = verdict.verdict === 'fail' ? 'fail' : reasons.length > 0 ? 'inconclusive' : 'pass';
  const durationMs = triggeredAt !== null && finishedAt !== null ? Math.round(finishedAt - triggeredAt) : 0;

  events.emit({
    type: 'run-end',
    verdict: kind,
    reasons,
    requests: verdict.requests,
    failures: verdict.failures,
    failuresByClass: verdict.failuresByClass,
    rollout: { completed, durationMs },
  });

  return {
    name: 'rollout',
    dryRun: false,
    plan: lines,
    target,
    verdict: kind,
    reasons,
    requests: verdict.requests,
    failures: verdict.failures,
    failuresByClass: verdict.failuresByClass,
    ...(verdict.failureRateUpperBound95 === undefined ? {} : { failureRateUpperBound95: verdict.failureRateUpperBound95 }),
    rollout: { completed, deadlineExceeded: state === 'deadline-exceeded', state, durationMs, triggeredAtMs: triggeredAt, finishedAtMs: finishedAt, evidence },
    wallMs: Math.round(events.now()),
    latency: { p50: loaded.latency.p50, p99: loaded.latency.p99, max: loaded.latency.max },
    load: { url: o.url, rate: loaded.rate, startMs: loaded.startMs, endMs: loaded.endMs, latency: loaded.latency, health: loaded.health },
    watches: observer.stats(),
    ...(interrupted ? { interrupted: true } : {}),
  };
}

function terminatingNow(state: DrainState): string {
  if (state.pods.length > 0) return `${state.pods.length === 1 ? 'pod' : 'pods'} ${state.pods.join(', ')} ${state.pods.length === 1 ? 'is' : 'are'}`;
  return `${state.terminatingReplicas} replicas (status.terminatingReplicas) are`;
}

function undrainedReason(state: DrainState): string {
  return `${terminatingNow(state)} still terminating when the run had to stop: their exit, where late drops happen, was not observed`;
}

/**
 * The Deployment counts a pod as gone the moment it is terminating; its drain and exit come up to
 * a grace period later. Keeps the run (and the load) going until every pod seen terminating is
 * gone, or past its grace period plus a margin, or the run's deadline (terminationWait.ts).
 */
async function waitForTerminatingPods(
  observer: RolloutObserver,
  completedAt: number,
  runDeadline: number,
  signal: AbortSignal | undefined,
  events: EventStream,
): Promise<{ interrupted: boolean; left?: DrainState }> {
  let state = observer.drain(completedAt);
  if (state.done) return { interrupted: false };
  const began = events.now();
  const limit = () => Math.min(state.deadline, runDeadline);
  events.emit({
    type: 'note',
    level: 'info',
    message: `the rollout is complete, but ${terminatingNow(state)} still terminating: the load stays on until they are gone (at most ${Math.max(0, Math.round((limit() - began) / 1000))} s), then settles`,
  });
  for (;;) {
    state = observer.drain(completedAt);
    if (state.done) {
      events.emit({
        type: 'note',
        level: 'info',
        message: `every terminating pod is gone ${((events.now() - began) / 1000).toFixed(1)} s after the rollout completed`,
      });
      return { interrupted: false };
    }
    if (events.now() >= limit() || observer.watchFailure()) return { interrupted: false, left: state };
    if ((await abortable(200, signal)) === 'aborted') return { interrupted: true, left: state };
  }
}
