import { effectiveGraceSeconds } from '../../k8s/shutdownTimeline.js';
import type { EventStream } from '../../events/stream.js';
import { terminalSafe } from '../../terminalText.js';
import { usesPidNamespace } from './containment.js';
import { ContainerRuntime, type ContainerEventBody, type ContainerHost } from './containerRuntime.js';
import type { ContainerPlan, PodPlan } from './plan.js';
import { PodLifecycle, type PodStatus } from './podLifecycle.js';
import { PodNetwork } from './podNetwork.js';
import type { ContainerEndpoint } from './probe.js';
import { sleep } from './timers.js';

export type { PodLifecyclePhase, PodStatus } from './podLifecycle.js';

export interface PodOptions {
  name: string;
  plan: PodPlan;
  events: EventStream;
  /** Called on every change the controllers care about (readiness, termination, exit). */
  onChange: (pod: LabPod) => void;
  /**
   * Delay between the API delete and the kubelet starting termination (docs/reference/pod-termination.md#pleg-wait: the pod
   * worker waits for a fresh PLEG entry, "~1s of latency", up to 2 s). Sampled per pod.
   */
  kubeletDelayMs?: () => number;
  host?: string;
}

/**
 * A pod: its containers as real processes, its probers, and the kubelet's termination sequence
 * (docs/reference/pod-termination.md#kubelet-sequence, docs/reference/pod-termination.md#termination-timeline, docs/reference/probes.md#during-termination, docs/reference/feature-versions.md#native-sidecars). Its network (the port map every container
 * shares) is a PodNetwork, each container a ContainerRuntime, and what the controllers read is
 * its PodLifecycle.
 */
export class LabPod implements ContainerHost {
  readonly name: string;
  readonly revision: string;
  private readonly network: PodNetwork;
  private readonly lifecycle: PodLifecycle;
  private readonly containers: ContainerRuntime[] = [];
  private readonly sidecars: ContainerRuntime[] = [];
  private deleted: Promise<void> | undefined;
  private readonly options: PodOptions;

  constructor(options: PodOptions) {
    this.options = options;
    this.name = options.name;
    this.revision = options.plan.revision;
    this.network = new PodNetwork(options.name, options.plan, options.host);
    this.lifecycle = new PodLifecycle(options.name, options.plan.revision, options.events, () => options.onChange(this));
  }

  /** The pod's lifecycle state (phase, Ready, deletion, restarts), live and read-only. */
  get status(): PodStatus {
    return this.lifecycle.status;
  }

  get host(): string {
    return this.network.host;
  }

  get events(): EventStream {
    return this.options.events;
  }

  /** Host port of the Service's target port: where the endpoints controller points consumers. */
  get servicePort(): number {
    return this.network.servicePort;
  }

  /** Host port where traffic for the pod arrives: the mesh proxy's inbound port, else the Service's target port. */
  get inboundPort(): number {
    const inbound = this.options.plan.inboundPort;
    return inbound === undefined ? this.servicePort : (this.network.hostPortOf(inbound) ?? 0);
  }

  get pidNamespace(): boolean {
    return usesPidNamespace(this.options.plan);
  }

  hostPortOf(containerPort: number): number | undefined {
    return this.network.hostPortOf(containerPort);
  }

  /** Creates the pod's port mapping and starts native sidecars in order, then the main containers. */
  async start(): Promise<void> {
    const plan = this.options.plan;
    this.lifecycle.created();
    await this.network.allocate();
    if (this.status.deleting) return;
    this.lifecycle.running();
    for (const c of plan.sidecars) this.sidecars.push(new ContainerRuntime(this, c, true, false));
    for (const c of plan.containers) this.containers.push(new ContainerRuntime(this, c, false, c === plan.containers[0]));
    // docs/reference/feature-versions.md#native-sidecars: each native sidecar must be started (running, or its startupProbe passed) before the next.
    for (const s of this.sidecars) {
      s.start();
      await s.startedOnce;
      if (this.status.deleting) return;
    }
    this.lifecycle.started();
    for (const c of this.containers) c.start();
  }

  /** The environment every container gets: its own PORT plus the pod's port map. */
  envFor(c: ContainerPlan): Record<string, string> {
    return this.network.envFor(c);
  }

  endpointFor(c: ContainerPlan): ContainerEndpoint {
    return this.network.endpointFor(c);
  }

  get deleting(): boolean {
    return this.status.deleting;
  }

  now(): number {
    return this.options.events.now();
  }

  /** Recomputes the Ready condition from the containers and notifies the controllers. */
  containerChanged(): void {
    const all = [...this.sidecars, ...this.containers];
    this.lifecycle.containersReady(all.length > 0 && all.every((c) => c.ready));
  }

  emit(container: string, body: ContainerEventBody): void {
    this.options.events.emit({ type: 'container', pod: this.name, container, ...body });
  }

  crashRestarted(): void {
    this.lifecycle.restarted();
  }

  /**
   * API delete with graceful termination (docs/reference/pod-termination.md#grace-period, docs/reference/pod-termination.md#kubelet-sequence, docs/reference/pod-termination.md#termination-timeline). Resolves when the pod object is gone.
   * @param graceSeconds DeleteOptions.gracePeriodSeconds; default spec.terminationGracePeriodSeconds.
   */
  delete(graceSeconds?: number): Promise<void> {
    this.deleted ??= this.terminate(graceSeconds);
    return this.deleted;
  }

  private async terminate(graceOverride?: number): Promise<void> {
    const wasRunning = this.status.phase === 'running';
    this.lifecycle.beginDeletion();
    // docs/reference/probes.md#during-termination: liveness and startup probes stop at deletion; readiness keeps running.
    for (const c of [...this.sidecars, ...this.containers]) c.stopLivenessAndStartup();
    if (wasRunning) {
      // docs/reference/pod-termination.md#pleg-wait: the kubelet sees the delete after its watch and the PLEG wait.
      await sleep(this.options.kubeletDelayMs?.() ?? 0);
      const grace = effectiveGraceSeconds(graceOverride ?? this.options.plan.graceSeconds);
      const t0 = performance.now();
      // docs/reference/pod-termination.md#containers-stop-in-parallel, docs/reference/feature-versions.md#native-sidecars: every container's preStop starts now, concurrently; main containers
      // stop after their own hook, native sidecars only after all main containers exited, in
      // reverse definition order.
      const mainsDone = Promise.all(this.containers.map((c) => c.kill(grace, t0, undefined)));
      let turn: Promise<unknown> = mainsDone;
      const sidecarDone: Promise<void>[] = [];
      for (const s of [...this.sidecars].reverse()) {
        const done = s.kill(grace, t0, turn);
        sidecarDone.push(done);
        turn = done;
      }
      await Promise.all([mainsDone, ...sidecarDone]);
    }
    for (const c of [...this.sidecars, ...this.containers]) c.stopAll();
    this.lifecycle.terminated();
  }

  /** True when every container with a port accepted a TCP connection since it last started. */
  get listening(): boolean {
    return [...this.sidecars, ...this.containers].every((c) => c.listeningAt !== undefined || !c.hasPort);
  }

  /** Why a pod is not serving, for error messages: each container's state and last output, terminal-safe. */
  diagnostics(): string[] {
    return [...this.sidecars, ...this.containers].map((c) => terminalSafe(`${this.name}/${c.plan.name}: ${c.describe()}`));
  }

  /** Tears the pod down at once (lab shutdown, Ctrl-C): SIGKILL every container group. */
  forceKill(): void {
    this.lifecycle.abandon();
    for (const c of [...this.sidecars, ...this.containers]) c.forceKill();
  }

  /** Liveness or startup failure: restart one container through its own kill path (docs/reference/pod-termination.md#kubelet-sequence, docs/reference/probes.md#probe-level-grace-period). */
  async restartContainer(c: ContainerRuntime, detail: string): Promise<void> {
    if (this.status.deleting) return;
    this.emit(c.plan.name, { action: 'restart', detail });
    const probeGrace = c.plan.liveness?.terminationGracePeriodSeconds ?? c.plan.startup?.terminationGracePeriodSeconds;
    const grace = effectiveGraceSeconds(probeGrace ?? this.options.plan.graceSeconds);
    await c.kill(grace, performance.now(), undefined);
    if (this.status.deleting) return;
    this.lifecycle.restarted();
    c.start();
  }
}
