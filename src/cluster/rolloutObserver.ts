import type { EventStream } from '../events/stream.js';
import type { EventBody } from '../events/schema.js';
import type { KubeObject } from '../k8s/objects.js';
import { SERVICE_NAME_LABEL } from '../k8s/endpointSlice.js';
import { stableJson } from '../k8s/probes.js';
import { deploymentRolloutStatus, generationOf, type DeploymentLike, type RolloutStatus } from '../k8s/rolloutStatus.js';
import type { KubeApiClient } from './apiClient.js';
import { deploymentTransitions } from './deploymentTransitions.js';
import { endpointsOfService, endpointTransitions, type ServiceEndpoints } from './endpointTransitions.js';
import { ListWatch, type ListWatchStats, type ObjectChange } from './listWatch.js';
import { podFacts, podRevision, podTransitions } from './podTransitions.js';
import { RESOURCES, resourcePath } from './resources.js';
import { drainState, type DrainState, type TerminatingPod } from './terminationWait.js';

export interface ObserverTarget {
  client: KubeApiClient;
  namespace: string;
  deployment: string;
  podSelector: string;
  services: string[];
  events: EventStream;
  /** Server-side watch timeout (tests shorten it to exercise re-watching). */
  watchTimeoutSeconds?: number;
}

export type RolloutOutcome = { state: 'complete' | 'deadline-exceeded'; at: number; status: RolloutStatus };

/** Evidence that a rollout really replaced pods inside the measured window (docs/reference/load-verification.md#zero-means-zero). */
export interface ReplacementEvidence {
  oldPodsTerminated: number;
  /** Old pods whose exit (or deletion) we saw. */
  oldPodsGone: number;
  newPodsReady: number;
}

/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

/** The pod template, in a form that changes only when the template does (a scale changes spec.replicas, not this). */
function templateKey(deployment: KubeObject | undefined): string {
  return stableJson((deployment?.spec as { template?: unknown } | undefined)?.template ?? null);
}

/**
 * Watches the Deployment, its pods and its Services' EndpointSlices, and turns every observed
 * change into the event stream the lab also writes (pod lanes, endpoint marks, rollout marks).
 * Times are when the watch event arrived here: API timestamps have one-second precision
 * (docs/reference/load-verification.md#api-timestamps), too coarse to line up with requests.
 *
 * A label-selector watch also sends DELETED when a pod stops matching (someone relabelled it) and
 * ADDED when one starts matching (apiserver cache_watcher.go); neither is a deletion or a creation,
 * so a DELETED of a pod that was running and not terminating is checked against the server first,
 * and an ADDED pod that is already past Pending is a pod joining, not a new one. Pods that are
 * Pending or already terminal are deleted without a graceful phase, so their DELETED is real.
 */
export class RolloutObserver {
  private readonly deploymentWatch: ListWatch;
  private readonly podWatch: ListWatch;
  private readonly sliceWatch: ListWatch | undefined;
  private readonly consumers: Map<string, string>;
  private endpointViews = new Map<string, ServiceEndpoints>();
  private initialRevisions = new Set<string>();
  private readonly terminatedOld = new Set<string>();
  private readonly goneOld = new Set<string>();
  private readonly readyNew = new Set<string>();
  private readonly terminating = new Map<string, TerminatingPod>();
  private readonly checks = new Set<Promise<void>>();
  private sinceGeneration: number | undefined;
  private initialTemplate = '';
  private watchOnlyArmed = false;
  private outcomeResolve: ((o: RolloutOutcome) => void) | undefined;
  readonly outcome: Promise<RolloutOutcome>;
  /** Latest Deployment object seen. */
  latest: KubeObject | undefined;
  /** --watch-only: when the rollout someone else started was first seen (run time axis). */
  startedAt: number | undefined;

  constructor(private readonly target: ObserverTarget) {
    const { client, namespace } = target;
    const timeoutSeconds = target.watchTimeoutSeconds ?? 300;
    this.outcome = new Promise((resolve) => (this.outcomeResolve = resolve));
    this.deploymentWatch = new ListWatch(
      client,
      { resource: RESOURCES.deployments, namespace, fieldSelector: `metadata.name=${target.deployment}`, timeoutSeconds },
      (c) => this.onDeployment(c),
    );
    this.podWatch = new ListWatch(client, { resource: RESOURCES.pods, namespace, labelSelector: target.podSelector, timeoutSeconds }, (c) => this.onPod(c));
    this.consumers = new Map(target.services.map((s) => [s, target.services.length === 1 ? 'endpointslice' : `endpointslice/${s}`]));
    this.sliceWatch =
      target.services.length === 0
        ? undefined
        : new ListWatch(
            client,
            { resource: RESOURCES.endpointslices, namespace, labelSelector: `${SERVICE_NAME_LABEL} in (${target.services.join(',')})`, timeoutSeconds },
            () => this.onSlices(),
          );
  }

  /**
   * Until `begin()`, events wait here: the watches open before the run's first event
   * (run-start), and nothing they see may come before it in the stream.
   */
  private pending: EventBody[] | undefined = [];

  private emit(body: EventBody): void {
    if (this.pending) this.pending.push(body);
    else this.target.events.emit(body);
  }

  /** Starts emitting: the pods' state when watching began, then whatever changed since. */
  begin(): void {
    const queued = this.pending ?? [];
    this.pending = undefined;
    for (const body of queued) this.target.events.emit(body);
  }

  /** Lists and opens every watch; rejects (403, unreachable, ...) before anything changes. */
  async start(): Promise<void> {
    const started: ListWatch[] = [];
    try {
      for (const w of [this.deploymentWatch, this.podWatch, this.sliceWatch]) {
        if (!w) continue;
        const listed = await w.start();
        started.push(w);
        // Old pods are the ones listed before anything changed; record them before any pod event is classified.
        if (w === this.podWatch)
          for (const pod of listed) {
            const rev = podRevision(pod);
            if (rev !== undefined) this.initialRevisions.add(rev);
          }
      }
    } catch (err) {
      await Promise.all(started.map((w) => w.stop()));
      throw err;
    }
    this.latest = this.deploymentWatch.objects()[0];
    this.initialTemplate = templateKey(this.latest);
    const pods = this.podWatch.objects();
    for (const pod of pods) if (podFacts(pod).terminating && !podFacts(pod).exited) this.trackTerminating(pod);
    const initial = pods.flatMap((pod) => podTransitions(undefined, pod, { initial: true }));
    this.pending = [...initial, ...(this.pending ?? [])];
    if (this.sliceWatch) for (const s of this.target.services) this.endpointViews.set(s, endpointsOfService(this.sliceWatch.objects(), s));
  }

  /** The rollout we triggered: completion counts from this generation on (the PATCH answer's). */
  expectGeneration(generation: number): void {
    this.sinceGeneration = generation;
    this.checkOutcome();
  }

  /**
   * --watch-only: someone else triggers the rollout. One already under way (old-revision pods
   * still counted in the status) counts; otherwise the next change of the pod template does. A
   * scale (an HPA, kubectl scale) moves the generation too, but replaces no pod: it does not count.
   */
  armWatchOnly(): void {
    const latest = this.latest as DeploymentLike | undefined;
    const status = latest ? deploymentRolloutStatus(latest) : undefined;
    const oldPodsCounted = (latest?.status?.replicas ?? 0) > (latest?.status?.updatedReplicas ?? 0);
    if (status && !status.done && status.state !== 'deadline-exceeded' && oldPodsCounted) {
      this.sinceGeneration = latest ? generationOf(latest) : 0;
      this.startedAt = this.target.events.now();
      this.emit({ type: 'rollout', action: 'start', detail: `a rollout was already in progress: ${status.message}` });
    } else {
      this.watchOnlyArmed = true;
    }
  }

  evidence(): ReplacementEvidence {
    return { oldPodsTerminated: this.terminatedOld.size, oldPodsGone: this.goneOld.size, newPodsReady: this.readyNew.size };
  }

  /** Pods seen terminating that have not exited or been deleted yet, and the bound on waiting for them. */
  drain(completedAt: number): DrainState {
    const grace = (this.latest?.spec?.template as { spec?: { terminationGracePeriodSeconds?: number } } | undefined)?.spec?.terminationGracePeriodSeconds;
    const reported = (this.latest?.status as { terminatingReplicas?: unknown } | undefined)?.terminatingReplicas;
    return drainState([...this.terminating.values()], typeof reported === 'number' ? reported : undefined, {
      now: this.target.events.now(),
      completedAt,
      defaultGraceSeconds: grace ?? DEFAULT_GRACE_SECONDS,
    });
  }

  /** A watch that could not be kept alive, if any: the run then cannot prove anything. */
  watchFailure(): string | undefined {
    for (const [name, w] of this.watches()) if (w.failure) return `lost the watch on ${name}: ${w.failure.message}`;
    return undefined;
  }

  /** Watches that are down right now (being retried), e.g. at the end of the run. */
  watchesDown(): string[] {
    return this.watches()
      .filter(([, w]) => w.down !== undefined)
      .map(([name, w]) => `the watch on ${name} was down at the end of the run (${w.down!.reason})`);
  }

  stats(): Record<string, ListWatchStats> {
    return {
      deployments: this.deploymentWatch.stats,
      pods: this.podWatch.stats,
      ...(this.sliceWatch ? { endpointslices: this.sliceWatch.stats } : {}),
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.deploymentWatch.stop(), this.podWatch.stop(), this.sliceWatch?.stop(), ...this.checks]);
  }

  private watches(): Array<[string, ListWatch]> {
    const out: Array<[string, ListWatch]> = [
      ['deployment', this.deploymentWatch],
      ['pods', this.podWatch],
    ];
    if (this.sliceWatch) out.push(['endpointslices', this.sliceWatch]);
    return out;
  }

  private onDeployment(change: ObjectChange): void {
    if (change.type === 'DELETED') {
      this.emit({ type: 'note', level: 'warn', message: `deployment/${this.target.deployment} was deleted during the run` });
      return;
    }
    const next = change.object;
    this.latest = next;
    const generation = generationOf(next);
    if (this.watchOnlyArmed && templateKey(next) !== this.initialTemplate) {
      this.watchOnlyArmed = false;
      this.sinceGeneration = generation;
      this.startedAt = this.target.events.now();
      this.emit({ type: 'rollout', action: 'start', detail: `pod template changed by someone else (generation ${generation})` });
    }
    for (const body of deploymentTransitions(change.previous, next, this.sinceGeneration)) this.emit(body);
    this.checkOutcome();
  }

  private checkOutcome(): void {
    const latest = this.latest as DeploymentLike | undefined;
    if (this.sinceGeneration === undefined || !latest || generationOf(latest) < this.sinceGeneration) return;
    const status = deploymentRolloutStatus(latest);
    if (status.state === 'complete' || status.state === 'deadline-exceeded')
      this.outcomeResolve?.({ state: status.state, at: this.target.events.now(), status });
  }

  private isOld(pod: KubeObject): boolean {
    const rev = podRevision(pod);
    return rev !== undefined && this.initialRevisions.has(rev);
  }

  private trackTerminating(pod: KubeObject): void {
    const name = pod.metadata?.name ?? '?';
    if (this.terminating.has(name) || this.goneOld.has(name)) return;
    const grace = (pod.metadata as { deletionGracePeriodSeconds?: number } | undefined)?.deletionGracePeriodSeconds;
    this.terminating.set(name, { pod: name, seenAt: this.target.events.now(), graceSeconds: grace ?? DEFAULT_GRACE_SECONDS });
  }

  private gone(pod: KubeObject): void {
    const name = pod.metadata?.name ?? '?';
    this.terminating.delete(name);
    if (this.isOld(pod)) this.goneOld.add(name);
  }

  private onPod(change: ObjectChange): void {
    const pod = change.object;
    const facts = podFacts(pod);
    if (change.type === 'DELETED' && !facts.terminating && !facts.exited && (pod.status as { phase?: string } | undefined)?.phase !== 'Pending') {
      this.verifyDeleted(change);
      return;
    }
    if (change.type === 'ADDED' && !change.fromRelist && (pod.status as { phase?: string } | undefined)?.phase !== 'Pending') {
      this.emit({ type: 'note', level: 'info', message: `pod ${pod.metadata?.name} started matching the Deployment's selector (relabelled, not created)` });
      for (const body of podTransitions(undefined, pod, { initial: true })) this.emit(body);
      this.classify(change);
      return;
    }
    const next = change.type === 'DELETED' ? undefined : pod;
    for (const body of podTransitions(change.previous, next)) this.emit(body);
    this.classify(change);
  }

  private classify(change: ObjectChange): void {
    const pod = change.object;
    const name = pod.metadata?.name ?? '?';
    const facts = podFacts(pod);
    const old = this.isOld(pod);
    if (facts.terminating && !facts.exited && change.type !== 'DELETED') this.trackTerminating(pod);
    if (change.type === 'DELETED' || facts.exited) this.gone(pod);
    if (old && (change.type === 'DELETED' || facts.terminating)) this.terminatedOld.add(name);
    if (!old && change.type !== 'DELETED' && facts.ready) this.readyNew.add(name);
  }

  /**
   * A running pod vanished from the selector watch without a graceful phase: either it was
   * relabelled out of the selector, or force-deleted. A list by name (the `list` verb the watch
   * already needs) tells which.
   */
  private verifyDeleted(change: ObjectChange): void {
    const name = change.object.metadata?.name ?? '?';
    const { client, namespace } = this.target;
    const check = client
      .rawJson<{ items?: KubeObject[] }>({ verb: 'list', resource: RESOURCES.pods, namespace }, resourcePath(RESOURCES.pods, namespace), {
        query: { fieldSelector: `metadata.name=${name}` },
        timeoutMs: 15_000,
      })
      .then(
        (list) => (list.items ?? []).length > 0,
        () => false,
      )
      .then((stillThere) => {
        if (stillThere) {
          this.terminating.delete(name);
          this.emit({
            type: 'note',
            level: 'warn',
            message: `pod ${name} no longer matches the Deployment's selector (relabelled): no longer followed, not counted as deleted`,
          });
          return;
        }
        for (const body of podTransitions(change.previous, undefined)) this.emit(body);
        this.classify(change);
      })
      .finally(() => this.checks.delete(check));
    this.checks.add(check);
  }

  private onSlices(): void {
    if (!this.sliceWatch) return;
    const slices = this.sliceWatch.objects();
    for (const service of this.target.services) {
      const before = this.endpointViews.get(service) ?? new Map();
      const after = endpointsOfService(slices, service);
      for (const body of endpointTransitions(before, after, this.consumers.get(service) ?? 'endpointslice')) this.emit(body);
      this.endpointViews.set(service, after);
    }
  }
}
