import type { EventStream } from '../events/stream.js';
import type { EventBody } from '../events/schema.js';
import type { KubeObject } from '../k8s/objects.js';
import { SERVICE_NAME_LABEL } from '../k8s/endpointSlice.js';
import { deploymentRolloutStatus, generationOf, type DeploymentLike, type RolloutStatus } from '../k8s/rolloutStatus.js';
import type { KubeApiClient } from './apiClient.js';
import { deploymentTransitions } from './deploymentTransitions.js';
import { endpointsOfService, endpointTransitions, type ServiceEndpoints } from './endpointTransitions.js';
import { ListWatch, type ListWatchStats, type ObjectChange } from './listWatch.js';
import { podFacts, podRevision, podTransitions } from './podTransitions.js';
import { RESOURCES } from './resources.js';

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

/** Evidence that a rollout really replaced pods inside the measured window (load-and-verify §0.3). */
export interface ReplacementEvidence {
  oldPodsTerminated: number;
  newPodsReady: number;
}

/**
 * Watches the Deployment, its pods and its Services' EndpointSlices, and turns every observed
 * change into the event stream the lab also writes (pod lanes, endpoint marks, rollout marks).
 * Times are when the watch event arrived here: API timestamps have one-second precision
 * (load-and-verify §3), too coarse to line up with requests.
 */
export class RolloutObserver {
  private readonly deploymentWatch: ListWatch;
  private readonly podWatch: ListWatch;
  private readonly sliceWatch: ListWatch | undefined;
  private readonly consumers: Map<string, string>;
  private endpointViews = new Map<string, ServiceEndpoints>();
  private initialRevisions = new Set<string>();
  private readonly terminatedOld = new Set<string>();
  private readonly readyNew = new Set<string>();
  private sinceGeneration: number | undefined;
  private initialGeneration = 0;
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
    this.initialGeneration = this.latest ? generationOf(this.latest) : 0;
    const initial = this.podWatch.objects().flatMap((pod) => podTransitions(undefined, pod, { initial: true }));
    this.pending = [...initial, ...(this.pending ?? [])];
    if (this.sliceWatch) for (const s of this.target.services) this.endpointViews.set(s, endpointsOfService(this.sliceWatch.objects(), s));
  }

  /** The rollout we triggered: completion counts from this generation on (the PATCH answer's). */
  expectGeneration(generation: number): void {
    this.sinceGeneration = generation;
    this.checkOutcome();
  }

  /**
   * --watch-only: someone else triggers the rollout. One already under way counts; otherwise the
   * next spec change (generation bump) does.
   */
  armWatchOnly(): void {
    const latest = this.latest as DeploymentLike | undefined;
    const status = latest ? deploymentRolloutStatus(latest) : undefined;
    if (status && !status.done && status.state !== 'deadline-exceeded') {
      this.sinceGeneration = latest ? generationOf(latest) : 0;
      this.startedAt = this.target.events.now();
      this.emit({ type: 'rollout', action: 'start', detail: `a rollout was already in progress: ${status.message}` });
    } else {
      this.watchOnlyArmed = true;
    }
  }

  evidence(): ReplacementEvidence {
    return { oldPodsTerminated: this.terminatedOld.size, newPodsReady: this.readyNew.size };
  }

  /** A watch that could not be kept alive, if any: the run then cannot prove anything. */
  watchFailure(): string | undefined {
    for (const [name, w] of [
      ['deployment', this.deploymentWatch],
      ['pods', this.podWatch],
      ['endpointslices', this.sliceWatch],
    ] as const) {
      if (w?.failure) return `lost the watch on ${name}: ${w.failure.message}`;
    }
    return undefined;
  }

  stats(): Record<string, ListWatchStats> {
    return {
      deployments: this.deploymentWatch.stats,
      pods: this.podWatch.stats,
      ...(this.sliceWatch ? { endpointslices: this.sliceWatch.stats } : {}),
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.deploymentWatch.stop(), this.podWatch.stop(), this.sliceWatch?.stop()]);
  }

  private onDeployment(change: ObjectChange): void {
    if (change.type === 'DELETED') {
      this.emit({ type: 'note', level: 'warn', message: `deployment/${this.target.deployment} was deleted during the run` });
      return;
    }
    const next = change.object;
    this.latest = next;
    const generation = generationOf(next);
    if (this.watchOnlyArmed && generation > this.initialGeneration) {
      this.watchOnlyArmed = false;
      this.sinceGeneration = generation;
      this.startedAt = this.target.events.now();
      this.emit({ type: 'rollout', action: 'start', detail: `spec changed by someone else (generation ${generation})` });
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

  private onPod(change: ObjectChange): void {
    const next = change.type === 'DELETED' ? undefined : change.object;
    for (const body of podTransitions(change.previous, next)) this.emit(body);
    const pod = change.object;
    const name = pod.metadata?.name ?? '?';
    const rev = podRevision(pod);
    const isOld = rev !== undefined && this.initialRevisions.has(rev);
    if (isOld && (change.type === 'DELETED' || podFacts(pod).terminating)) this.terminatedOld.add(name);
    if (!isOld && next && podFacts(next).ready) this.readyNew.add(name);
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
