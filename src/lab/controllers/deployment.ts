import type { EventStream } from '../../events/stream.js';
import type { Fenceposts } from '../../k8s/fenceposts.js';
import { podAvailable, progressDeadlineExceeded, rollingUpdateStep, rolloutComplete } from '../../k8s/rollingUpdate.js';
import type { LabPod } from '../pods/pod.js';
import type { PodPlan } from '../pods/plan.js';

export interface DeploymentSettings {
  name: string;
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  /** Resolved with src/k8s resolveFenceposts (docs/reference/workload-updates.md#deployment-rollingupdate). */
  fenceposts: Fenceposts;
  minReadySeconds: number;
  progressDeadlineSeconds: number | undefined;
}

interface ReplicaSet {
  revision: string;
  plan: PodPlan;
  /** spec.replicas */
  replicas: number;
  /** Every pod it owns that still exists, terminating ones included. */
  pods: LabPod[];
  seq: number;
}

export interface DeploymentCallbacks {
  createPod(rs: { revision: string; plan: PodPlan; name: string }): LabPod;
  /** Something changed (pods created or deleted) that the endpoints controller must see. */
  onChange(): void;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The Deployment and ReplicaSet controllers (docs/reference/workload-updates.md#deployment-rollingupdate, docs/reference/workload-updates.md#deployment-controller). Syncs run on every
 * pod change and on a short timer (for minReadySeconds and the progress deadline). Scaling
 * decisions come from src/k8s rollingUpdateStep, the same arithmetic the audit uses.
 */
export class DeploymentController {
  private readonly replicaSets: ReplicaSet[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastProgress = 0;
  private lastNewAvailable = 0;
  private rolloutStartedAt: number | undefined;
  private completedAt: number | undefined;
  private deadlineReported = false;
  private syncing = false;
  private resyncRequested = false;
  private stopped = false;
  private completeWaiters: Array<() => void> = [];
  private readonly random: () => number;

  constructor(
    readonly settings: DeploymentSettings,
    private readonly events: EventStream,
    private readonly callbacks: DeploymentCallbacks,
    random: () => number = Math.random,
  ) {
    this.random = random;
  }

  /** Creates the first ReplicaSet and starts syncing. */
  start(plan: PodPlan): void {
    this.addReplicaSet(plan, this.settings.replicas);
    this.timer = setInterval(() => this.sync(), 100);
    this.sync();
  }

  /** A template change (`kubectl rollout restart`, a new image): a new ReplicaSet at 0 replicas. */
  rollout(plan: PodPlan): void {
    this.rolloutStartedAt = this.events.now();
    this.completedAt = undefined;
    this.deadlineReported = false;
    this.lastProgress = this.events.now();
    this.lastNewAvailable = 0;
    this.events.emit({ type: 'rollout', action: 'start', revision: plan.revision, replicas: this.settings.replicas, detail: this.describeStrategy() });
    this.addReplicaSet(plan, 0);
    this.sync();
  }

  describeStrategy(): string {
    const f = this.settings.fenceposts;
    return this.settings.strategy === 'Recreate'
      ? 'Recreate'
      : `RollingUpdate maxSurge ${f.maxSurge}, maxUnavailable ${f.maxUnavailable}${f.forcedUnavailable ? ' (forced to 1)' : ''}, minReadySeconds ${this.settings.minReadySeconds}`;
  }

  /** Resolves when the Deployment is complete (terminating old pods do not count, docs/reference/workload-updates.md#deployment-controller). */
  whenComplete(): Promise<void> {
    if (this.completedAt !== undefined) return Promise.resolve();
    return new Promise((r) => this.completeWaiters.push(r));
  }

  get completed(): boolean {
    return this.completedAt !== undefined;
  }

  get rolloutDurationMs(): number | undefined {
    if (this.rolloutStartedAt === undefined || this.completedAt === undefined) return undefined;
    return this.completedAt - this.rolloutStartedAt;
  }

  get deadlineExceeded(): boolean {
    return this.deadlineReported;
  }

  /** Every pod that still exists (terminating ones included). */
  pods(): LabPod[] {
    return this.replicaSets.flatMap((rs) => rs.pods);
  }

  /** Pods of old ReplicaSets that still exist, terminating or not. */
  oldPodsRemaining(): number {
    return this.replicaSets.slice(0, -1).reduce((s, rs) => s + rs.pods.length, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Called by pods on every change. */
  notify(): void {
    this.sync();
  }

  private addReplicaSet(plan: PodPlan, replicas: number): void {
    this.replicaSets.push({ revision: plan.revision, plan, replicas, pods: [], seq: this.seq++ });
    this.events.emit({ type: 'rollout', action: 'scale', revision: plan.revision, replicas, detail: 'ReplicaSet created' });
  }

  private sync(): void {
    if (this.stopped) return;
    // Controllers are level-triggered; a change during a sync just asks for another pass.
    if (this.syncing) {
      this.resyncRequested = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.resyncRequested = false;
        this.syncOnce();
      } while (this.resyncRequested && !this.stopped);
    } finally {
      this.syncing = false;
    }
  }

  private syncOnce(): void {
    const now = this.events.now();
    for (const rs of this.replicaSets) rs.pods = rs.pods.filter((p) => !p.status.gone);
    const newRS = this.replicaSets[this.replicaSets.length - 1]!;
    const oldRSs = this.replicaSets.slice(0, -1);
    const stateOf = (rs: ReplicaSet): { replicas: number; available: number; active: number } => {
      const active = rs.pods.filter((p) => !p.status.deleting);
      return {
        replicas: rs.replicas,
        active: active.length,
        available: active.filter((p) => podAvailable(p.status.readySince, this.settings.minReadySeconds, now)).length,
      };
    };

    if (this.settings.strategy === 'Recreate') {
      // docs/reference/workload-updates.md#deployment-controller: all old pods are killed; new ones are created only after the old ones are gone.
      for (const rs of oldRSs) this.scaleTo(rs, 0);
      const oldLeft = oldRSs.some((rs) => rs.pods.length > 0);
      if (!oldLeft) this.scaleTo(newRS, this.settings.replicas);
    } else if (oldRSs.length > 0) {
      const step = rollingUpdateStep({
        replicas: this.settings.replicas,
        fenceposts: this.settings.fenceposts,
        newRS: stateOf(newRS),
        oldRSs: oldRSs.map(stateOf),
      });
      this.scaleTo(newRS, step.newReplicas);
      step.oldReplicas.forEach((r, i) => this.scaleTo(oldRSs[i]!, r));
    }
    for (const rs of this.replicaSets) this.reconcileReplicaSet(rs);

    if (this.rolloutStartedAt === undefined) return;
    const newState = stateOf(newRS);
    if (newState.available > this.lastNewAvailable) {
      this.lastNewAvailable = newState.available;
      this.lastProgress = now;
    }
    const oldActive = oldRSs.reduce((s, rs) => s + stateOf(rs).active, 0);
    if (this.completedAt === undefined && rolloutComplete(this.settings.replicas, newState, oldActive)) {
      this.completedAt = now;
      this.events.emit({
        type: 'rollout',
        action: 'complete',
        revision: newRS.revision,
        replicas: this.settings.replicas,
        detail: `${Math.round(now - this.rolloutStartedAt)} ms`,
      });
      for (const w of this.completeWaiters.splice(0)) w();
    }
    if (this.completedAt === undefined && !this.deadlineReported && progressDeadlineExceeded(this.lastProgress, this.settings.progressDeadlineSeconds, now)) {
      // docs/reference/workload-updates.md#deployment-controller: only a condition; nothing is rolled back or paused.
      this.deadlineReported = true;
      this.events.emit({
        type: 'rollout',
        action: 'deadline-exceeded',
        revision: newRS.revision,
        detail: `Progressing=False ProgressDeadlineExceeded after ${this.settings.progressDeadlineSeconds} s without progress`,
      });
    }
  }

  private scaleTo(rs: ReplicaSet, replicas: number): void {
    if (rs.replicas === replicas) return;
    rs.replicas = replicas;
    this.lastProgress = this.events.now();
    this.events.emit({ type: 'rollout', action: 'scale', revision: rs.revision, replicas });
  }

  /** The ReplicaSet controller: active (non-terminating) pods follow spec.replicas (docs/reference/traffic-routing.md#endpointslice-conditions, docs/reference/workload-updates.md#deployment-controller). */
  private reconcileReplicaSet(rs: ReplicaSet): void {
    const active = rs.pods.filter((p) => !p.status.deleting);
    if (active.length < rs.replicas) {
      for (let i = active.length; i < rs.replicas; i++) {
        const name = `${this.settings.name}-${rs.revision}-${this.podSuffix()}`;
        const pod = this.callbacks.createPod({ revision: rs.revision, plan: rs.plan, name });
        rs.pods.push(pod);
        this.events.emit({ type: 'rollout', action: 'create-pod', revision: rs.revision, detail: name });
      }
      this.callbacks.onChange();
    } else if (active.length > rs.replicas) {
      const victims = rankForDeletion(active, this.events.now()).slice(0, active.length - rs.replicas);
      for (const pod of victims) {
        this.events.emit({ type: 'rollout', action: 'delete-pod', revision: rs.revision, detail: pod.name });
        void pod.delete();
      }
      this.callbacks.onChange();
    }
  }

  private podSuffix(): string {
    let s = '';
    for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(this.random() * SUFFIX_ALPHABET.length)];
    return s;
  }
}

/**
 * `ActivePodsWithRanks.Less` (pkg/controller/controller_utils.go, docs/reference/workload-updates.md#deployment-controller), the parts that apply on
 * one node: not yet running before running, not-ready before ready, ready for less time first,
 * more restarts first, newer first.
 */
export function rankForDeletion(pods: readonly LabPod[], now: number): LabPod[] {
  const key = (p: LabPod): number[] => [
    p.status.phase === 'pending' ? 0 : 1,
    p.status.ready ? 1 : 0,
    p.status.ready && p.status.readySince !== undefined ? now - p.status.readySince : 0,
    -p.status.restarts,
    -p.status.createdAt,
  ];
  return [...pods].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  });
}
