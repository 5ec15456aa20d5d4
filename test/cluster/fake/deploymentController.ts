/**
 * The controllers of the fake cluster, for deployment/web: the Deployment controller playing a
 * RollingUpdate with maxSurge 1 / maxUnavailable 0, the ReplicaSet scaling on a `spec.replicas`
 * change (what an HPA does), the kubelet running and stopping pods, and the EndpointSlice
 * controller keeping service/web's slice (docs/reference/workload-updates.md#deployment-controller, docs/reference/pod-termination.md#grace-period, docs/reference/traffic-routing.md#endpointslice-conditions).
 *
 * As in a real cluster the rollout does not wait for old pods to exit: a pod stops counting in the
 * Deployment's status the moment it gets its deletionTimestamp (DeploymentStatus counts
 * non-terminating pods), so the rollout can be complete while old pods are still draining for up
 * to their grace period. `terminationMs` is how long each old pod takes to exit.
 */
import { fixture } from './fixtures.js';
import { podState } from './podStates.js';
import type { PodBackends } from './podBackends.js';
import { strategicMerge } from './strategicMerge.js';
import type { ObjectStore, Obj } from './store.js';

export interface ControllerOptions {
  /**
   * graceful: the endpoint is removed before the pod stops; abrupt: the pod dies while still routed
   * to; stuck: new pods never get ready and the progress deadline passes; late-exit: a load
   * balancer keeps routing to terminating pods until they die abruptly at the end of terminationMs.
   */
  scenario: 'graceful' | 'abrupt' | 'stuck' | 'late-exit';
  stepMs: number;
  /** From deletionTimestamp to exit, per old pod. */
  terminationMs: number;
  /** deletionGracePeriodSeconds of deleted pods (default: the pod's terminationGracePeriodSeconds). */
  graceSeconds: number | undefined;
  /** Report status.terminatingReplicas (DeploymentReplicaSetTerminatingReplicas, on by default from 1.35). */
  terminatingReplicas: boolean;
  initialNotReady: boolean;
}

const DEPLOYMENT = 'web';

export class DeploymentController {
  private podSeq = 0;
  private terminating = 0;
  private closing = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly tasks = new Set<Promise<void>>();
  /** Settles when the last rollout or scale and every pod termination it started are over. */
  rolloutDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ObjectStore,
    private readonly pods: PodBackends,
    private readonly options: ControllerOptions,
  ) {}

  async seed(): Promise<void> {
    const deployment = fixture('deployment-web.json');
    this.store.put('deployments', deployment);
    this.store.put('services', fixture('service-web.json'));
    this.store.put('services', fixture('service-admin.json'));
    const hash = this.currentHash();
    for (let i = 0; i < deployment.spec.replicas; i++) {
      const notReady = this.options.initialNotReady && i === deployment.spec.replicas - 1;
      const pod = this.newPod(hash, 'ready');
      await this.pods.startPod(pod.metadata.name);
      this.store.put('pods', notReady ? podState(podState(pod, 'running'), 'not-ready') : pod);
      if (!notReady) this.pods.route(pod.metadata.name);
    }
    this.store.put('endpointslices', this.sliceFromPods());
  }

  close(): void {
    this.closing = true;
    // Wake every sleeping step so each task sees `closing` and ends.
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    this.timers.clear();
  }

  /** A strategic-merge PATCH of the Deployment: a template change starts a rollout, a replicas change a scale. */
  patch(patch: Obj): Obj {
    const current = this.store.get('deployments', DEPLOYMENT);
    const next = strategicMerge(structuredClone(current), patch);
    const templateChanged = JSON.stringify(next.spec.template) !== JSON.stringify(current.spec.template);
    const scaled = next.spec.replicas !== current.spec.replicas;
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    if (templateChanged || scaled) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (templateChanged) {
      // The controller creates a new ReplicaSet and bumps the revision when the template changes.
      const revision = Number(next.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1');
      next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision + 1) };
    }
    const stored = this.store.put('deployments', next, 'MODIFIED');
    if (templateChanged) this.track(this.rollout(stored.metadata.generation as number));
    else if (scaled) this.track(this.scale(stored.metadata.generation as number, next.spec.replicas as number));
    return stored;
  }

  // ---------------------------------------------------------------- test hooks

  /** Relabels a pod (a debugging move): selector watches see it leave or join. */
  relabelPod(name: string, labels: Record<string, string | null>): void {
    const pod = this.store.get('pods', name);
    for (const [k, v] of Object.entries(labels)) {
      if (v === null) delete pod.metadata.labels[k];
      else pod.metadata.labels[k] = v;
    }
    this.store.put('pods', pod, 'MODIFIED');
  }

  /** A new pod of the current template that is never scheduled (Pending, no node). */
  addPendingPod(): string {
    const pod = this.newPod(this.currentHash(), 'pending');
    delete pod.spec.nodeName;
    this.store.put('pods', pod);
    return pod.metadata.name;
  }

  /** Deletes a pod without a graceful phase, as the API server does for unscheduled or terminal pods. */
  deletePodNow(name: string): void {
    this.pods.unroute(name);
    this.pods.stopPod(name, true);
    this.store.remove('pods', name);
    this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
  }

  // ---------------------------------------------------------------- the controllers

  private track(task: Promise<void>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
    this.rolloutDone = (async () => {
      while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    })();
  }

  private currentHash(): string {
    const d = this.store.get('deployments', DEPLOYMENT);
    const revision = Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1');
    return revision === 1 ? '6d4cf56db6' : `7f9c8d5e${revision}b`;
  }

  private step(): Promise<void> {
    return this.sleep(this.options.stepMs);
  }

  private async rollout(generation: number): Promise<void> {
    const newHash = this.currentHash();
    const replicas = this.store.get('deployments', DEPLOYMENT).spec.replicas as number;
    const oldPods = this.store
      .all('pods')
      .filter((p) => p.metadata.labels['pod-template-hash'] !== newHash && p.metadata.deletionTimestamp === undefined)
      .map((p) => p.metadata.name as string);
    this.setStatus(
      { observedGeneration: generation, replicas, updatedReplicas: 0, readyReplicas: replicas, availableReplicas: replicas },
      { reason: 'ReplicaSetUpdated', status: 'True' },
    );
    let updated = 0;
    for (const old of oldPods) {
      // Scale up the new ReplicaSet by maxSurge (1): a new pod appears, Pending.
      const pod = this.newPod(newHash, 'pending');
      const name = pod.metadata.name as string;
      this.store.put('pods', pod);
      updated++;
      const counters = (ready: number) => ({
        observedGeneration: generation,
        replicas: replicas + 1,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: ready,
      });
      this.setStatus(counters(replicas));
      await this.step();
      if (this.closing) return;
      await this.pods.startPod(name);
      this.store.put('pods', podState(this.store.get('pods', name), 'running'), 'MODIFIED');
      await this.step();
      if (this.closing) return;
      if (this.options.scenario === 'stuck') {
        await this.step();
        await this.step();
        this.setStatus(counters(replicas), {
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "web-${newHash}" has timed out progressing.`,
        });
        return;
      }
      this.store.put('pods', podState(this.store.get('pods', name), 'ready'), 'MODIFIED');
      this.pods.route(name);
      this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      this.setStatus(counters(replicas + 1));
      await this.step();
      if (this.closing) return;
      // Scale down the old ReplicaSet by one: the pod is deleted (deletionTimestamp set, docs/reference/pod-termination.md#grace-period) and
      // from then on counts only as terminating; the next surge does not wait for it to exit.
      this.terminate(old);
      this.setStatus({ observedGeneration: generation, replicas, updatedReplicas: updated, readyReplicas: replicas, availableReplicas: replicas });
    }
    const done = this.store.get('deployments', DEPLOYMENT);
    done.status = {
      ...done.status,
      ...this.terminatingCounter(),
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: conditions(done.status.conditions, {
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "web-${newHash}" has successfully progressed.`,
      }),
    };
    this.store.put('deployments', done, 'MODIFIED');
  }

  /** spec.replicas changed without a template change: the current ReplicaSet adds or removes pods. */
  private async scale(generation: number, replicas: number): Promise<void> {
    const hash = this.currentHash();
    const live = this.store.all('pods').filter((p) => p.metadata.deletionTimestamp === undefined);
    for (const extra of live.slice(replicas)) this.terminate(extra.metadata.name);
    for (let i = live.length; i < replicas; i++) {
      const pod = this.newPod(hash, 'pending');
      this.store.put('pods', pod);
      await this.step();
      if (this.closing) return;
      await this.pods.startPod(pod.metadata.name);
      this.store.put('pods', podState(podState(this.store.get('pods', pod.metadata.name), 'running'), 'ready'), 'MODIFIED');
      this.pods.route(pod.metadata.name);
      this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
    }
    this.setStatus({ observedGeneration: generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
  }

  /** The graceful delete of one pod and the kubelet stopping it, in the background. */
  private terminate(name: string): void {
    const graceSeconds = this.options.graceSeconds;
    this.store.put('pods', podState(this.store.get('pods', name), 'terminating', graceSeconds === undefined ? {} : { graceSeconds }), 'MODIFIED');
    this.terminating++;
    this.track(this.stopPod(name));
  }

  private async stopPod(old: string): Promise<void> {
    const { scenario, terminationMs } = this.options;
    let exitCode = 0;
    if (scenario === 'abrupt') {
      // Immediate exit on SIGTERM while the endpoint is still routed to (the docs/reference/traffic-routing.md#endpointslice-conditions race lost).
      this.pods.stopPod(old, true);
      exitCode = 143;
      await this.sleep(3 * this.options.stepMs);
      this.pods.unroute(old);
      this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
    } else if (scenario === 'late-exit') {
      // The slice marks the endpoint terminating, but a load balancer keeps sending it traffic
      // until the process dies at the end of its drain; requests then fail for one more step.
      this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      await this.sleep(terminationMs);
      if (this.closing) return;
      this.pods.stopPod(old, true);
      exitCode = 137;
      await this.step();
      this.pods.unroute(old);
    } else {
      this.pods.unroute(old);
      this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      // preStop-like pause: requests routed just before the removal still reach a listening pod.
      await this.sleep(terminationMs);
      this.pods.stopPod(old, false);
    }
    if (this.closing) return;
    this.store.put('pods', podState(this.store.get('pods', old), 'exited', { exitCode }), 'MODIFIED');
    this.store.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
    await this.step();
    if (this.closing) return;
    this.store.remove('pods', old);
    this.terminating--;
    if (this.options.terminatingReplicas) this.setStatus({});
  }

  private terminatingCounter(): Obj {
    return this.options.terminatingReplicas ? { terminatingReplicas: this.terminating } : {};
  }

  private setStatus(counters: Obj, progressing?: { status: string; reason: string; message?: string }): void {
    const d = this.store.get('deployments', DEPLOYMENT);
    d.status = { ...d.status, ...counters, ...this.terminatingCounter(), ...(progressing ? { conditions: conditions(d.status.conditions, progressing) } : {}) };
    this.store.put('deployments', d, 'MODIFIED');
  }

  private newPod(hash: string, state: 'pending' | 'ready'): Obj {
    const pod = fixture('pod-web.json');
    const n = ++this.podSeq;
    pod.metadata.name = `web-${hash}-p${n}`;
    pod.metadata.generateName = `web-${hash}-`;
    pod.metadata.uid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    pod.metadata.labels['pod-template-hash'] = hash;
    pod.metadata.ownerReferences[0].name = `web-${hash}`;
    pod.status.podIP = `10.244.1.${10 + n}`;
    pod.status.podIPs = [{ ip: pod.status.podIP }];
    return state === 'ready' ? pod : podState(pod, 'pending');
  }

  /** The slice the EndpointSlice controller writes for service/web from the current pods (docs/reference/traffic-routing.md#endpointslice-conditions podToEndpoint). */
  private sliceFromPods(): Obj {
    const slice = fixture('endpointslice-web.json');
    slice.endpoints = this.store
      .all('pods')
      .filter((p) => p.metadata.labels?.app === 'web' && p.status.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
      .map((p) => {
        const serving = (p.status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
        const terminating = p.metadata.deletionTimestamp !== undefined;
        return {
          addresses: [p.status.podIP],
          conditions: { ready: serving && !terminating, serving, terminating },
          nodeName: p.spec.nodeName,
          targetRef: { kind: 'Pod', namespace: 'shop', name: p.metadata.name, uid: p.metadata.uid },
        };
      });
    return slice;
  }

  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }
}

function conditions(existing: Obj[] | undefined, progressing: { status: string; reason: string; message?: string }): Obj[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const others = (existing ?? []).filter((c) => c.type !== 'Progressing');
  return [
    ...others,
    {
      type: 'Progressing',
      status: progressing.status,
      reason: progressing.reason,
      message: progressing.message ?? '',
      lastUpdateTime: now,
      lastTransitionTime: now,
    },
  ];
}
