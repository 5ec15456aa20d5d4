import type { EventStream } from '../../events/stream.js';

export type PodLifecyclePhase = 'pending' | 'running' | 'terminating' | 'terminated';

/** What the controllers read about a pod; nothing outside the pod can change it. */
export interface PodStatus {
  readonly phase: PodLifecyclePhase;
  /** Pod Ready condition: every container (sidecars included) ready. */
  readonly ready: boolean;
  /** When Ready last turned true (run time axis, ms), for minReadySeconds (docs/reference/workload-updates.md#deployment-controller). */
  readonly readySince: number | undefined;
  /** deletionTimestamp was set (docs/reference/pod-termination.md#grace-period). */
  readonly deleting: boolean;
  readonly restarts: number;
  /** The pod object is deleted from the API (after its containers exited, docs/reference/pod-termination.md#after-the-last-container). */
  readonly gone: boolean;
  readonly createdAt: number;
}

/**
 * A pod's lifecycle as the API shows it: phase, Ready condition, deletion and restarts. The state
 * changes only through the transitions below, and each one emits its `pod` event and tells the
 * controllers, so what they read and what the event stream records cannot disagree.
 */
export class PodLifecycle {
  private readonly state: { -readonly [K in keyof PodStatus]: PodStatus[K] };

  constructor(
    private readonly pod: string,
    private readonly revision: string,
    private readonly events: EventStream,
    private readonly notify: () => void,
  ) {
    this.state = { phase: 'pending', ready: false, readySince: undefined, deleting: false, restarts: 0, gone: false, createdAt: events.now() };
  }

  /** The current state, live and read-only: only the transitions below change it. */
  get status(): PodStatus {
    return this.state;
  }

  /** The controller created the pod object. */
  created(): void {
    this.emit('created');
  }

  /** The pod has its ports; its containers start now. */
  running(): void {
    this.state.phase = 'running';
  }

  /** Every native sidecar started; the main containers start. */
  started(): void {
    this.emit('started');
  }

  /** Recomputes the Ready condition from the containers' readiness and notifies the controllers. */
  containersReady(allReady: boolean): void {
    const s = this.state;
    const ready = s.phase !== 'pending' && s.phase !== 'terminated' && allReady;
    if (ready !== s.ready) {
      s.ready = ready;
      s.readySince = ready ? this.events.now() : undefined;
      this.emit(ready ? 'ready' : 'not-ready');
    }
    this.notify();
  }

  /** docs/reference/pod-termination.md#at-the-delete: deletionTimestamp set; readiness is unaffected; endpoints react on their own. */
  beginDeletion(): void {
    this.state.deleting = true;
    if (this.state.phase !== 'terminated') this.state.phase = 'terminating';
    this.emit('terminating');
    this.notify();
  }

  /** Torn down at once (lab shutdown): no more restarts, no events. */
  abandon(): void {
    this.state.deleting = true;
  }

  /** docs/reference/pod-termination.md#after-the-last-container: all containers exited → terminal phase → endpoint removed → object deleted. */
  terminated(): void {
    this.state.phase = 'terminated';
    this.state.ready = false;
    this.emit('exited');
    this.notify();
    this.state.gone = true;
    this.emit('deleted');
    this.notify();
  }

  restarted(): void {
    this.state.restarts++;
  }

  private emit(phase: 'created' | 'started' | 'ready' | 'not-ready' | 'terminating' | 'exited' | 'deleted'): void {
    this.events.emit({ type: 'pod', pod: this.pod, phase, revision: this.revision });
  }
}
